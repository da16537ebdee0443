import { Anchor, Badge, Button, Group, Stack, Table, Text } from "@mantine/core";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { ExportButtons } from "@/components/ExportButtons";
import { ListFilters } from "@/components/ListFilters";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { api, unwrap } from "@/lib/api";
import { formatDay, formatNumber } from "@/lib/format";
import { useUrlFilters } from "@/lib/listFilters";
import { useAreaLabel, useCountryName, useTermLabel } from "@/lib/reference";
import { PLEDGE_FILTER_FIELDS, PLEDGE_FILTERS, pledgeQuery, STAGE_COLORS } from "./filters";

const PAGE_SIZE = 25;

/** GCR pledges on asylum capacity: public, searchable and filterable. */
export function PledgesListPage() {
  const { t, i18n } = useTranslation();
  const countryName = useCountryName();
  const areaLabel = useAreaLabel();
  const eventLabel = useTermLabel("pledge_source_events");
  const stageLabel = useTermLabel("public_stages");
  const [values, setValues] = useUrlFilters(PLEDGE_FILTERS);
  const query = pledgeQuery(values);
  const list = useInfiniteQuery({
    queryKey: ["pledges", "list", query],
    queryFn: ({ pageParam }) => unwrap(api.GET("/api/v1/pledges", { params: { query: { ...query, limit: PAGE_SIZE, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;

  return (
    <Stack>
      <PageHeader title={t("pledges.title")} description={t("pledges.intro")} />
      <ListFilters values={values} onChange={setValues} fields={PLEDGE_FILTER_FIELDS} />
      <ExportButtons path="/api/v1/pledges/export" query={query} />
      <Text size="sm" c="dimmed" role="status" aria-live="polite" data-testid="result-count">
        {total === undefined ? "" : t("filters.resultCount", { total: formatNumber(total, i18n.language) })}
      </Text>
      {list.isLoading && <Loading />}
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && rows.length === 0 && <Text c="dimmed">{t("app.noResults")}</Text>}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={860}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("pledges.fields.title")}</Table.Th>
                <Table.Th>{t("pledges.fields.sourceEvent")}</Table.Th>
                <Table.Th>{t("pledges.fields.lead")}</Table.Th>
                <Table.Th>{t("commitments.fields.areas")}</Table.Th>
                <Table.Th>{t("pledges.fields.stage")}</Table.Th>
                <Table.Th>{t("pledges.fields.submittedOn")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td maw={380}>
                    <Anchor component={Link} to={`/pledges/${p.id}`} fw={600} size="sm">
                      {p.title}
                    </Anchor>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {p.external_id}
                    </Text>
                  </Table.Td>
                  <Table.Td>{eventLabel(p.source_event)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{p.lead_organisation_name}</Text>
                    {p.lead_country_iso3 && (
                      <Text size="xs" c="dimmed">
                        {countryName(p.lead_country_iso3)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td maw={260}>
                    <Text size="xs">{p.areas.map(areaLabel).join(" · ")}</Text>
                  </Table.Td>
                  <Table.Td>
                    {p.stage && (
                      <Badge color={STAGE_COLORS[p.stage]} variant="light" miw="max-content">
                        {stageLabel(p.stage)}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{formatDay(p.submitted_on, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
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
