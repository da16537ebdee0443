import { Anchor, Box, Button, Card, Checkbox, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { IconCirclePlus, IconListCheck } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { ContributionBar, ContributionLegend } from "@/components/matching/ContributionBar";
import { CONTRIBUTIONS, formatScore, sharedScale } from "@/components/matching/criteria";
import { formatDateTime, formatNumber } from "@/lib/format";
import { useAreaPath, useCountryName } from "@/lib/reference";
import { type AllocationReport, useAllocationRun } from "./api";
import { gainText, useRunFilters } from "./AllocationsPage";
import { pairKey, type ProposalPair, togglePair } from "./logic";
import { MatchingNav } from "./MatchingNav";
import { ProposalModal } from "./ProposalModal";
import { useComponentLabel, useOfferLabel } from "./SuggestionTables";

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

/** Two or more quantities side by side as labelled bars with their values (values are in the text too). */
function Comparison({ title, rows }: { title: string; rows: { label: string; value: number; text: string; color: string }[] }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <Stack gap={6}>
      <Title order={3} size="h5">
        {title}
      </Title>
      {rows.map((row) => (
        <Group key={row.label} gap="sm" wrap="nowrap">
          <Text size="sm" w={160}>
            {row.label}
          </Text>
          <Box style={{ flex: 1, background: "var(--mantine-color-gray-1)", borderRadius: 3 }} h={16} aria-hidden>
            <Box h={16} style={{ width: `${(row.value / max) * 100}%`, background: row.color, borderRadius: 3 }} />
          </Box>
          <Text size="sm" fw={600} w={120} ta="right">
            {row.text}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}

function Summary({ report }: { report: AllocationReport }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  const s = (v: number) => formatScore(v, i18n.language);
  return (
    <Card withBorder component="section" padding="md">
      <Title order={2} size="h4" mb="sm">
        {t("matching.run.summary")}
      </Title>
      <SimpleGrid cols={{ base: 2, md: 4 }} mb="md">
        <Stat label={t("matching.run.total")} value={s(report.total_score)} />
        <Stat label={t("matching.run.greedy")} value={s(report.greedy_total_score)} hint={t("matching.run.greedyAssignments", { count: report.greedy_assignments_count })} />
        <Stat label={t("matching.run.gain")} value={gainText(report, i18n.language)} />
        <Stat label={t("matching.run.assigned")} value={n(report.assignments.length)} hint={t("matching.run.uncoveredHint", { count: report.uncovered_count })} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
        <Comparison
          title={t("matching.run.scoreComparison")}
          rows={[
            { label: t("matching.run.optimal"), value: report.total_score, text: s(report.total_score), color: "var(--mantine-color-blue-7)" },
            { label: t("matching.run.greedyShort"), value: report.greedy_total_score, text: s(report.greedy_total_score), color: "var(--mantine-color-gray-6)" },
          ]}
        />
        <Comparison
          title={t("matching.run.coverage")}
          rows={[
            { label: t("matching.run.coveredBefore"), value: report.covered_before, text: n(report.covered_before), color: "var(--mantine-color-gray-6)" },
            { label: t("matching.run.coveredAfter"), value: report.covered_after, text: n(report.covered_after), color: "var(--mantine-color-teal-7)" },
          ]}
        />
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="sm">
        {t("matching.run.meta", {
          version: report.criteria_version,
          snapshot: formatDateTime(report.inputs_snapshot_at, i18n.language),
          components: n(report.components_count),
          offers: n(report.offers_count),
          ms: s(report.duration_ms),
        })}
      </Text>
    </Card>
  );
}

/** One allocation run: its result against the greedy baseline, the assignments with their explanations,
 * what stays uncovered; proposals made from its assignments cite the run. */
export function AllocationRunPage() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const report = useAllocationRun(id);
  const describe = useRunFilters();
  const areaPath = useAreaPath();
  const countryName = useCountryName();
  const offerLabel = useOfferLabel();
  const componentLabel = useComponentLabel();
  const [selected, setSelected] = useState<ProposalPair[]>([]);
  const [proposing, setProposing] = useState<ProposalPair[] | null>(null);

  if (report.isLoading) return <Loading />;
  if (report.isError) return <ErrorAlert error={report.error} onRetry={() => void report.refetch()} />;
  if (!report.data) return null;
  const data = report.data;
  const scale = sharedScale(data.assignments.map((a) => a.contributions));
  const keys = new Set(selected.map(pairKey));
  const pairOf = (a: AllocationReport["assignments"][number]): ProposalPair => ({
    componentId: a.component.id,
    offerId: a.offer.id,
    rankKnown: false,
    score: a.score,
    contributions: a.contributions,
    componentLabel: componentLabel(a.component),
    offerLabel: offerLabel(a.offer),
  });

  return (
    <Stack>
      <PageHeader
        title={t("matching.run.title", { when: formatDateTime(data.created_at, i18n.language) })}
        description={describe(data.filters)}
        actions={
          <Anchor component={Link} to="/matching/allocations" size="sm">
            {t("matching.run.back")}
          </Anchor>
        }
      />
      <MatchingNav />
      <Summary report={data} />

      <Card withBorder component="section" padding="md">
        <Group justify="space-between" mb="xs" align="flex-start">
          <Title order={2} size="h4">
            {t("matching.run.assignments", { count: data.assignments.length })}
          </Title>
          <ContributionLegend names={CONTRIBUTIONS} />
        </Group>
        {selected.length > 0 && (
          <Group mb="sm" gap="sm">
            <Text size="sm" fw={600} role="status">
              {t("matching.console.selectedCount", { count: selected.length })}
            </Text>
            <Button size="xs" variant="default" onClick={() => setSelected([])}>
              {t("matching.console.clearSelection")}
            </Button>
            <Button size="xs" leftSection={<IconListCheck size={14} aria-hidden />} onClick={() => setProposing(selected)}>
              {t("matching.console.proposeSelected")}
            </Button>
          </Group>
        )}
        {data.assignments.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t("matching.run.noAssignments")}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="sm" data-testid="assignments-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("matching.columns.select")}</Table.Th>
                  <Table.Th scope="col">{t("matching.columns.component")}</Table.Th>
                  <Table.Th scope="col">{t("matching.columns.offer")}</Table.Th>
                  <Table.Th scope="col">{t("matching.columns.why")}</Table.Th>
                  <Table.Th scope="col">{t("app.actions")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.assignments.map((a) => {
                  const pair = pairOf(a);
                  return (
                    <Table.Tr key={pairKey(pair)}>
                      <Table.Td>
                        <Checkbox
                          aria-label={t("matching.console.selectPair", { offer: a.offer.title, area: areaPath(a.component.area_code) })}
                          checked={keys.has(pairKey(pair))}
                          onChange={() => setSelected((s) => togglePair(s, pair))}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/requests/${a.component.request_id}`} size="sm" fw={600}>
                          {a.component.title}
                        </Anchor>
                        <Text size="xs">{areaPath(a.component.area_code)}</Text>
                        <Text size="xs" c="dimmed">
                          {a.component.reference} · {countryName(a.component.country_iso3)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/offers/${a.offer.id}`} size="sm" fw={600}>
                          {a.offer.title}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {a.offer.reference} · {a.offer.organisation_name}
                        </Text>
                      </Table.Td>
                      <Table.Td w="40%">
                        <ContributionBar contributions={a.contributions} score={a.score} scale={scale} />
                      </Table.Td>
                      <Table.Td>
                        <Button
                          size="xs"
                          variant="light"
                          leftSection={<IconCirclePlus size={14} aria-hidden />}
                          aria-label={t("matching.run.proposeOne", { offer: a.offer.title, request: a.component.title })}
                          onClick={() => setProposing([pair])}
                        >
                          {t("matching.console.propose")}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>

      <Card withBorder component="section" padding="md">
        <Title order={2} size="h4" mb="xs">
          {t("matching.run.uncovered", { count: data.uncovered_count })}
        </Title>
        {data.uncovered.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t("matching.run.noUncovered")}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={700}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("matching.columns.request")}</Table.Th>
                  <Table.Th scope="col">{t("matching.columns.area")}</Table.Th>
                  <Table.Th scope="col">{t("matching.columns.country")}</Table.Th>
                  <Table.Th scope="col">{t("app.actions")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.uncovered.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/requests/${c.request_id}`} size="sm">
                        {c.title}
                      </Anchor>{" "}
                      <Text span size="xs" c="dimmed">
                        {c.reference}
                      </Text>
                    </Table.Td>
                    <Table.Td>{areaPath(c.area_code)}</Table.Td>
                    <Table.Td>{countryName(c.country_iso3)}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/matching?request=${c.request_id}`} size="sm">
                        {t("matching.findOffers")}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {data.uncovered.length < data.uncovered_count && (
          <Text size="xs" c="dimmed" mt="xs">
            {t("matching.run.uncoveredTruncated", { shown: data.uncovered.length, total: data.uncovered_count })}
          </Text>
        )}
      </Card>
      <ProposalModal
        opened={proposing !== null}
        onClose={() => setProposing(null)}
        pairs={proposing ?? []}
        allocationRunId={data.id}
        onRemove={(pair) => {
          setProposing((p) => (p ? p.filter((x) => pairKey(x) !== pairKey(pair)) : p));
          setSelected((s) => s.filter((x) => pairKey(x) !== pairKey(pair)));
        }}
      />
    </Stack>
  );
}
