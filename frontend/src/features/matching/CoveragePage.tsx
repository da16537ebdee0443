import { Alert, Box, Card, Group, Select, Stack, Switch, Table, Text, Title, UnstyledButton, VisuallyHidden } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { formatNumber, localised } from "@/lib/format";
import { uiLanguage, useAreaPath, useAreas, useCountryName } from "@/lib/reference";
import { useCoverage } from "./api";
import { cellKey, cellTotal, type CoverageCell, coverageMatrix, HEAT_LEVELS, heatLevel, heatStyle } from "./logic";
import { MatchingNav } from "./MatchingNav";

function Legend({ max }: { max: number }) {
  const { t } = useTranslation();
  return (
    <Group gap="md" role="group" aria-label={t("matching.coverage.legend")}>
      {Array.from({ length: HEAT_LEVELS }, (_, i) => i + 1).map((level) => {
        const low = Math.floor(((level - 1) / HEAT_LEVELS) * max) + 1;
        const high = Math.floor((level / HEAT_LEVELS) * max);
        if (high < low) return null;
        return (
          <Group key={level} gap={4} wrap="nowrap">
            <Box w={18} h={14} style={{ ...heatStyle(level), border: "1px solid var(--mantine-color-gray-5)" }} aria-hidden />
            <Text size="xs">{low === high ? low : `${low}–${high}`}</Text>
          </Group>
        );
      })}
      <Group gap={4} wrap="nowrap">
        <IconAlertTriangle size={14} color="var(--mantine-color-orange-9)" aria-hidden />
        <Text size="xs">{t("matching.coverage.overlapLegend")}</Text>
      </Group>
    </Group>
  );
}

/**
 * Where support flows: a country x area table of live matches and existing support. Each cell shows its count
 * (the colour only repeats it) and flags overlaps (several sources: possible duplication); choosing a cell
 * lists its sources.
 */
