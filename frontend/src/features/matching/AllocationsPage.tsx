import { Anchor, Button, Card, Group, Select, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { IconPlayerPlay } from "@tabler/icons-react";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { AreaSelect } from "@/components/AreaSelect";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { formatScore } from "@/components/matching/criteria";
import { formatDateTime, formatNumber } from "@/lib/format";
import { useAreaPath, useBureauName, useBureauOptions, useRegionName, useRegionOptions } from "@/lib/reference";
import { type AllocationRun, useAllocationRuns, useRunAllocation } from "./api";
import { MatchingNav } from "./MatchingNav";
import { READABLE_ERRORS } from "@/components/matching/a11y";

/** "Region: Africa · Area: Procedures", or "All open components". */
export function useRunFilters(): (filters: Record<string, string>) => string {
  const { t } = useTranslation();
  const regionName = useRegionName();
  const bureauName = useBureauName();
  const areaPath = useAreaPath();
  return (filters) => {
    const parts = [
      filters.region ? `${t("filters.region")}: ${regionName(filters.region)}` : null,
      filters.bureau ? `${t("filters.bureau")}: ${bureauName(filters.bureau)}` : null,
      filters.area ? `${t("filters.area")}: ${areaPath(filters.area)}` : null,
    ].filter(Boolean);
    return parts.length ? parts.join(" · ") : t("matching.allocations.allComponents");
  };
}

export function gainText(run: AllocationRun, language: string): string {
  const gain = formatScore(run.gain_over_greedy, language);
  return run.gain_over_greedy_percent == null ? gain : `${gain} (${formatScore(run.gain_over_greedy_percent, language)} %)`;
}

/** Run an optimal allocation (optionally for a region, bureau or area) and read the past runs. */
export function AllocationsPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const runs = useAllocationRuns();
  const run = useRunAllocation();
  const describe = useRunFilters();
  const regionOptions = useRegionOptions();
  const bureauOptions = useBureauOptions();
  const [region, setRegion] = useState<string | null>(null);
  const [bureau, setBureau] = useState<string | null>(null);
  const [area, setArea] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    run.mutate(
      { region: region || undefined, bureau: bureau || undefined, area: area || undefined },
      { onSuccess: (report) => void navigate(`/matching/allocations/${report.id}`) },
    );
  };

  return (
    <Stack>
      <PageHeader title={t("matching.allocations.title")} description={t("matching.allocations.intro")} />
      <MatchingNav />
      <Card withBorder component="section" padding="md">
        <Title order={2} size="h4" mb="xs">
          {t("matching.allocations.runTitle")}
        </Title>
        <form onSubmit={submit} noValidate style={READABLE_ERRORS}>
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Select label={t("filters.region")} data={regionOptions} searchable clearable value={region} onChange={setRegion} comboboxProps={{ withinPortal: true }} />
              <Select label={t("filters.bureau")} data={bureauOptions} clearable value={bureau} onChange={setBureau} comboboxProps={{ withinPortal: true }} />
              <AreaSelect label={t("filters.area")} clearable value={area} onChange={setArea} comboboxProps={{ withinPortal: true }} />
            </SimpleGrid>
            <Text size="sm" c="dimmed">
              {t("matching.allocations.runHint")}
            </Text>
            {run.isError && <ErrorAlert error={run.error} />}
            <Group>
              <Button type="submit" loading={run.isPending} leftSection={<IconPlayerPlay size={16} aria-hidden />}>
                {t("matching.allocations.run")}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>

      <Card withBorder component="section" padding="md">
        <Title order={2} size="h4" mb="xs">
          {t("matching.allocations.pastRuns")}
        </Title>
        {runs.isLoading && <Loading />}
        {runs.isError && <ErrorAlert error={runs.error} onRetry={() => void runs.refetch()} />}
        {runs.data && runs.data.length === 0 && (
          <Text c="dimmed" size="sm">
            {t("matching.allocations.noRuns")}
          </Text>
        )}
        {runs.data && runs.data.length > 0 && (
          <Table.ScrollContainer minWidth={900}>
            <Table striped data-testid="runs-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("matching.allocations.columns.when")}</Table.Th>
                  <Table.Th scope="col">{t("matching.allocations.columns.scope")}</Table.Th>
                  <Table.Th scope="col">{t("matching.allocations.columns.criteria")}</Table.Th>
                  <Table.Th scope="col">{t("matching.allocations.columns.inputs")}</Table.Th>
                  <Table.Th scope="col">{t("matching.allocations.columns.total")}</Table.Th>
                  <Table.Th scope="col">{t("matching.allocations.columns.greedy")}</Table.Th>
                  <Table.Th scope="col">{t("matching.allocations.columns.gain")}</Table.Th>
                  <Table.Th scope="col">{t("matching.allocations.columns.coverage")}</Table.Th>
                  <Table.Th scope="col">{t("matching.allocations.columns.uncovered")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {runs.data.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/matching/allocations/${r.id}`}>
                        {formatDateTime(r.created_at, i18n.language)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{describe(r.filters)}</Table.Td>
                    <Table.Td>{r.criteria_version}</Table.Td>
                    <Table.Td>
                      {t("matching.allocations.inputs", {
                        components: formatNumber(r.components_count, i18n.language),
                        offers: formatNumber(r.offers_count, i18n.language),
                      })}
                    </Table.Td>
                    <Table.Td>{formatScore(r.total_score, i18n.language)}</Table.Td>
                    <Table.Td>{formatScore(r.greedy_total_score, i18n.language)}</Table.Td>
                    <Table.Td>{gainText(r, i18n.language)}</Table.Td>
                    <Table.Td>
                      {formatNumber(r.covered_before, i18n.language)} → {formatNumber(r.covered_after, i18n.language)}
                    </Table.Td>
                    <Table.Td>{formatNumber(r.uncovered_count, i18n.language)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
    </Stack>
  );
}
