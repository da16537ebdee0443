// The editors' lists: the Secretariat's review queue and an organisation's drafts. Both list items by status,
// newest change first, a page at a time.
import { Anchor, Button, Group, SegmentedControl, Stack, Table, Text } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { formatDateTime, formatNumber } from "@/lib/format";
import { useMe } from "@/lib/session";
import { type ItemAction, type ItemStatus, type KnowledgeHit, KNOWLEDGE_KEY, mayAuthor, searchItems } from "./api";
import { ItemActions } from "./ItemActions";
import { ItemStatusBadge, KindBadge, LanguageBadge } from "./parts";

const PAGE_SIZE = 25;

/** What the Secretariat may do to an item in each status (the server checks again). */
export const SECRETARIAT_ACTIONS: Record<ItemStatus, ItemAction[]> = {
  draft: [],
  in_review: ["publish", "return_to_draft"],
  published: ["archive"],
  archived: ["republish"],
};

function useStatusParam(allowed: readonly ItemStatus[]): [ItemStatus, (status: ItemStatus) => void] {
  const [params, setParams] = useSearchParams();
  const wanted = params.get("status") as ItemStatus | null;
  const status = wanted && allowed.includes(wanted) ? wanted : (allowed[0] as ItemStatus);
  return [status, (next) => setParams(next === allowed[0] ? {} : { status: next }, { replace: true })];
}

function ItemsTable({ hits, withActions }: { hits: KnowledgeHit[]; withActions: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="sm" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("knowledge.fields.title")}</Table.Th>
            <Table.Th>{t("knowledge.fields.kind")}</Table.Th>
            <Table.Th>{t("knowledge.fields.language")}</Table.Th>
            <Table.Th>{t("knowledge.fields.status")}</Table.Th>
            <Table.Th>{t("knowledge.fields.organisation")}</Table.Th>
            <Table.Th>{t("knowledge.fields.updatedAt")}</Table.Th>
            {withActions && <Table.Th>{t("app.actions")}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {hits.map((hit) => (
            <Table.Tr key={hit.id} data-testid="knowledge-row">
              <Table.Td>
                <Anchor component={Link} to={`/knowledge/${hit.id}`} lang={hit.language} size="sm" fw={600}>
                  {hit.title}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <KindBadge kind={hit.kind} />
              </Table.Td>
              <Table.Td>
                <LanguageBadge language={hit.language} />
              </Table.Td>
              <Table.Td>
                <ItemStatusBadge status={hit.status} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{hit.organisation_name ?? t("knowledge.item.secretariat")}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(hit.updated_at, i18n.language)}</Text>
              </Table.Td>
              {withActions && (
                <Table.Td>
                  <ItemActions id={hit.id} actions={SECRETARIAT_ACTIONS[hit.status]} compact />
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function StatusList({
  title,
  intro,
  statuses,
  withActions,
  emptyKey,
}: {
  title: string;
  intro: string;
  statuses: readonly ItemStatus[];
  withActions: boolean;
  emptyKey: string;
}) {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const labelId = useId();
  const [status, setStatus] = useStatusParam(statuses);
  const list = useInfiniteQuery({
    queryKey: [KNOWLEDGE_KEY, "by-status", status],
    queryFn: ({ pageParam }) => searchItems({ status: [status], limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const hits = list.data?.pages.flatMap((page) => page.items) ?? [];
  const first = list.data?.pages[0];
  return (
    <Stack>
      <PageHeader
        title={title}
        description={intro}
        actions={
          mayAuthor(me) && (
            <Button component={Link} to="/knowledge/new" leftSection={<IconPlus size={16} aria-hidden />}>
              {t("knowledge.new")}
            </Button>
          )
        }
      />
      <Group gap="sm" align="center">
        <Text id={labelId} size="sm" fw={600}>
          {t("knowledge.fields.status")}
        </Text>
        <SegmentedControl
          aria-labelledby={labelId}
          value={status}
          onChange={(value) => setStatus(value as ItemStatus)}
          data={statuses.map((s) => ({ value: s, label: t(`knowledge.statusesPlural.${s}`) }))}
        />
      </Group>
      <Text size="sm" c="dimmed" role="status" aria-live="polite" data-testid="result-count">
        {first ? t("knowledge.search.count", { total: formatNumber(first.total, i18n.language) }) : ""}
      </Text>
      {list.isLoading && <Loading />}
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {first && hits.length === 0 && (
        <Text c="dimmed" size="sm">
          {t(emptyKey)}
        </Text>
      )}
      {hits.length > 0 && <ItemsTable hits={hits} withActions={withActions} />}
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

/** The Secretariat's queue: items in review (publish or return to draft), published (archive), archived. */
export function ReviewQueuePage() {
  const { t } = useTranslation();
  return (
    <StatusList
      title={t("knowledge.review.title")}
      intro={t("knowledge.review.intro")}
      statuses={["in_review", "published", "archived", "draft"]}
      withActions
      emptyKey="knowledge.review.empty"
    />
  );
}

/** The caller's organisation's drafts, items in review and archived items (all organisations' for the Secretariat). */
export function DraftsPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  return (
    <StatusList
      title={me?.is_secretariat ? t("knowledge.drafts.titleSecretariat") : t("knowledge.drafts.title")}
      intro={t("knowledge.drafts.intro")}
      statuses={["draft", "in_review", "archived"]}
      withActions={false}
      emptyKey="knowledge.drafts.empty"
    />
  );
}
