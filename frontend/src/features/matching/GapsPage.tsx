import { Anchor, Badge, Button, Card, Group, Select, SimpleGrid, Stack, Table, Tabs, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { AreaSelect } from "@/components/AreaSelect";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import type { Schemas } from "@/lib/api";
import { formatNumber } from "@/lib/format";
import {
  useAreaPath,
  useBureauName,
  useBureauOptions,
  useCountryName,
  useCountryOptions,
  useRegionName,
  useRegionOptions,
  useTermLabel,
} from "@/lib/reference";
import { useGaps, useOutreach } from "./api";
import { filterGaps, type GapFilters, waitUnit } from "./logic";
import { MatchingNav } from "./MatchingNav";

const GROUPS = ["country", "area", "region", "bureau"] as const;
type Group = (typeof GROUPS)[number];
const SHOWN = 200;

export function useWaited(): (days: number) => string {
  const { t } = useTranslation();
  return (days) => {
    const { unit, count } = waitUnit(days);
    return t(`matching.gaps.wait.${unit}`, { count });
  };
}

function GroupTable({ rows, name, onPick }: { rows: Schemas["GapGroup"][]; name: (key: string) => string; onPick: (key: string) => void }) {
  const { t, i18n } = useTranslation();
  const waited = useWaited();
  if (rows.length === 0) return <Text c="dimmed" size="sm">{t("matching.gaps.none")}</Text>;
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("matching.gaps.columns.group")}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t("matching.gaps.columns.unmet")}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t("matching.gaps.columns.noFeasible")}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t("matching.gaps.columns.longestWait")}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.key}>
              <Table.Th scope="row" fw={400}>
                {row.key === "-" ? (
                  t("matching.gaps.unknown")
                ) : (
                  <Anchor component="button" type="button" size="sm" onClick={() => onPick(row.key)} aria-label={t("matching.gaps.filterBy", { name: name(row.key) })}>
                    {name(row.key)}
                  </Anchor>
                )}
              </Table.Th>
              <Table.Td ta="right">{formatNumber(row.unmet, i18n.language)}</Table.Td>
              <Table.Td ta="right">{formatNumber(row.no_feasible_offer, i18n.language)}</Table.Td>
              <Table.Td ta="right">{waited(row.longest_wait_days)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Outreach() {
  const { t, i18n } = useTranslation();
  const outreach = useOutreach();
  const countryName = useCountryName();
  const contributor = useTermLabel("contributor_types");
  return (
    <Card withBorder component="section" padding="md">
      <Title order={2} size="h4">
        {t("matching.gaps.outreachTitle")}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t("matching.gaps.outreachIntro")}
      </Text>
      {outreach.isLoading && <Loading />}
      {outreach.isError && <ErrorAlert error={outreach.error} onRetry={() => void outreach.refetch()} />}
      {outreach.data && outreach.data.length === 0 && (
        <Text c="dimmed" size="sm">
          {t("matching.gaps.noOutreach")}
        </Text>
      )}
      {outreach.data && outreach.data.length > 0 && (
        <Table.ScrollContainer minWidth={700}>
          <Table striped data-testid="outreach-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("matching.columns.offer")}</Table.Th>
                <Table.Th scope="col">{t("matching.columns.organisation")}</Table.Th>
                <Table.Th scope="col">{t("matching.columns.country")}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t("matching.gaps.capacityLeft")}
                </Table.Th>
                <Table.Th scope="col">{t("app.actions")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {outreach.data.map((o) => (
                <Table.Tr key={o.offer.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/offers/${o.offer.id}`} size="sm">
                      {o.offer.title}
                    </Anchor>{" "}
                    <Text span size="xs" c="dimmed">
                      {o.offer.reference}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {o.offer.organisation_name}
                    <Text size="xs" c="dimmed">
                      {contributor(o.offer.contributor_type)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{o.offer.country_iso3 ? countryName(o.offer.country_iso3) : "—"}</Table.Td>
                  <Table.Td ta="right">{formatNumber(o.capacity_left, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/matching?offer=${o.offer.id}`} size="sm">
                      {t("matching.findRequests")}
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

/** Unmet needs: components no offer can serve or none has been matched to, by country, area, region and
 * bureau, with how long they waited; and the offers no open need can use (outreach targets). */
export function GapsPage() {
  const { t, i18n } = useTranslation();
  const gaps = useGaps();
  const [params, setParams] = useSearchParams();
  const countryName = useCountryName();
  const areaPath = useAreaPath();
  const regionName = useRegionName();
  const bureauName = useBureauName();
  const countryOptions = useCountryOptions();
  const regionOptions = useRegionOptions();
  const bureauOptions = useBureauOptions();
  const waited = useWaited();
  const filters: GapFilters = {
    country: params.get("country"),
    area: params.get("area"),
    region: params.get("region"),
    bureau: params.get("bureau"),
    reason: params.get("reason"),
  };
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const names: Record<Group, (key: string) => string> = { country: countryName, area: areaPath, region: regionName, bureau: bureauName };
  const active = Object.values(filters).some(Boolean);
  const items = gaps.data ? filterGaps(gaps.data.items, filters) : [];

  return (
    <Stack>
      <PageHeader title={t("matching.gaps.title")} description={t("matching.gaps.intro")} />
      <MatchingNav />
      {gaps.isLoading && <Loading />}
      {gaps.isError && <ErrorAlert error={gaps.error} onRetry={() => void gaps.refetch()} />}
      {gaps.data && (
        <>
          <Text fw={600} role="status" data-testid="gaps-total">
            {t("matching.gaps.total", { count: gaps.data.total_unmet, formatted: formatNumber(gaps.data.total_unmet, i18n.language) })}
          </Text>
          <Card withBorder component="section" padding="md">
            <Title order={2} size="h4" mb="xs">
              {t("matching.gaps.byGroup")}
            </Title>
            <Tabs defaultValue="country" keepMounted={false}>
              <Tabs.List>
                {GROUPS.map((g) => (
                  <Tabs.Tab key={g} value={g}>
                    {t(`matching.gaps.groups.${g}`)}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
              {GROUPS.map((g) => (
                <Tabs.Panel key={g} value={g} pt="sm">
                  <GroupTable
                    rows={{ country: gaps.data.by_country, area: gaps.data.by_area, region: gaps.data.by_region, bureau: gaps.data.by_bureau }[g]}
                    name={names[g]}
                    onPick={(key) => set(g, key)}
                  />
                </Tabs.Panel>
              ))}
            </Tabs>
          </Card>

          <Card withBorder component="section" padding="md">
            <Title order={2} size="h4" mb="xs">
              {t("matching.gaps.itemsTitle")}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }} mb="sm">
              <Select label={t("filters.country")} data={countryOptions} searchable clearable value={filters.country ?? null} onChange={(v) => set("country", v)} comboboxProps={{ withinPortal: true }} />
              <AreaSelect label={t("filters.area")} clearable value={filters.area ?? null} onChange={(v) => set("area", v)} comboboxProps={{ withinPortal: true }} />
              <Select
                label={t("filters.region")}
                data={regionOptions}
                searchable
                clearable
                value={filters.region ?? null}
                onChange={(v) => set("region", v)}
                comboboxProps={{ withinPortal: true }}
              />
              <Select label={t("filters.bureau")} data={bureauOptions} clearable value={filters.bureau ?? null} onChange={(v) => set("bureau", v)} comboboxProps={{ withinPortal: true }} />
              <Select
                label={t("matching.gaps.reasonFilter")}
                clearable
                data={[
                  { value: "no_feasible_offer", label: t("matching.gaps.reasons.no_feasible_offer") },
                  { value: "not_matched_yet", label: t("matching.gaps.reasons.not_matched_yet") },
                ]}
                value={filters.reason ?? null}
                onChange={(v) => set("reason", v)}
                comboboxProps={{ withinPortal: true }}
              />
            </SimpleGrid>
            <Group justify="space-between" mb="xs">
              <Text size="sm" c="dimmed" role="status" data-testid="gaps-count">
                {t("matching.gaps.shown", { shown: formatNumber(Math.min(items.length, SHOWN), i18n.language), total: formatNumber(items.length, i18n.language) })}
              </Text>
              {active && (
                <Button size="xs" variant="subtle" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
                  {t("filters.clear")}
                </Button>
              )}
            </Group>
            {gaps.data.items.length < gaps.data.total_unmet && (
              <Text size="xs" c="dimmed" mb="xs">
                {t("matching.gaps.truncated", { shown: gaps.data.items.length, total: gaps.data.total_unmet })}
              </Text>
            )}
            {items.length === 0 ? (
              <Text c="dimmed" size="sm">
                {t("matching.gaps.none")}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={900}>
                <Table striped data-testid="gaps-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t("matching.columns.request")}</Table.Th>
                      <Table.Th scope="col">{t("matching.columns.area")}</Table.Th>
                      <Table.Th scope="col">{t("matching.columns.country")}</Table.Th>
                      <Table.Th scope="col">{t("matching.gaps.columns.place")}</Table.Th>
                      <Table.Th scope="col" ta="right">
                        {t("matching.gaps.columns.waited")}
                      </Table.Th>
                      <Table.Th scope="col">{t("matching.gaps.columns.reason")}</Table.Th>
                      <Table.Th scope="col">{t("app.actions")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.slice(0, SHOWN).map((gap) => (
                      <Table.Tr key={gap.component.id}>
                        <Table.Td>
                          <Anchor component={Link} to={`/requests/${gap.component.request_id}`} size="sm">
                            {gap.component.title}
                          </Anchor>
                          <Text size="xs" c="dimmed">
                            {gap.component.reference}
                          </Text>
                        </Table.Td>
                        <Table.Td>{areaPath(gap.component.area_code)}</Table.Td>
                        <Table.Td>{countryName(gap.component.country_iso3)}</Table.Td>
                        <Table.Td>
                          <Text size="sm">{gap.region_code ? regionName(gap.region_code) : "—"}</Text>
                          <Text size="xs" c="dimmed">
                            {gap.bureau_code ? bureauName(gap.bureau_code) : ""}
                          </Text>
                        </Table.Td>
                        <Table.Td ta="right">{waited(gap.waited_days)}</Table.Td>
                        <Table.Td>
                          <Badge color={gap.reason === "no_feasible_offer" ? "red" : "yellow"} variant="light" tt="none">
                            {t(`matching.gaps.reasons.${gap.reason}`, { defaultValue: gap.reason })}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          <Anchor component={Link} to={`/matching?request=${gap.component.request_id}`} size="sm">
                            {t("matching.findOffers")}
                          </Anchor>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Card>
        </>
      )}
      <Outreach />
    </Stack>
  );
}
