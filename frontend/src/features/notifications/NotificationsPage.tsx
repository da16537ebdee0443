import { Anchor, Badge, Button, Card, Group, Stack, Switch, Text, Title } from "@mantine/core";
import { notifications as toasts } from "@mantine/notifications";
import { IconChecks } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import type { Schemas } from "@/lib/api";
import { formatDateTime, formatNumber } from "@/lib/format";
import { useInbox, useMarkRead } from "./api";

type Notification = Schemas["Notification"];

/** Where a notification leads inside the platform: its own link when it is a path here, else its match. */
export function notificationTarget(n: Pick<Notification, "link" | "match_id">): string | null {
  if (n.link && n.link.startsWith("/") && !n.link.startsWith("//")) return n.link;
  return n.match_id ? `/matches/${n.match_id}` : null;
}

function Item({ item }: { item: Notification }) {
  const { t, i18n } = useTranslation();
  const mark = useMarkRead();
  const target = notificationTarget(item);
  const unread = item.read_at === null;
  return (
    <Card
      component="li"
      withBorder
      padding="sm"
      data-testid="notification"
      data-unread={unread ? "true" : "false"}
      style={unread ? { borderLeft: "4px solid var(--mantine-color-blue-7)" } : undefined}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4}>
          <Group gap="xs">
            <Title order={2} size="h6">
              {item.title}
            </Title>
            {unread && (
              <Badge size="sm" color="blue" variant="light" tt="none">
                {t("notifications.unread")}
              </Badge>
            )}
          </Group>
          <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
            {item.body}
          </Text>
          <Text size="xs" c="dimmed">
            {formatDateTime(item.created_at, i18n.language)}
          </Text>
        </Stack>
        <Stack gap={4} align="flex-end">
          {target && (
            <Anchor component={Link} to={target} size="sm" onClick={() => unread && mark.mutate([item.id])}>
              {item.match_id ? t("notifications.openMatch") : t("notifications.open")}
            </Anchor>
          )}
          {unread && (
            <Button size="compact-xs" variant="subtle" loading={mark.isPending} onClick={() => mark.mutate([item.id])} aria-label={t("notifications.markReadOne", { title: item.title })}>
              {t("notifications.markRead")}
            </Button>
          )}
        </Stack>
      </Group>
    </Card>
  );
}

/** The signed-in user's notifications, newest first, with the unread count; mark one or all read. */
export function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const inbox = useInbox(unreadOnly);
  const markAll = useMarkRead();
  const items = inbox.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = inbox.data?.pages[0]?.unread ?? 0;
  return (
    <Stack maw={900}>
      <PageHeader
        title={t("notifications.title")}
        description={t("notifications.intro")}
        actions={
          <Button
            variant="light"
            leftSection={<IconChecks size={16} aria-hidden />}
            disabled={unread === 0}
            loading={markAll.isPending}
            onClick={() => markAll.mutate(undefined, { onSuccess: (r) => toasts.show({ color: "green", message: t("notifications.markedAll", { count: r.marked }) }) })}
          >
            {t("notifications.markAllRead")}
          </Button>
        }
      />
      <Group justify="space-between">
        <Text fw={600} role="status" aria-live="polite" data-testid="unread-count">
          {inbox.data ? t("notifications.unreadCount", { count: formatNumber(unread, i18n.language) }) : ""}
        </Text>
        <Switch label={t("notifications.unreadOnly")} checked={unreadOnly} onChange={(e) => setUnreadOnly(e.currentTarget.checked)} />
      </Group>
      {inbox.isLoading && <Loading />}
      {inbox.isError && <ErrorAlert error={inbox.error} onRetry={() => void inbox.refetch()} />}
      {markAll.isError && <ErrorAlert error={markAll.error} />}
      {inbox.data && items.length === 0 && <Text c="dimmed">{unreadOnly ? t("notifications.noneUnread") : t("notifications.none")}</Text>}
      {items.length > 0 && (
        <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: "none" }}>
          {items.map((item) => (
            <Item key={item.id} item={item} />
          ))}
        </Stack>
      )}
      {inbox.hasNextPage && (
        <Group justify="center">
          <Button variant="default" loading={inbox.isFetchingNextPage} onClick={() => void inbox.fetchNextPage()}>
            {t("app.loadMore")}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
