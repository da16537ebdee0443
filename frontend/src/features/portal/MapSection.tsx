import { Box, Button, Card, Collapse, Group, SegmentedControl, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { IconTable } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useCallback, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { unwrap } from "@/lib/api";
import { formatNumber, localised } from "@/lib/format";
import { uiLanguage, useCountries } from "@/lib/reference";
import {
  classLabel,
  colourClasses,
  type CountryFigures,
  EMPTY_COLOUR,
  figuresByNumeric,
  MAP_LAYERS,
  type MapLayer,
  numericKey,
  PALETTES,
  tableRows,
} from "./mapScale";
import { publicApi } from "./publicApi";

// The map code and the world topology come as a separate chunk, requested when the section first renders
// (in parallel with the figures), not after them.
let mapChunk: Promise<typeof import("./WorldMap")> | undefined;
export const loadWorldMap = () => (mapChunk ??= import("./WorldMap"));
const WorldMap = lazy(loadWorldMap);

export const MAP_KEY = ["public", "map"] as const;

export function usePublicMap() {
  return useQuery({
    queryKey: MAP_KEY,
    queryFn: () => unwrap(publicApi.GET("/api/v1/public/map")),
    staleTime: 60_000,
  });
}

const MAP_ASPECT = "960 / 470";

function Legend({ layer, classes }: { layer: MapLayer; classes: { min: number; max: number; colour: string }[] }) {
  const { t, i18n } = useTranslation();
  const format = (n: number) => formatNumber(n, i18n.language);
  const swatch = (colour: string) => (
    <Box component="span" aria-hidden w={18} h={14} style={{ display: "inline-block", background: colour, border: "1px solid #868e96", borderRadius: 2 }} />
  );
  return (
    <Box data-testid="map-legend">
      <Text size="sm" fw={600} id="map-legend-title">
        {t(`portal.map.layers.${layer}`)}
      </Text>
      <Group component="ul" gap="md" aria-labelledby="map-legend-title" style={{ listStyle: "none", padding: 0, margin: 0 }} wrap="wrap">
        <Group component="li" gap={6} wrap="nowrap">
          {swatch(EMPTY_COLOUR)}
          <Text size="sm">{t("portal.map.none")}</Text>
        </Group>
        {classes.map((c) => (
          <Group component="li" key={c.min} gap={6} wrap="nowrap">
            {swatch(c.colour)}
            <Text size="sm">{classLabel(c, format)}</Text>
          </Group>
        ))}
      </Group>
    </Box>
  );
}

function FiguresTable({ rows, layer, nameOf }: { rows: CountryFigures[]; layer: MapLayer; nameOf: (iso3: string) => string }) {
  const { t, i18n } = useTranslation();
  const n = (value: number) => formatNumber(value, i18n.language);
  if (rows.length === 0)
    return (
      <Text c="dimmed" size="sm">
        {t("portal.map.empty")}
      </Text>
    );
  const columns: (MapLayer | "offers")[] = [...MAP_LAYERS, "offers"];
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped stickyHeader data-testid="map-table">
        <Table.Caption>{t("portal.map.tableCaption")}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("portal.map.country")}</Table.Th>
            {columns.map((column) => (
              <Table.Th key={column} scope="col" ta="right" aria-sort={column === layer ? "descending" : undefined}>
                {t(`portal.map.layers.${column}`)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.country_iso3}>
              <Table.Th scope="row" fw={500}>
                {nameOf(row.country_iso3)}
              </Table.Th>
              {columns.map((column) => (
                <Table.Td key={column} ta="right" fw={column === layer ? 700 : undefined}>
                  {n(row[column])}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Where support flows and where needs are unmet: a choropleth with a legend, a tooltip, a table and the UN disclaimer. */
export function MapSection() {
  const { t, i18n } = useTranslation();
  const language = uiLanguage(i18n);
  const figures = usePublicMap();
  const countries = useCountries();
  const [layer, setLayer] = useState<MapLayer>("pledging_entities");
  const [tableOpen, setTableOpen] = useState(false);
  const tableId = useId();
  void loadWorldMap();

  const byIso3 = useMemo(() => new Map((countries.data ?? []).map((c) => [c.iso3, c])), [countries.data]);
  const nameOf = useCallback((iso3: string) => localised(byIso3.get(iso3), language) || iso3, [byIso3, language]);
  const rows = figures.data ?? [];
  const numeric = useMemo(() => figuresByNumeric(figures.data ?? [], countries.data ?? []), [figures.data, countries.data]);
  const values = useMemo(() => new Map([...numeric].map(([key, row]) => [key, row[layer]])), [numeric, layer]);
  const names = useMemo(
    () => new Map((countries.data ?? []).map((c) => [numericKey(c.iso_numeric), localised(c, language)])),
    [countries.data, language],
  );
  const classes = useMemo(() => colourClasses(rows.map((r) => r[layer]), PALETTES[layer]), [rows, layer]);
  const describe = useCallback(
    (name: string, value: number) => t(`portal.map.describe.${layer}`, { name, value: formatNumber(value, i18n.language) }),
    [t, layer, i18n.language],
  );
  const sorted = useMemo(() => tableRows(rows, layer, nameOf, language), [rows, layer, nameOf, language]);
  const placeholder = <Skeleton style={{ aspectRatio: MAP_ASPECT }} h="auto" radius="md" />;

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="map-title">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <div>
            <Title order={2} size="h3" id="map-title">
              {t("portal.map.title")}
            </Title>
            <Text size="sm" c="dimmed" maw={640}>
              {t("portal.map.intro")}
            </Text>
          </div>
          <Stack gap={4}>
            <Text size="sm" fw={500} id="map-layer-label">
              {t("portal.map.layerLabel")}
            </Text>
            <SegmentedControl
              aria-labelledby="map-layer-label"
              value={layer}
              onChange={(value) => setLayer(value as MapLayer)}
              data={MAP_LAYERS.map((l) => ({ value: l, label: t(`portal.map.layers.${l}`) }))}
              data-testid="map-layer"
            />
          </Stack>
        </Group>
        {figures.isError && <ErrorAlert error={figures.error} onRetry={() => void figures.refetch()} />}
        {figures.isLoading || countries.isLoading ? (
          placeholder
        ) : (
          <Suspense fallback={placeholder}>
            <WorldMap values={values} names={names} classes={classes} describe={describe} label={t("portal.map.svgLabel", { layer: t(`portal.map.layers.${layer}`) })} />
          </Suspense>
        )}
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Legend layer={layer} classes={classes} />
          <Button
            variant="default"
            size="xs"
            leftSection={<IconTable size={16} aria-hidden />}
            aria-expanded={tableOpen}
            aria-controls={tableId}
            onClick={() => setTableOpen((open) => !open)}
          >
            {tableOpen ? t("portal.map.hideTable") : t("portal.map.showTable")}
          </Button>
        </Group>
        <Collapse expanded={tableOpen} id={tableId}>
          <FiguresTable rows={sorted} layer={layer} nameOf={nameOf} />
          <Text size="xs" c="dimmed" mt={4}>
            {t("portal.map.smallCountries")}
          </Text>
        </Collapse>
        <Text size="xs" c="dimmed" data-testid="map-disclaimer">
          {t("portal.map.disclaimer")}
        </Text>
      </Stack>
    </Card>
  );
}
