import { Button, Code, Group, Stack, Table, TextInput } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { api, unwrap } from "@/lib/api";
import { formatDateTime } from "@/lib/format";

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const [recordType, setRecordType] = useState("");
  const [action, setAction] = useState("");
  const events = useInfiniteQuery({
    queryKey: ["audit", recordType, action],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/audit-events", {
          params: { query: { record_type: recordType || undefined, action: action || undefined, cursor: pageParam, limit: 50 } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <PageHeader title={t("admin.auditTitle")} />
      <Group>
        <TextInput label={t("admin.record")} placeholder="support_requests" value={recordType} onChange={(e) => setRecordType(e.currentTarget.value)} />
        <TextInput label={t("admin.action")} placeholder="auth." value={action} onChange={(e) => setAction(e.currentTarget.value)} />
      </Group>
      {events.isLoading && <Loading />}
      {events.isError && <ErrorAlert error={events.error} />}
      <Table.ScrollContainer minWidth={900}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("admin.when")}</Table.Th>
              <Table.Th>{t("admin.who")}</Table.Th>
              <Table.Th>{t("admin.action")}</Table.Th>
              <Table.Th>{t("admin.record")}</Table.Th>
              <Table.Th>{t("admin.changes")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((event) => (
              <Table.Tr key={event.id}>
                <Table.Td>{formatDateTime(event.occurred_at, i18n.language)}</Table.Td>
                <Table.Td>{event.actor_label ?? event.actor_type}</Table.Td>
                <Table.Td>
                  <Code>{event.action}</Code>
                  {event.note && <div>{event.note}</div>}
                </Table.Td>
                <Table.Td>
                  {event.record_type}
                  {event.record_id && <Code ml={4}>{event.record_id.slice(0, 8)}</Code>}
                </Table.Td>
                <Table.Td>
                  <Code block style={{ maxWidth: 480, whiteSpace: "pre-wrap" }}>
                    {Object.entries(event.changes)
                      .map(([key, change]) => `${key}: ${JSON.stringify((change as { before: unknown }).before)} → ${JSON.stringify((change as { after: unknown }).after)}`)
                      .join("\n")}
                  </Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {events.hasNextPage && (
        <Button variant="default" onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage}>
          {t("app.loadMore")}
        </Button>
      )}
    </Stack>
  );
}
