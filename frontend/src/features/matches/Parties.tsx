import { Alert, Anchor, Badge, Card, Group, Stack, Text, Title } from "@mantine/core";
import { IconEyeOff, IconLock } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { AttachmentsView, ContactsView, Facts, Paragraphs, TermBadges, usePeriod } from "@/components/commitments/Views";
import { formatDateTime } from "@/lib/format";
import { useAreaPath, useBureauName, useCountryName, useRegionName, useTermLabel } from "@/lib/reference";
import { ConsentBadge } from "./Badges";
import type { CounterpartDisclosed, CounterpartRedacted, PartyFull } from "./logic";

type ComponentLike = { area_code: string; modalities: string[]; support_types: string[]; description?: string };

export function ComponentList({ components }: { components: ComponentLike[] }) {
  const { t } = useTranslation();
  const areaPath = useAreaPath();
  if (components.length === 0) return <Text size="sm" c="dimmed">{t("matches.parties.noComponents")}</Text>;
  return (
    <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: "none" }}>
      {components.map((c, index) => (
        <li key={`${c.area_code}-${index}`}>
          <Text size="sm" fw={600}>
            {areaPath(c.area_code)}
          </Text>
          {c.description && (
            <Text size="xs" style={{ whiteSpace: "pre-wrap" }}>
              {c.description}
            </Text>
          )}
          <Group gap={6} mt={2}>
            <TermBadges vocabulary="modalities" codes={c.modalities} />
            <TermBadges vocabulary="support_types" codes={c.support_types} color="grape" />
          </Group>
        </li>
      ))}
    </Stack>
  );
}

/** "A State · West and Central Africa": who a counterpart is, without saying who. */
export function useCounterpartDescription(): (c: Pick<CounterpartRedacted, "kind" | "region_code" | "bureau_code" | "side">) => string {
  const { t } = useTranslation();
  const contributor = useTermLabel("contributor_types");
  const bureauName = useBureauName();
  const regionName = useRegionName();
  return (c) => {
    const kind = c.kind === "state" ? t("matches.parties.aState") : t("matches.parties.aStakeholder", { kind: contributor(c.kind) });
    const place = c.bureau_code ? bureauName(c.bureau_code) : c.region_code ? regionName(c.region_code) : null;
    return place ? t("matches.parties.kindIn", { kind, place }) : kind;
  };
}

/** A counterpart before every party consented: what it brings, never who it is. */
export function RedactedCard({ counterpart }: { counterpart: CounterpartRedacted }) {
  const { t } = useTranslation();
  const describe = useCounterpartDescription();
  return (
    <Card withBorder padding="md" component="article" data-testid="counterpart-redacted">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Group gap="xs">
            <IconEyeOff size={18} aria-hidden />
            <Title order={3} size="h5">
              {describe(counterpart)}
            </Title>
          </Group>
          <Group gap="xs">
            <Badge variant="outline" tt="none">
              {t(`matches.sides.${counterpart.side}`)}
            </Badge>
            <ConsentBadge status={counterpart.consent_status} />
          </Group>
        </Group>
        <Text size="xs" c="dimmed">
          {t("matches.parties.redactedNote")}
        </Text>
        {counterpart.languages.length > 0 && (
          <Group gap="xs">
            <Text size="xs" c="dimmed">
              {t("matches.parties.languages")}
            </Text>
            <TermBadges vocabulary="languages" codes={counterpart.languages} color="gray" />
          </Group>
        )}
        <ComponentList components={counterpart.components} />
      </Stack>
    </Card>
  );
}

/** A party in full (its own part, a disclosed counterpart, or any party for a facilitator). */
export function PartyCard({ party, own = false }: { party: PartyFull | CounterpartDisclosed; own?: boolean }) {
  const { t, i18n } = useTranslation();
  const countryName = useCountryName();
  const period = usePeriod();
  const record = party.record;
  const recordLink = record.kind === "request" ? `/requests/${record.id}` : `/offers/${record.id}`;
  return (
    <Card withBorder padding="md" component="article" data-testid={own ? "own-party" : "party-full"}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" align="flex-start">
          <Stack gap={2}>
            <Title order={3} size="h5">
              {party.organisation.name}
            </Title>
            <Text size="xs" c="dimmed">
              {[t(`matches.sides.${party.side}`), party.organisation.country_iso3 ? countryName(party.organisation.country_iso3) : null].filter(Boolean).join(" · ")}
              {own ? ` · ${t("matches.parties.yours")}` : ""}
            </Text>
          </Stack>
          <Group gap="xs">
            <ConsentBadge status={party.consent_status} />
            <Badge variant="light" color={party.publication_consent ? "teal" : "gray"} tt="none">
              {party.publication_consent === true
                ? t("matches.publication.agreed")
                : party.publication_consent === false
                  ? t("matches.publication.refused")
                  : t("matches.publication.notYet")}
            </Badge>
          </Group>
        </Group>
        <div>
          <Anchor component={Link} to={recordLink} fw={600} size="sm">
            {record.title}
          </Anchor>{" "}
          <Text span size="xs" c="dimmed">
            {t(`matches.parties.recordKinds.${record.kind}`)} {record.reference}
          </Text>
        </div>
        <Facts
          items={[
            { label: t("matches.parties.timeframe"), value: period(record.starts_on, record.ends_on) },
            { label: t("matches.parties.languages"), value: record.languages.length > 0 ? <TermBadges vocabulary="languages" codes={record.languages} color="gray" /> : null },
            {
              label: t("matches.parties.consentDecision"),
              value: party.consent_decided_at
                ? t("matches.parties.decidedOn", { date: formatDateTime(party.consent_decided_at, i18n.language), version: party.consent_version ?? "—" })
                : null,
            },
            { label: t("matches.parties.conditions"), value: party.consent_conditions || null },
          ]}
        />
        {record.public_summary && <Paragraphs text={record.public_summary} empty="" />}
        <ComponentList components={record.components} />
        <Card withBorder padding="sm" style={{ borderColor: "var(--mantine-color-red-6)" }} data-testid="party-confidential">
          <Group gap={6} mb={4}>
            <IconLock size={16} color="var(--mantine-color-red-8)" aria-hidden />
            <Title order={4} size="h6">
              {t("matches.parties.confidential")}
            </Title>
          </Group>
          <Paragraphs text={record.confidential_details} empty={t("matches.parties.noConfidential")} />
          <Text size="sm" fw={600} mt="xs" mb={4}>
            {t("matches.parties.contacts")}
          </Text>
          <ContactsView contacts={record.contacts} />
          <Text size="sm" fw={600} mt="xs" mb={4}>
            {t("matches.parties.attachments")}
          </Text>
          <AttachmentsView attachments={record.attachments} />
        </Card>
      </Stack>
    </Card>
  );
}

export function DisclosureNote({ disclosed }: { disclosed: boolean }) {
  const { t } = useTranslation();
  return disclosed ? (
    <Alert color="teal" role="note" data-testid="disclosed-note">
      {t("matches.parties.disclosedNote")}
    </Alert>
  ) : (
    <Alert color="gray" role="note" icon={<IconEyeOff aria-hidden />} data-testid="redacted-note">
      {t("matches.parties.notDisclosedNote")}
    </Alert>
  );
}
