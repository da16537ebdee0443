import { Anchor, Button, Card, Group, MultiSelect, Select, SimpleGrid, Stack, Switch, Table, Text } from "@mantine/core";
import { IconChecklist, IconLayoutKanban, IconListDetails } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { ExportButtons } from "@/components/ExportButtons";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { formatDay, formatDateTime, formatNumber } from "@/lib/format";
import { type FilterSpec, toApiQuery, useUrlFilters, withFilter } from "@/lib/listFilters";
import { useAreaPath, useCountryName, useCountryOptions } from "@/lib/reference";
import { hasRole, useMe } from "@/lib/session";
import { type MatchListQuery, useMatchList } from "./api";
import { AttentionBadges, MatchStatusBadge, TrafficLight } from "./Badges";
import { MATCH_STATUSES, type MatchListItem, trafficLight } from "./logic";

const FILTERS: FilterSpec = { status: "multi", country: "single", facilitated: "boolean", overdue: "boolean" };

/** The parties of a list row, or a note that they are not disclosed to this viewer yet. */
export function PartiesCell({ item }: { item: MatchListItem }) {
  const { t } = useTranslation();
  const countryName = useCountryName();
  if (!item.party_names) {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        {t("matches.list.notDisclosed")}
      </Text>
    );
  }
  return (
    <Stack gap={2}>
      <Text size="sm">{item.party_names.join(" · ")}</Text>
      {item.requesting_countries && item.requesting_countries.length > 0 && (
        <Text size="xs" c="dimmed">
          {t("matches.list.for", { countries: item.requesting_countries.map(countryName).join(", ") })}
        </Text>
      )}
    </Stack>
  );
}

export function MatchesTable({ rows, testId = "matches-table" }: { rows: MatchListItem[]; testId?: string }) {
  const { t, i18n } = useTranslation();
  const areaPath = useAreaPath();
  const now = new Date();
  if (rows.length === 0) return <Text c="dimmed">{t("matches.list.empty")}</Text>;
  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table striped highlightOnHover data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("matches.columns.reference")}</Table.Th>
            <Table.Th scope="col">{t("matches.columns.stage")}</Table.Th>
            <Table.Th scope="col">{t("matches.columns.light")}</Table.Th>
            <Table.Th scope="col">{t("matches.columns.parties")}</Table.Th>
            <Table.Th scope="col">{t("matches.columns.areas")}</Table.Th>
            <Table.Th scope="col">{t("matches.columns.consents")}</Table.Th>
            <Table.Th scope="col">{t("matches.columns.dates")}</Table.Th>
            <Table.Th scope="col">{t("matches.columns.updated")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((item) => {
            const light = trafficLight(item, now);
            return (
              <Table.Tr key={item.id} data-testid="match-row" style={light === "red" ? { boxShadow: "inset 4px 0 0 var(--mantine-color-red-7)" } : undefined}>
                <Table.Td>
                  <Anchor component={Link} to={`/matches/${item.id}`} fw={600}>
                    {item.reference}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <MatchStatusBadge status={item.status} />
                </Table.Td>
                <Table.Td>
                  <Stack gap={4}>
                    <TrafficLight light={light} />
                    <AttentionBadges attention={item.attention} />
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <PartiesCell item={item} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{item.area_codes.map(areaPath).join("; ")}</Text>
                </Table.Td>
                <Table.Td>
                  {item.status === "consent_pending" || item.status === "proposed"
                    ? t("matches.list.pendingConsents", { count: item.pending_consents })
                    : "—"}
                </Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    {item.consent_deadline && item.status === "consent_pending" && (
                      <Text size="xs">{t("matches.list.deadline", { date: formatDateTime(item.consent_deadline, i18n.language) })}</Text>
                    )}
                    {item.next_action_on && <Text size="xs">{t("matches.list.nextAction", { date: formatDay(item.next_action_on, i18n.language) })}</Text>}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{formatDateTime(item.updated_at, i18n.language)}</Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Every match the caller may see (as facilitator, as a party, or published), filterable, with overdue ones
 * highlighted. */
export function MatchesListPage() {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const [values, setValues] = useUrlFilters(FILTERS);
  const query = toApiQuery(values, FILTERS) as MatchListQuery;
  const list = useMatchList(query);
  const countryOptions = useCountryOptions();
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;
  const staff = hasRole(me, "secretariat") || hasRole(me, "unhcr");
  // The download takes the filters its endpoint knows (status, country), through the shared download links.
  const exportQuery = { status: [values.status ?? []].flat(), country: typeof values.country === "string" ? values.country : undefined };

  return (
    <Stack>
      <PageHeader
        title={t("matches.list.title")}
        description={t("matches.list.intro")}
        actions={
          <>
            {hasRole(me, "secretariat") && (
              <Button component={Link} to="/matches/board" variant="light" leftSection={<IconLayoutKanban size={16} aria-hidden />}>
                {t("matches.board.title")}
              </Button>
            )}
            {staff && (
              <Button component={Link} to="/matches/queue" variant="light" leftSection={<IconListDetails size={16} aria-hidden />}>
                {t("matches.queue.title")}
              </Button>
            )}
            {hasRole(me, "focal_point") && !staff && (
              <Button component={Link} to="/matches/consents" variant="light" leftSection={<IconChecklist size={16} aria-hidden />}>
                {t("matches.inbox.title")}
              </Button>
            )}
          </>
        }
      />
      <Card withBorder padding="sm">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          <MultiSelect
            label={t("filters.status")}
            clearable
            data={MATCH_STATUSES.map((s) => ({ value: s, label: t(`matches.statuses.${s}`) }))}
            value={[values.status ?? []].flat()}
            onChange={(v) => setValues(withFilter(values, "status", v))}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label={t("filters.country")}
            searchable
            clearable
            data={countryOptions}
            value={typeof values.country === "string" ? values.country : null}
            onChange={(v) => setValues(withFilter(values, "country", v))}
            comboboxProps={{ withinPortal: true }}
          />
          <Stack gap={6} justify="flex-end">
            {staff && (
              <Switch
                label={t("matches.list.facilitatedOnly")}
                checked={values.facilitated === "true"}
                onChange={(e) => setValues(withFilter(values, "facilitated", e.currentTarget.checked ? "true" : null))}
              />
            )}
            <Switch
              label={t("matches.list.overdueOnly")}
              checked={values.overdue === "true"}
              onChange={(e) => setValues(withFilter(values, "overdue", e.currentTarget.checked ? "true" : null))}
            />
          </Stack>
          <Group gap="xs" align="flex-end">
            <ExportButtons path="/api/v1/matches/export" query={exportQuery} />
          </Group>
        </SimpleGrid>
      </Card>
      <Text size="sm" c="dimmed" role="status" aria-live="polite" data-testid="result-count">
        {total === undefined ? "" : t("filters.resultCount", { total: formatNumber(total, i18n.language) })}
      </Text>
      {list.isLoading && <Loading />}
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && <MatchesTable rows={rows} />}
      {list.hasNextPage && (
        <Group justify="center">
          <Button variant="default" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t("app.loadMore")}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
