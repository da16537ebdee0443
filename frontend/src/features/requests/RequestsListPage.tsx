import { Button, Group, Stack, Text } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { CommitmentTable } from "@/components/commitments/CommitmentTable";
import { ErrorAlert } from "@/components/ErrorAlert";
import { ExportButtons } from "@/components/ExportButtons";
import { ListFilters } from "@/components/ListFilters";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { api, unwrap } from "@/lib/api";
import { draftingOrganisations } from "@/lib/commitments";
import { formatNumber } from "@/lib/format";
import { useUrlFilters } from "@/lib/listFilters";
import { useMe } from "@/lib/session";
import { REQUEST_FILTER_FIELDS, REQUEST_FILTERS, REQUEST_SORTS, requestQuery } from "./filters";

const PAGE_SIZE = 25;

/** Every request the caller may see, searchable and filterable, a page at a time. */
export function RequestsListPage() {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const [values, setValues] = useUrlFilters(REQUEST_FILTERS);
  const query = requestQuery(values);
  const list = useInfiniteQuery({
    queryKey: ["support-requests", "list", query],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/support-requests", {
          params: { query: { ...query, limit: PAGE_SIZE, cursor: pageParam } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;
  const canDraft = draftingOrganisations(me, "request").length > 0;

  return (
    <Stack>
      <PageHeader
        title={t("requests.title")}
        description={t("requests.intro")}
        actions={
          canDraft && (
            <Button component={Link} to="/requests/new" leftSection={<IconPlus size={16} aria-hidden />}>
              {t("requests.new")}
            </Button>
          )
        }
      />
      <ListFilters
        values={values}
        onChange={setValues}
        fields={REQUEST_FILTER_FIELDS}
        sortOptions={REQUEST_SORTS.map((s) => ({ value: s, label: t(`filters.sorts.${s}`) }))}
      />
      <ExportButtons path="/api/v1/support-requests/export" query={query} />
      <Text size="sm" c="dimmed" role="status" aria-live="polite" data-testid="result-count">
        {total === undefined ? "" : t("filters.resultCount", { total: formatNumber(total, i18n.language) })}
      </Text>
      {list.isLoading && <Loading />}
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && (
        <CommitmentTable kind="request" rows={rows} columns={["reference", "title", "country", "areas", "urgency", "status", "updated"]} />
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
