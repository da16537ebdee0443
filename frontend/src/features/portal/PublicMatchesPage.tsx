import { Anchor, Badge, Button, Group, Stack, Table, Text } from "@mantine/core";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { ListFilters } from "@/components/ListFilters";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { unwrap } from "@/lib/api";
import { formatDate, formatNumber } from "@/lib/format";
import { useUrlFilters } from "@/lib/listFilters";
import { useAreaLabel, useCountries, useCountryName } from "@/lib/reference";
import {
  clientFiltersActive,
  isPublicStage,
  passesClientFilters,
  PUBLIC_MATCH_FILTER_FIELDS,
  PUBLIC_MATCH_FILTERS,
  regionIndex,
  serverQuery,
  STAGE_COLORS,
} from "./matchFilters";
import { publicApi } from "./publicApi";

const PAGE_SIZE = 25;
// With a filter the server does not apply, more rows are read per request.
const WIDE_PAGE = 100;

/** Published matches: who supports whom, in which areas, at which stage; open to everyone. */
export function PublicMatchesPage() {
  const { t, i18n } = useTranslation();
  const countryName = useCountryName();
  const areaLabel = useAreaLabel();
  const countries = useCountries();
  const [values, setValues] = useUrlFilters(PUBLIC_MATCH_FILTERS);
  const query = serverQuery(values);
  const local = clientFiltersActive(values);
  const [wanted, setWanted] = useState(PAGE_SIZE);
  const filterKey = JSON.stringify(values);
  useEffect(() => setWanted(PAGE_SIZE), [filterKey]);

  const list = useInfiniteQuery({
    queryKey: ["public", "matches", query, local],
    queryFn: ({ pageParam }) =>
      unwrap(publicApi.GET("/api/v1/matches", { params: { query: { ...query, limit: local ? WIDE_PAGE : PAGE_SIZE, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const regions = useMemo(() => regionIndex(countries.data ?? []), [countries.data]);
  const loaded = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const filtered = useMemo(() => (local ? loaded.filter((row) => passesClientFilters(row, values, regions)) : loaded), [local, loaded, values, regions]);
  const rows = filtered.slice(0, wanted);

  // Read further pages until enough rows pass the filters (or there is nothing more to read).
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isFetching } = list;
  useEffect(() => {
    if (filtered.length < wanted && hasNextPage && !isFetchingNextPage && !isFetching) void fetchNextPage();
  }, [filtered.length, wanted, hasNextPage, isFetchingNextPage, isFetching, fetchNextPage]);

  const total = list.data?.pages[0]?.total;
  let count = "";
  if (list.data && total !== undefined) {
    if (!local) count = t("filters.resultCount", { total: formatNumber(total, i18n.language) });
    else if (!hasNextPage) count = t("filters.resultCount", { total: formatNumber(filtered.length, i18n.language) });
    else count = t("portal.matches.atLeast", { total: formatNumber(filtered.length, i18n.language) });
  }
  const more = filtered.length > wanted || hasNextPage;

  return (
    <Stack>
      <PageHeader title={t("portal.matches.title")} description={t("portal.matches.intro")} />
      <ListFilters values={values} onChange={setValues} fields={PUBLIC_MATCH_FILTER_FIELDS} />
      <Text size="sm" c="dimmed" role="status" aria-live="polite" data-testid="result-count">
        {count}
      </Text>
      {list.isLoading && <Loading />}
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && rows.length === 0 && !hasNextPage && <Text c="dimmed">{t("portal.matches.empty")}</Text>}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={820}>
          <Table striped highlightOnHover verticalSpacing="sm" data-testid="public-matches">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("portal.matches.parties")}</Table.Th>
                <Table.Th>{t("portal.matches.requestingCountries")}</Table.Th>
                <Table.Th>{t("commitments.fields.areas")}</Table.Th>
                <Table.Th>{t("portal.match.stage")}</Table.Th>
                <Table.Th>{t("commitments.fields.updatedAt")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.id}>
                  <Table.Td maw={360}>
                    <Anchor component={Link} to={`/portal/matches/${row.id}`} fw={600} size="sm">
                      {(row.party_names ?? []).join(" · ") || row.reference}
                    </Anchor>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {row.reference}
                    </Text>
                  </Table.Td>
                  <Table.Td>{(row.requesting_countries ?? []).map(countryName).join(", ")}</Table.Td>
                  <Table.Td maw={300}>
                    <Text size="xs">{row.area_codes.map(areaLabel).join(" · ")}</Text>
                  </Table.Td>
                  <Table.Td>
                    {isPublicStage(row.status) && (
                      <Badge color={STAGE_COLORS[row.status]} variant="light" miw="max-content">
                        {t(`portal.stages.${row.status}`)}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{formatDate(row.updated_at, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {more && (
        <Group justify="center">
          <Button variant="default" loading={isFetchingNextPage} onClick={() => setWanted((w) => w + PAGE_SIZE)}>
            {t("app.loadMore")}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
