import { Alert, Anchor, Badge, Card, DataList, Group, List, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { IconAlertTriangle, IconExternalLink, IconLock } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "@/lib/api";
import { formatDay } from "@/lib/format";
import { useAreaPath, useCountryName, useTermLabel } from "@/lib/reference";

type Component = Schemas["ComponentOut"] | Schemas["RequestComponentOut"];

const COVERAGE_COLORS = { open: "gray", partially_covered: "yellow", covered: "green" } as const;

/** "1 Apr 2021 – 31 Dec 2025", "From 1 Apr 2021", "Until …", or "Not specified". */
export function usePeriod(): (startsOn: string | null, endsOn: string | null) => string {
  const { t, i18n } = useTranslation();
  return (startsOn, endsOn) => {
    const start = formatDay(startsOn, i18n.language);
    const end = formatDay(endsOn, i18n.language);
    if (start && end) return `${start} – ${end}`;
    if (start) return t("commitments.period.from", { date: start });
    if (end) return t("commitments.period.until", { date: end });
    return t("commitments.period.open");
  };
}

/** Free text as written (line breaks kept), or a dimmed note when there is none. */
export function Paragraphs({ text, empty }: { text: string; empty: string }) {
  return text ? (
    <Text style={{ whiteSpace: "pre-wrap" }}>{text}</Text>
  ) : (
    <Text c="dimmed" size="sm">
      {empty}
    </Text>
  );
}

/** A card with an h2 heading, the building block of detail pages. */
export function Section({ title, children, icon, testId }: { title: string; children: ReactNode; icon?: ReactNode; testId?: string }) {
  return (
    <Card withBorder padding="lg" component="section" data-testid={testId}>
      <Group gap="xs" mb="sm">
        {icon}
        <Title order={2} size="h4">
          {title}
        </Title>
      </Group>
      {children}
    </Card>
  );
}

/** Label / value pairs (a `dl`); items whose value is empty are left out. */
export function Facts({ items }: { items: { label: string; value: ReactNode }[] }) {
  const shown = items.filter((item) => item.value !== null && item.value !== undefined && item.value !== "" && !(Array.isArray(item.value) && item.value.length === 0));
  return (
    <DataList labelWidth={200} withDivider>
      {shown.map((item) => (
        <DataList.Item key={item.label}>
          <DataList.ItemLabel>{item.label}</DataList.ItemLabel>
          <DataList.ItemValue>{item.value}</DataList.ItemValue>
        </DataList.Item>
      ))}
    </DataList>
  );
}

/** Codes of a vocabulary as light badges with their localised labels. */
export function TermBadges({ vocabulary, codes, color = "blue" }: { vocabulary: string; codes: string[]; color?: string }) {
  const label = useTermLabel(vocabulary);
  if (codes.length === 0) return null;
  return (
    <Group gap={6}>
      {codes.map((code) => (
        <Badge key={code} variant="light" color={color} tt="none">
          {label(code)}
        </Badge>
      ))}
    </Group>
  );
}

/** The components of a request or offer, in order, with localised area, modality and support-type labels. */
export function ComponentsView({ components }: { components: Component[] }) {
  const { t } = useTranslation();
  const areaPath = useAreaPath();
  const sorted = [...components].sort((a, b) => a.position - b.position);
  return (
    <Stack gap="sm">
      {sorted.map((component, index) => (
        <Card key={component.id} withBorder padding="sm" data-testid="component-view">
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Title order={3} size="h6">
              {index + 1}. {areaPath(component.area_code)}
            </Title>
            {"status" in component && (
              <Badge color={COVERAGE_COLORS[component.status]} variant="light" miw="max-content">
                {t(`commitments.coverage.${component.status}`)}
              </Badge>
            )}
          </Group>
          {component.description && (
            <Text size="sm" mt={6} style={{ whiteSpace: "pre-wrap" }}>
              {component.description}
            </Text>
          )}
          <Stack gap={6} mt="xs">
            {component.modalities.length > 0 && (
              <Group gap="xs" wrap="nowrap" align="flex-start">
                <Text size="xs" c="dimmed" w={130} style={{ flexShrink: 0 }}>
                  {t("commitments.fields.modalities")}
                </Text>
                <TermBadges vocabulary="modalities" codes={component.modalities} />
              </Group>
            )}
            {component.support_types.length > 0 && (
              <Group gap="xs" wrap="nowrap" align="flex-start">
                <Text size="xs" c="dimmed" w={130} style={{ flexShrink: 0 }}>
                  {t("commitments.fields.supportTypes")}
                </Text>
                <TermBadges vocabulary="support_types" codes={component.support_types} color="grape" />
              </Group>
            )}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}

export function ContactsView({ contacts }: { contacts: Schemas["Contact"][] }) {
  const { t } = useTranslation();
  if (contacts.length === 0) return <Text c="dimmed" size="sm">{t("commitments.detail.noContacts")}</Text>;
  return (
    <Table.ScrollContainer minWidth={500}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("commitments.fields.name")}</Table.Th>
            <Table.Th>{t("commitments.fields.role")}</Table.Th>
            <Table.Th>{t("commitments.fields.email")}</Table.Th>
            <Table.Th>{t("commitments.fields.phone")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {contacts.map((c, index) => (
            <Table.Tr key={`${c.name}-${index}`}>
              <Table.Td>{c.name}</Table.Td>
              <Table.Td>{c.role}</Table.Td>
              <Table.Td>{c.email && <Anchor href={`mailto:${c.email}`}>{c.email}</Anchor>}</Table.Td>
              <Table.Td>{c.phone}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function AttachmentsView({ attachments }: { attachments: Schemas["Attachment"][] }) {
  const { t } = useTranslation();
  if (attachments.length === 0) return <Text c="dimmed" size="sm">{t("commitments.detail.noAttachments")}</Text>;
  return (
    <List spacing={4}>
      {attachments.map((a, index) => (
        <List.Item key={`${a.url}-${index}`}>
          <Anchor href={a.url} target="_blank" rel="noopener noreferrer">
            {a.title} <IconExternalLink size={14} aria-hidden style={{ verticalAlign: "middle" }} />
            <VisuallyHidden>{t("app.opensInNewTab")}</VisuallyHidden>
          </Anchor>
        </List.Item>
      ))}
    </List>
  );
}

/** Support already flowing to the same country, area and period: a possible duplicate. */
export function DuplicationWarnings({ warnings }: { warnings: Schemas["DuplicationWarning"][] }) {
  const { t } = useTranslation();
  const areaPath = useAreaPath();
  const countryName = useCountryName();
  const period = usePeriod();
  if (warnings.length === 0) return null;
  return (
    <Alert role="note" color="yellow" icon={<IconAlertTriangle aria-hidden />} title={t("commitments.detail.duplicationTitle", { total: warnings.length })}>
      <Text size="sm" mb="xs">
        {t("commitments.detail.duplicationIntro")}
      </Text>
      <List size="sm" spacing={4}>
        {warnings.map((w) => (
          <List.Item key={`${w.kind}-${w.record_id}`}>
            <Text span fw={600} size="sm">
              {w.provider_name ?? t(`commitments.duplicationKinds.${w.kind}`)}
            </Text>{" "}
            ({t(`commitments.duplicationKinds.${w.kind}`)}, {countryName(w.country_iso3)}) · {w.area_codes.map(areaPath).join("; ")} ·{" "}
            {period(w.starts_on, w.ends_on)}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

/** Marks a section whose content only the owner, the Secretariat and UNHCR offices covering the country see. */
export function ConfidentialIcon() {
  return <IconLock size={20} aria-hidden color="var(--mantine-color-red-8)" />;
}
