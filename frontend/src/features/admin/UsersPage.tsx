import { Badge, Button, Group, Stack, Table, TextInput } from "@mantine/core";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { api, unwrap } from "@/lib/api";
import { formatDateTime } from "@/lib/format";

export function UsersPage() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [q, setQ] = useState("");
  const users = useInfiniteQuery({
    queryKey: ["users", q],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/v1/users", { params: { query: { q: q || undefined, cursor: pageParam, limit: 50 } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: { is_active?: boolean; unlock?: boolean } }) =>
      unwrap(api.PATCH("/api/v1/users/{user_id}", { params: { path: { user_id: id } }, body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["users"] }),
  });
  const rows = users.data?.pages.flatMap((p) => p.items) ?? [];
  const total = users.data?.pages[0]?.total ?? 0;
  return (
    <Stack>
      <PageHeader title={t("admin.usersTitle")} description={t("app.total", { count: total })} />
      <TextInput label={t("app.search")} value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={360} />
      {users.isLoading && <Loading />}
      {users.isError && <ErrorAlert error={users.error} onRetry={() => void users.refetch()} />}
      {update.isError && <ErrorAlert error={update.error} />}
      <Table.ScrollContainer minWidth={800}>
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("admin.fullName")}</Table.Th>
              <Table.Th>{t("auth.email")}</Table.Th>
              <Table.Th>{t("nav.organisations")}</Table.Th>
              <Table.Th>{t("admin.lastSignIn")}</Table.Th>
              <Table.Th>{t("admin.status")}</Table.Th>
              <Table.Th>{t("app.actions")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((user) => {
              const locked = user.locked_until && new Date(user.locked_until) > new Date();
              return (
                <Table.Tr key={user.id}>
                  <Table.Td>{user.full_name}</Table.Td>
                  <Table.Td>{user.email}</Table.Td>
                  <Table.Td>{user.memberships.map((m) => `${m.organisation_name} (${t(`auth.roles.${m.role}`)})`).join(", ")}</Table.Td>
                  <Table.Td>{formatDateTime(user.last_sign_in_at, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <Badge color={user.is_active ? "green" : "gray"}>{user.is_active ? t("admin.active") : t("app.no")}</Badge>
                      {locked && <Badge color="red">{t("admin.locked")}</Badge>}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <Button size="xs" variant="light" onClick={() => update.mutate({ id: user.id, body: { is_active: !user.is_active } })}>
                        {user.is_active ? t("admin.deactivate") : t("admin.activate")}
                      </Button>
                      {locked && (
                        <Button size="xs" variant="light" color="orange" onClick={() => update.mutate({ id: user.id, body: { unlock: true } })}>
                          {t("admin.unlock")}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {users.hasNextPage && (
        <Button variant="default" onClick={() => void users.fetchNextPage()} loading={users.isFetchingNextPage}>
          {t("app.loadMore")}
        </Button>
      )}
    </Stack>
  );
}
