// A client's webhook subscriptions as the Secretariat sees them (never their secrets): where events go, which
// events, how deliveries fare; a test ping; and each subscription's delivery log (status, attempts, response
// code, last error, next attempt) with redelivery.
import { Alert, Badge, Button, Card, Code, Group, SegmentedControl, Stack, Table, Text, Tooltip } from "@mantine/core";
import { IconBroadcast, IconList, IconRefresh } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { formatDateTime } from "@/lib/format";
import {
  type AdministeredSubscription,
  type Client,
  type Delivery,
  type DeliveryStatus,
  useClientSubscriptions,
  useDeliveries,
  usePing,
  useRedeliver,
} from "./api";
import { ScrollTable } from "@/components/ScrollTable";

export const DELIVERY_COLOURS: Record<DeliveryStatus, string> = { pending: "blue", succeeded: "green", failed: "red", skipped: "gray" };
const STATUSES: DeliveryStatus[] = ["pending", "succeeded", "failed", "skipped"];

/** A ping is a one-off check: the API refuses to redeliver it. */
export function canRedeliver(delivery: Pick<Delivery, "event_type">): boolean {
  return delivery.event_type !== "ping";
}

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={DELIVERY_COLOURS[status]} variant="light" miw="max-content" data-testid="delivery-status">
      {t(`integrations.webhooks.statuses.${status}`)}
    </Badge>
  );
}