export function CoveragePage() {
  const { t, i18n } = useTranslation();
  const coverage = useCoverage();
  const areas = useAreas(true);
  const countryName = useCountryName();
  const areaPath = useAreaPath();
  const [area, setArea] = useState<string | null>(null);
  const [overlapsOnly, setOverlapsOnly] = useState(false);
  const [picked, setPicked] = useState<CoverageCell | null>(null);
  const lang = uiLanguage(i18n);
  const areaIndex = new Map((areas.data ?? []).map((a, i) => [a.code, a.sort_order * 1000 + i]));
  const parents = (areas.data ?? []).filter((a) => !a.parent_code).sort((a, b) => a.sort_order - b.sort_order);
  const areaLabel = (code: string) => localised((areas.data ?? []).find((a) => a.code === code), lang, "label") || code;
  const order = (code: string) => {
    const parent = code.split(".")[0] ?? code;
    return (areaIndex.get(parent) ?? 0) * 1000 + (code === parent ? 0 : (areaIndex.get(code) ?? 999) + 1);
  };
  const matrix = coverageMatrix(coverage.data ?? [], {
    area,
    overlapsOnly,
    countryOrder: (a, b) => countryName(a).localeCompare(countryName(b), lang),
    areaOrder: (a, b) => order(a) - order(b) || a.localeCompare(b),
  });
  const overlaps = (coverage.data ?? []).filter((c) => c.overlap).length;

  const describe = (cell: CoverageCell) =>
    [
      t("matching.coverage.cellMatches", { count: cell.matches }),
      t("matching.coverage.cellExisting", { count: cell.existing_support }),
      cell.overlap ? t("matching.coverage.overlap") : null,
    ]
      .filter(Boolean)
      .join(", ");

  return (
    <Stack>
      <PageHeader title={t("matching.coverage.title")} description={t("matching.coverage.intro")} />
      <MatchingNav />
      {coverage.isLoading && <Loading />}
      {coverage.isError && <ErrorAlert error={coverage.error} onRetry={() => void coverage.refetch()} />}
      {coverage.data && (
        <Card withBorder component="section" padding="md">
          <Group justify="space-between" align="flex-end" mb="sm" wrap="wrap">
            <Group align="flex-end">
              <Select
                label={t("matching.coverage.areaFilter")}
                clearable
                data={parents.map((p) => ({ value: p.code, label: localised(p, lang, "label") }))}
                value={area}
                onChange={setArea}
                comboboxProps={{ withinPortal: true }}
                w={300}
              />
              <Switch label={t("matching.coverage.overlapsOnly", { count: overlaps })} checked={overlapsOnly} onChange={(e) => setOverlapsOnly(e.currentTarget.checked)} mb={6} />
            </Group>
            <Legend max={matrix.max} />
          </Group>
          {matrix.countries.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t("matching.coverage.empty")}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={Math.max(600, 160 + matrix.areas.length * 96)}>
              <Table withTableBorder withColumnBorders data-testid="coverage-table" fz="sm">
                <Table.Caption>{t("matching.coverage.caption")}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t("matching.columns.country")}</Table.Th>
                    {matrix.areas.map((code) => (
                      <Table.Th key={code} scope="col" style={{ minWidth: 96, verticalAlign: "bottom" }}>
                        <Text size="xs" fw={700} title={areaPath(code)}>
                          {areaLabel(code)}
                        </Text>
                      </Table.Th>
                    ))}
                    <Table.Th scope="col" ta="right">
                      {t("matching.coverage.total")}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {matrix.countries.map((country) => {
                    const total = matrix.areas.reduce((sum, code) => sum + cellTotal(matrix.cells.get(cellKey(country, code))), 0);
                    return (
                      <Table.Tr key={country}>
                        <Table.Th scope="row">{countryName(country)}</Table.Th>
                        {matrix.areas.map((code) => {
                          const cell = matrix.cells.get(cellKey(country, code));
                          if (!cell) return <Table.Td key={code} />;
                          const value = cellTotal(cell);
                          const style = heatStyle(heatLevel(value, matrix.max));
                          return (
                            <Table.Td
                              key={code}
                              p={0}
                              style={{ ...style, outline: cell.overlap ? "2px dashed var(--mantine-color-orange-9)" : undefined, outlineOffset: -3 }}
                              data-testid="coverage-cell"
                              data-overlap={cell.overlap ? "true" : "false"}
                            >
                              <UnstyledButton
                                w="100%"
                                p={6}
                                onClick={() => setPicked(cell)}
                                aria-label={`${countryName(country)}, ${areaPath(code)}: ${formatNumber(value, i18n.language)} (${describe(cell)})`}
                                style={{ color: style.color, textAlign: "center" }}
                              >
                                <Text span fw={700} size="sm" c="inherit">
                                  {formatNumber(value, i18n.language)}
                                </Text>
                                {cell.overlap && (
                                  <>
                                    {" "}
                                    <IconAlertTriangle size={14} aria-hidden style={{ verticalAlign: "middle" }} />
                                    <VisuallyHidden>{t("matching.coverage.overlap")}</VisuallyHidden>
                                  </>
                                )}
                              </UnstyledButton>
                            </Table.Td>
                          );
                        })}
                        <Table.Td ta="right" fw={600}>
                          {formatNumber(total, i18n.language)}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Card>
      )}
      {picked && (
        <Alert
          color={picked.overlap ? "orange" : "blue"}
          title={`${countryName(picked.country_iso3)} · ${areaPath(picked.area_code)}`}
          withCloseButton
          onClose={() => setPicked(null)}
          role="status"
          data-testid="coverage-detail"
        >
          <Stack gap={4}>
            <Text size="sm">{describe(picked)}</Text>
            {picked.sources.length > 0 && (
              <>
                <Title order={2} size="h6">
                  {t("matching.coverage.sources")}
                </Title>
                <Text size="sm">{picked.sources.join(" · ")}</Text>
              </>
            )}
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}
