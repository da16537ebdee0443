import { Button, Group, Stack, Text } from "@mantine/core";
import { IconRefresh } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { formatNumber } from "@/lib/format";
import { useQueue } from "./api";
import { MatchesTable } from "./MatchesListPage";

/** The facilitator's work queue: their open matches, what needs attention first (passed deadlines, overdue
 * next actions, deadlines soon, waiting consents, consent not asked yet), as the API orders them. */
export function QueuePage() {
  const { t, i18n } = useTranslation();
  const queue = useQueue();
  return (
    <Stack>
      <PageHeader
        title={t("matches.queue.title")}
        description={t("matches.queue.intro")}
        actions={
          <Button variant="default" leftSection={<IconRefresh size={16} aria-hidden />} loading={queue.isFetching} onClick={() => void queue.refetch()}>
            {t("matches.queue.refresh")}
          </Button>
        }
      />
      {queue.isLoading && <Loading />}
      {queue.isError && <ErrorAlert error={queue.error} onRetry={() => void queue.refetch()} />}
      {queue.data && (
        <>
          <Group>
            <Text size="sm" c="dimmed" role="status">
              {t("matches.queue.count", { count: formatNumber(queue.data.length, i18n.language) })}
            </Text>
          </Group>
          {queue.data.length === 0 ? <Text c="dimmed">{t("matches.queue.empty")}</Text> : <MatchesTable rows={queue.data} testId="queue-table" />}
        </>
      )}
    </Stack>
  );
}
