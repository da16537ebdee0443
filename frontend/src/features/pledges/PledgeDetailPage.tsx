import { Anchor, Badge, Group, List, Stack, Table, Text } from "@mantine/core";
import { IconStarFilled } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { Facts, Paragraphs, Section, TermBadges } from "@/components/commitments/Views";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { api, type Schemas, unwrap } from "@/lib/api";
import { formatDateTime, formatDay } from "@/lib/format";
import { useAreaPath, useCountryName, useTermLabel } from "@/lib/reference";
import { useMe } from "@/lib/session";
import { STAGE_COLORS } from "./filters";

function Linked({ records, path, signedIn, empty }: { records: Schemas["LinkedRecord"][]; path: string; signedIn: boolean; empty: string }) {
  if (records.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    );
  return (
    <List spacing={4}>
      {records.map((r) => (
        <List.Item key={r.id}>
          {/* Records open for signed-in users; the public sees their titles. */}
          {signedIn ? (
            <Anchor component={Link} to={`${path}/${r.id}`} size="sm">
              {r.title}
            </Anchor>
          ) : (
            <Text span size="sm">
              {r.title}
            </Text>
          )}{" "}
          <Text span size="xs" c="dimmed" ff="monospace">
            {r.reference}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}

/** One pledge: who pledged (the lead marked), what, at which event, and the requests and offers stemming from it. */
export function PledgeDetailPage() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const countryName = useCountryName();
  const areaPath = useAreaPath();
  const eventLabel = useTermLabel("pledge_source_events");
  const stageLabel = useTermLabel("public_stages");
  const contributorLabel = useTermLabel("contributor_types");
  const query = useQuery({
    queryKey: ["pledges", "detail", id],
    queryFn: () => unwrap(api.GET("/api/v1/pledges/{pledge_id}", { params: { path: { pledge_id: id } } })),
  });
  if (query.isLoading) return <Loading />;
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const pledge = query.data;
  if (!pledge) return null;
  const entities = [...pledge.organisations].sort((a, b) => Number(b.is_lead) - Number(a.is_lead));

  return (
    <Stack maw={1100}>
      <PageHeader title={pledge.title} description={`${pledge.external_id} · ${eventLabel(pledge.source_event)}`} />
      <Group gap="xs">
        {pledge.stage && (
          <Badge size="lg" color={STAGE_COLORS[pledge.stage]} variant="light">
            {stageLabel(pledge.stage)}
          </Badge>
        )}
        {!pledge.is_published && (
          <Badge size="lg" color="gray" variant="outline">
            {t("pledges.unpublished")}
          </Badge>
        )}
      </Group>
      {pledge.description && (
        <Section title={t("pledges.fields.description")}>
          <Paragraphs text={pledge.description} empty={t("commitments.detail.none")} />
        </Section>
      )}
      <Section title={t("commitments.detail.overview")}>
        <Facts
          items={[
            { label: t("pledges.fields.externalId"), value: pledge.external_id },
            { label: t("pledges.fields.sourceEvent"), value: eventLabel(pledge.source_event) },
            { label: t("pledges.fields.stage"), value: pledge.stage ? stageLabel(pledge.stage) : null },
            { label: t("pledges.fields.submittedOn"), value: formatDay(pledge.submitted_on, i18n.language) },
            { label: t("pledges.fields.types"), value: pledge.pledge_types.length > 0 ? <TermBadges vocabulary="pledge_types" codes={pledge.pledge_types} color="grape" /> : null },
            {
              label: t("commitments.fields.areas"),
              value:
                pledge.areas.length > 0 ? (
                  <Stack gap={2}>
                    {pledge.areas.map((a) => (
                      <Text key={a} size="sm">
                        {areaPath(a)}
                      </Text>
                    ))}
                  </Stack>
                ) : null,
            },
            { label: t("commitments.fields.updatedAt"), value: formatDateTime(pledge.updated_at, i18n.language) },
          ]}
        />
      </Section>
      <Section title={t("pledges.entities")}>
        <Table.ScrollContainer minWidth={560}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("commitments.fields.organisation")}</Table.Th>
                <Table.Th>{t("pledges.fields.contributorType")}</Table.Th>
                <Table.Th>{t("commitments.fields.country")}</Table.Th>
                <Table.Th>{t("pledges.fields.role")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entities.map((e) => (
                <Table.Tr key={e.organisation_id}>
                  <Table.Td fw={e.is_lead ? 600 : undefined}>{e.name}</Table.Td>
                  <Table.Td>{contributorLabel(e.contributor_type)}</Table.Td>
                  <Table.Td>{countryName(e.country_iso3)}</Table.Td>
                  <Table.Td>
                    {e.is_lead ? (
                      <Badge color="yellow" variant="light" leftSection={<IconStarFilled size={12} aria-hidden />}>
                        {t("pledges.lead")}
                      </Badge>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t("pledges.coPledger")}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Section>
      <Section title={t("pledges.linkedRequests")}>
        <Linked records={pledge.requests} path="/requests" signedIn={Boolean(me)} empty={t("pledges.noLinkedRequests")} />
      </Section>
      <Section title={t("pledges.linkedOffers")}>
        <Linked records={pledge.offers} path="/offers" signedIn={Boolean(me)} empty={t("pledges.noLinkedOffers")} />
      </Section>
      <Group gap="lg">
        <Anchor component={Link} to="/pledges" size="sm">
          {t("pledges.backToList")}
        </Anchor>
        {/* Progress reports (features/reports): for the Secretariat and the pledging entities' members. */}
        {me && (me.is_secretariat || me.memberships.some((m) => pledge.organisations.some((o) => o.organisation_id === m.organisation_id))) && (
          <Anchor component={Link} to={`/pledges/${pledge.id}/reports`} size="sm">
            {t("reports.pledge.link")}
          </Anchor>
        )}
      </Group>
    </Stack>
  );
}
