import { Button, Card, Group, MultiSelect, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { IconDownload } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { api, unwrap } from "@/lib/api";
import { uiLanguage, useAreaLabel, useBureauName, useRegionName } from "@/lib/reference";
import {
  CHARTS,
  type ChartSpec,
  chartData,
  exportUrl,
  formatValue,
  GROUP_BYS,
  type GroupBy,
  PERIODS,
  type Period,
  parseQuarter,
  selectGroups,
  sortRows,
  type StocktakingRow,
} from "./stocktaking";

/** A group's name in the UI language: a period, a region, a bureau or a top-level area. */
function useGroupLabel(groupBy: GroupBy): (group: string) => string {
  const { t } = useTranslation();
  const regionName = useRegionName();
  const bureauName = useBureauName();
  const areaLabel = useAreaLabel();
  return useCallback(
    (group: string) => {
      if (group === "unknown") return t("stats.unknown");
      if (groupBy === "region") return regionName(group);
      if (groupBy === "bureau") return bureauName(group);
      if (groupBy === "area") return areaLabel(group);
      const quarter = parseQuarter(group);
      return quarter ? t("stats.quarter", quarter) : group;
    },
    [t, groupBy, regionName, bureauName, areaLabel],
  );
}

function ChartSection({ spec, rows, labelOf, groupBy }: { spec: ChartSpec; rows: StocktakingRow[]; labelOf: (group: string) => string; groupBy: GroupBy }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const data = useMemo(() => chartData(rows, spec, labelOf), [rows, spec, labelOf]);
  const title = t(`stats.charts.${spec.id}.title`);
  const unitSuffix = spec.unit === "rate" ? " %" : "";
  const longLabels = groupBy !== "period";
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={`chart-${spec.id}`} data-testid={`chart-${spec.id}`}>
      <Title order={2} size="h4" id={`chart-${spec.id}`}>
        {title}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t(`stats.charts.${spec.id}.description`)}
      </Text>
      <ResponsiveContainer width="100%" height={longLabels ? 340 : 290}>
        <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: longLabels ? 48 : 0 }} title={title} desc={t("stats.chartDesc")}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="group" interval={0} angle={longLabels ? -20 : 0} textAnchor={longLabels ? "end" : "middle"} tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={spec.unit !== "count"} unit={unitSuffix} tick={{ fontSize: 12 }} width={56} />
          <Tooltip formatter={(value) => (typeof value === "number" ? `${new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(value)}${unitSuffix}` : String(value))} />
          <Legend verticalAlign="top" height={32} itemSorter={(item) => spec.series.findIndex((s) => s.key === item.dataKey)} />
          {spec.series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={t(`stats.series.${s.key}`)} fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <Table.ScrollContainer minWidth={480} mt="sm">
        <Table striped data-testid={`table-${spec.id}`}>
          <Table.Caption>{t("stats.tableCaption", { title })}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t(`stats.groupBy.${groupBy}`)}</Table.Th>
              {spec.series.map((s) => (
                <Table.Th key={s.key} scope="col" ta="right">
                  {t(`stats.series.${s.key}`)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.group}>
                <Table.Th scope="row" fw={500}>
                  {labelOf(row.group)}
                </Table.Th>
                {spec.series.map((s) => (
                  <Table.Td key={s.key} ta="right">
                    {formatValue(row[s.key], spec.unit, language)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

/** The Secretariat's stocktaking figures: flows, durations, rates, reports and unmet needs, as charts and tables. */
export function StocktakingPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const groupBy = (GROUP_BYS as readonly string[]).includes(params.get("group_by") ?? "") ? (params.get("group_by") as GroupBy) : "period";
  const period = (PERIODS as readonly string[]).includes(params.get("period") ?? "") ? (params.get("period") as Period) : "year";
  const groups = params.getAll("group");
  const labelOf = useGroupLabel(groupBy);
  const query = useQuery({
    queryKey: ["stats", "stocktaking", groupBy, period],
    queryFn: () => unwrap(api.GET("/api/v1/stats/stocktaking", { params: { query: { group_by: groupBy, period } } })),
    placeholderData: keepPreviousData,
  });
  const update = (next: { group_by?: GroupBy; period?: Period; groups?: string[] }) => {
    const p = new URLSearchParams();
    const g = next.group_by ?? groupBy;
    if (g !== "period") p.set("group_by", g);
    const per = next.period ?? period;
    if (g === "period" && per !== "year") p.set("period", per);
    // Groups depend on the grouping: a change of grouping clears the choice.
    for (const group of next.group_by || next.period ? [] : (next.groups ?? groups)) p.append("group", group);
    setParams(p, { replace: true });
  };
  const language = uiLanguage(i18n);
  const all = useMemo(() => sortRows(query.data?.rows ?? [], groupBy, labelOf, language), [query.data, groupBy, labelOf, language]);
  const rows = useMemo(() => selectGroups(all, groups), [all, groups]);

  return (
    <Stack maw={1300}>
      <PageHeader
        title={t("stats.title")}
        description={t("stats.intro")}
        actions={
          <>
            <Button component="a" href={exportUrl(groupBy, period, "csv")} download variant="light" leftSection={<IconDownload size={16} aria-hidden />}>
              {t("stats.downloadCsv")}
            </Button>
            <Button component="a" href={exportUrl(groupBy, period, "xlsx")} download variant="light" leftSection={<IconDownload size={16} aria-hidden />}>
              {t("stats.downloadXlsx")}
            </Button>
          </>
        }
      />
      <Card withBorder padding="sm">
        <Group align="flex-end" wrap="wrap" gap="md">
          <Stack gap={4}>
            <Text size="sm" fw={500} id="stats-group-by">
              {t("stats.groupByLabel")}
            </Text>
            <SegmentedControl
              aria-labelledby="stats-group-by"
              value={groupBy}
              onChange={(value) => update({ group_by: value as GroupBy })}
              data={GROUP_BYS.map((g) => ({ value: g, label: t(`stats.groupBy.${g}`) }))}
            />
          </Stack>
          {groupBy === "period" && (
            <Stack gap={4}>
              <Text size="sm" fw={500} id="stats-period">
                {t("stats.periodLabel")}
              </Text>
              <SegmentedControl
                aria-labelledby="stats-period"
                value={period}
                onChange={(value) => update({ period: value as Period })}
                data={PERIODS.map((p) => ({ value: p, label: t(`stats.periods.${p}`) }))}
              />
            </Stack>
          )}
          <MultiSelect
            label={t("stats.groupsLabel")}
            placeholder={groups.length ? undefined : t("stats.allGroups")}
            data={all.map((row) => ({ value: row.group, label: labelOf(row.group) }))}
            value={groups}
            onChange={(value) => update({ groups: value })}
            clearable
            searchable
            miw={280}
            style={{ flex: 1 }}
            comboboxProps={{ withinPortal: true }}
          />
        </Group>
        <Text size="xs" c="dimmed" mt="xs">
          {t(`stats.cohorts.${groupBy}`)}
        </Text>
      </Card>
      {query.isLoading && <Loading />}
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      {query.data && rows.length === 0 && <Text c="dimmed">{t("stats.empty")}</Text>}
      {rows.length > 0 && (
        <SimpleGrid cols={{ base: 1, xl: 2 }} aria-busy={query.isFetching}>
          {CHARTS.map((spec) => (
            <ChartSection key={spec.id} spec={spec} rows={rows} labelOf={labelOf} groupBy={groupBy} />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