function DeliveryLog({ subscription }: { subscription: AdministeredSubscription }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<DeliveryStatus | "all">("all");
  const log = useDeliveries(subscription.id, status === "all" ? null : status);
  const redeliver = useRedeliver(subscription.id);
  const rows = log.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="xs" data-testid="delivery-log">
      <SegmentedControl
        aria-label={t("integrations.webhooks.filter")}
        value={status}
        onChange={(value) => setStatus(value as DeliveryStatus | "all")}
        data={[
          { value: "all", label: t("integrations.webhooks.all") },
          ...STATUSES.map((s) => ({ value: s, label: t(`integrations.webhooks.statuses.${s}`) })),
        ]}
        w="fit-content"
        size="xs"
      />
      {log.isLoading && <Loading />}
      {log.isError && <ErrorAlert error={log.error} onRetry={() => void log.refetch()} />}
      {redeliver.isError && <ErrorAlert error={redeliver.error} />}
      {log.isSuccess && rows.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("integrations.webhooks.noDeliveries")}
        </Text>
      )}
      {rows.length > 0 && (
        <ScrollTable minWidth={900} label={t("integrations.webhooks.logCaption", { url: subscription.url })}>
          <Table striped verticalSpacing="xs" fz="sm">
            <Table.Caption>{t("integrations.webhooks.logCaption", { url: subscription.url })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("integrations.webhooks.columns.created")}</Table.Th>
                <Table.Th scope="col">{t("integrations.webhooks.columns.event")}</Table.Th>
                <Table.Th scope="col">{t("integrations.webhooks.columns.status")}</Table.Th>
                <Table.Th scope="col">{t("integrations.webhooks.columns.attempts")}</Table.Th>
                <Table.Th scope="col">{t("integrations.webhooks.columns.response")}</Table.Th>
                <Table.Th scope="col">{t("integrations.webhooks.columns.lastError")}</Table.Th>
                <Table.Th scope="col">{t("integrations.webhooks.columns.next")}</Table.Th>
                <Table.Th scope="col">{t("app.actions")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((delivery) => (
                <Table.Tr key={delivery.id} data-testid="delivery-row">
                  <Table.Td>{formatDateTime(delivery.created_at, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Code>{delivery.event_type}</Code>
                    {delivery.record_id && (
                      <Text size="xs" c="dimmed">
                        {delivery.resource ?? ""} {delivery.record_id}
                        {delivery.record_version !== null ? ` · v${delivery.record_version}` : ""}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <DeliveryStatusBadge status={delivery.status} />
                  </Table.Td>
                  <Table.Td>{delivery.attempts}</Table.Td>
                  <Table.Td>{delivery.response_status ?? "—"}</Table.Td>
                  <Table.Td style={{ maxWidth: 260, overflowWrap: "break-word" }}>
                    {delivery.last_error ? (
                      <Text size="sm" lineClamp={3} title={delivery.last_error}>
                        {delivery.last_error}
                      </Text>
                    ) : (
                      "—"
                    )}
                  </Table.Td>
                  <Table.Td>
                    {delivery.status === "pending" && delivery.next_attempt_at
                      ? formatDateTime(delivery.next_attempt_at, i18n.language)
                      : delivery.delivered_at
                        ? t("integrations.webhooks.deliveredAt", { when: formatDateTime(delivery.delivered_at, i18n.language) })
                        : "—"}
                  </Table.Td>
                  <Table.Td>
                    {canRedeliver(delivery) && (
                      <Button
                        size="xs"
                        variant="light"
                        leftSection={<IconRefresh size={14} aria-hidden />}
                        loading={redeliver.isPending && redeliver.variables === delivery.id}
                        onClick={() => redeliver.mutate(delivery.id)}
                        aria-label={t("integrations.webhooks.redeliverNamed", { event: delivery.event_type, when: formatDateTime(delivery.created_at, i18n.language) })}
                      >
                        {t("integrations.webhooks.redeliver")}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {log.hasNextPage && (
        <Group>
          <Button variant="default" size="xs" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
            {t("app.loadMore")}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function PingOutcome({ delivery }: { delivery: Delivery }) {
  const { t } = useTranslation();
  const ok = delivery.status === "succeeded";
  return (
    <Alert color={ok ? "green" : "red"} role="status" data-testid="ping-outcome">
      {ok
        ? t("integrations.webhooks.pingOk", { code: delivery.response_status ?? "—" })
        : t("integrations.webhooks.pingFailed", {
            code: delivery.response_status ?? "—",
            error: delivery.last_error ?? t(`integrations.webhooks.statuses.${delivery.status}`),
          })}
    </Alert>
  );
}

function SubscriptionCard({ subscription }: { subscription: AdministeredSubscription }) {
  const { t, i18n } = useTranslation();
  const [showLog, setShowLog] = useState(false);
  const ping = usePing(subscription.id);
  const counts = subscription.deliveries;
  return (
    <Card withBorder data-testid="subscription">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Stack gap={4}>
            <Group gap="xs">
              <Code data-testid="subscription-url">{subscription.url}</Code>
              <Badge color={subscription.is_active ? "green" : "gray"} variant="light">
                {subscription.is_active ? t("integrations.webhooks.active") : t("integrations.webhooks.disabled")}
              </Badge>
            </Group>
            {subscription.description && <Text size="sm">{subscription.description}</Text>}
            <Group gap={4}>
              {subscription.event_types.map((type) => (
                <Badge key={type} variant="outline" color="gray" size="sm" tt="none">
                  {type}
                </Badge>
              ))}
            </Group>
          </Stack>
          <Group gap="xs">
            <Tooltip label={t("integrations.webhooks.pingHelp")} withArrow>
              <Button
                size="xs"
                variant="light"
                leftSection={<IconBroadcast size={14} aria-hidden />}
                loading={ping.isPending}
                disabled={!subscription.is_active}
                onClick={() => ping.mutate()}
              >
                {t("integrations.webhooks.ping")}
              </Button>
            </Tooltip>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconList size={14} aria-hidden />}
              onClick={() => setShowLog((v) => !v)}
              aria-expanded={showLog}
            >
              {showLog ? t("integrations.webhooks.hideLog") : t("integrations.webhooks.showLog")}
            </Button>
          </Group>
        </Group>
        <Text size="sm" c="dimmed" data-testid="delivery-counts">
          {t("integrations.webhooks.counts", {
            pending: counts.pending ?? 0,
            succeeded: counts.succeeded ?? 0,
            failed: counts.failed ?? 0,
            skipped: counts.skipped ?? 0,
          })}
          {subscription.last_delivery_at
            ? ` · ${t("integrations.webhooks.lastDelivery", { when: formatDateTime(subscription.last_delivery_at, i18n.language) })}`
            : ""}
        </Text>
        {ping.data && <PingOutcome delivery={ping.data} />}
        {ping.isError && <ErrorAlert error={ping.error} />}
        {showLog && <DeliveryLog subscription={subscription} />}
      </Stack>
    </Card>
  );
}

export function ClientWebhooks({ client }: { client: Client }) {
  const { t } = useTranslation();
  const subscriptions = useClientSubscriptions(client.id);
  if (subscriptions.isLoading) return <Loading />;
  if (subscriptions.isError) return <ErrorAlert error={subscriptions.error} onRetry={() => void subscriptions.refetch()} />;
  const list = subscriptions.data ?? [];
  if (list.length === 0) {
    return (
      <Text c="dimmed" size="sm" data-testid="no-subscriptions">
        {client.scopes.includes("webhooks:manage") ? t("integrations.webhooks.none") : t("integrations.webhooks.noneNoScope")}
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      {list.map((subscription) => (
        <SubscriptionCard key={subscription.id} subscription={subscription} />
      ))}
    </Stack>
  );
}
