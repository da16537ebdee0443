import { Alert, Anchor, Badge, Button, Group, Stack, Table, Tabs, Text, Textarea, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconRefresh } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { Fragment, type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { StatusBadge, UrgencyBadge } from "@/components/StatusBadge";
import { ApiError, api, type Schemas, unwrap } from "@/lib/api";
import { type CommitmentAction, type CommitmentKind, QUERY_KEYS, useCommitmentAction } from "@/lib/commitments";
import { formatDate, formatNumber } from "@/lib/format";
import { useAreaLabel, useCountryName } from "@/lib/reference";

type Item = Schemas["SupportRequestListItem"] | Schemas["SupportOfferListItem"];
const QUEUE: ("submitted" | "under_review")[] = ["submitted", "under_review"];
const PAGE = 200;
const MAX_PAGES = 10;

/**
 * Everything waiting for the Secretariat, oldest submission first. The API sorts by submission newest first
 * only, so the queue is read whole (it is short: what awaits review) and reversed here.
 */
async function fetchQueue(kind: CommitmentKind): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const query = { status: QUEUE, sort: "-submitted_at" as const, limit: PAGE, cursor };
    const result =
      kind === "request"
        ? await unwrap(api.GET("/api/v1/support-requests", { params: { query } }))
        : await unwrap(api.GET("/api/v1/support-offers", { params: { query } }));
    items.push(...result.items);
    if (!result.next_cursor) break;
    cursor = result.next_cursor;
  }
  return items.reverse();
}

function useQueue(kind: CommitmentKind) {
  return useQuery({ queryKey: [QUERY_KEYS[kind], "triage"], queryFn: () => fetchQueue(kind) });
}

function waited(submittedAt: string | null, language: string): string {
  if (!submittedAt) return "";
  const days = Math.max(0, Math.floor((Date.now() - new Date(submittedAt).getTime()) / 86_400_000));
  return new Intl.RelativeTimeFormat(language, { numeric: "auto" }).format(-days, "day");
}

function QueueRow({ kind, item, columns }: { kind: CommitmentKind; item: Item; columns: number }) {
  const { t, i18n } = useTranslation();
  const countryName = useCountryName();
  const areaLabel = useAreaLabel();
  const run = useCommitmentAction(kind);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const reasonId = `reject-${item.id}`;

  const act = (action: CommitmentAction, withReason?: string) =>
    run.mutate(
      { id: item.id, action, reason: withReason },
      {
        onSuccess: () => {
          setRejecting(false);
          notifications.show({ color: "green", message: t(`commitments.actions.done.${action}`) + ` (${item.reference})` });
        },
      },
    );
  const reject = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setReasonError(t("commitments.actions.reasonRequired"));
      return;
    }
    setReasonError(null);
    act("reject", reason);
  };
  const fieldReason = run.error instanceof ApiError ? run.error.fieldMap().reason : undefined;
  const path = kind === "request" ? "/requests" : "/offers";
  const duplicates = "duplication_count" in item ? item.duplication_count : null;

  return (
    <Fragment>
      <Table.Tr>
        <Table.Td miw={260} maw={420}>
          <Anchor component={Link} to={`${path}/${item.id}`} fw={600} size="sm">
            {item.title}
          </Anchor>
          <Text size="xs" ff="monospace">
            {item.reference}
          </Text>
          <Text size="xs" c="dimmed">
            {[...new Set(item.component_areas)].map(areaLabel).join(" · ")}
          </Text>
        </Table.Td>
        <Table.Td miw={150}>
          <Text size="sm">{countryName(item.country_iso3)}</Text>
          <Text size="xs" c="dimmed">
            {item.organisation_name}
          </Text>
        </Table.Td>
        <Table.Td>
          <Stack gap={4} align="flex-start">
            <StatusBadge status={item.status} />
            {"urgency" in item && <UrgencyBadge urgency={item.urgency} size="sm" />}
          </Stack>
        </Table.Td>
        <Table.Td style={{ whiteSpace: "nowrap" }}>
          <Text size="sm">{formatDate(item.submitted_at, i18n.language)}</Text>
          <Text size="xs" c="dimmed">
            {waited(item.submitted_at, i18n.language)}
          </Text>
        </Table.Td>
        {kind === "request" && (
          <Table.Td>
            {duplicates ? (
              <Tooltip label={t("triage.duplicatesHint")}>
                <Badge color="yellow" variant="filled" aria-label={t("triage.duplicatesAria", { total: duplicates })}>
                  {formatNumber(duplicates, i18n.language)}
                </Badge>
              </Tooltip>
            ) : (
              <Text size="sm" c="dimmed">
                {t("triage.noDuplicates")}
              </Text>
            )}
          </Table.Td>
        )}
        <Table.Td miw={190}>
          <Group gap={6} wrap="wrap">
            {item.status === "submitted" && (
              <Button size="xs" variant="light" color="indigo" loading={run.isPending && run.variables?.action === "start_review"} disabled={run.isPending} onClick={() => act("start_review")}>
                {t("commitments.actions.start_review")}
              </Button>
            )}
            <Button size="xs" color="teal" loading={run.isPending && run.variables?.action === "validate"} disabled={run.isPending} onClick={() => act("validate")}>
              {t("commitments.actions.validate")}
            </Button>
            <Button
              size="xs"
              variant={rejecting ? "filled" : "light"}
              color="red"
              disabled={run.isPending}
              aria-expanded={rejecting}
              aria-controls={reasonId}
              onClick={() => {
                setRejecting((r) => !r);
                run.reset();
              }}
            >
              {t("commitments.actions.reject")}
            </Button>
          </Group>
        </Table.Td>
      </Table.Tr>
      {(rejecting || run.isError) && (
        <Table.Tr>
          <Table.Td colSpan={columns}>
            <Stack gap="xs">
              {run.isError && !fieldReason && <ErrorAlert error={run.error} />}
              {rejecting && (
                <form onSubmit={reject} noValidate id={reasonId}>
                  <Group align="flex-end" wrap="nowrap">
                    <Textarea
                      label={t("triage.rejectReason", { reference: item.reference })}
                      required
                      autoFocus
                      minRows={2}
                      maxLength={5000}
                      value={reason}
                      error={reasonError ?? fieldReason}
                      onChange={(e) => {
                  setReason(e.currentTarget.value);
                  setReasonError(null);
                }}
                      style={{ flex: 1 }}
                    />
                    <Button type="submit" color="red" loading={run.isPending && run.variables?.action === "reject"}>
                      {t("triage.confirmReject")}
                    </Button>
                    <Button variant="default" onClick={() => setRejecting(false)}>
                      {t("app.cancel")}
                    </Button>
                  </Group>
                </form>
              )}
            </Stack>
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}

function Queue({ kind }: { kind: CommitmentKind }) {
  const { t } = useTranslation();
  const queue = useQueue(kind);
  if (queue.isLoading) return <Loading />;
  if (queue.isError) return <ErrorAlert error={queue.error} onRetry={() => void queue.refetch()} />;
  const items = queue.data ?? [];
  if (items.length === 0) return <Alert role="note" color="teal">{t("triage.empty")}</Alert>;
  const columns = kind === "request" ? 6 : 5;
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("commitments.fields.title")}</Table.Th>
            <Table.Th>{t("commitments.fields.country")}</Table.Th>
            <Table.Th>{t("commitments.fields.status")}</Table.Th>
            <Table.Th>{t("commitments.fields.submittedAt")}</Table.Th>
            {kind === "request" && <Table.Th>{t("triage.duplicates")}</Table.Th>}
            <Table.Th>{t("app.actions")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <QueueRow key={item.id} kind={kind} item={item} columns={columns} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The Secretariat's queue: submitted and under-review requests and offers, oldest first. */
export function TriagePage() {
  const { t, i18n } = useTranslation();
  const requests = useQueue("request");
  const offers = useQueue("offer");
  const count = (n: number | undefined) => (n === undefined ? "" : formatNumber(n, i18n.language));
  return (
    <Stack>
      <PageHeader
        title={t("triage.title")}
        description={t("triage.intro")}
        actions={
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} aria-hidden />}
            loading={requests.isFetching || offers.isFetching}
            onClick={() => {
              void requests.refetch();
              void offers.refetch();
            }}
          >
            {t("triage.refresh")}
          </Button>
        }
      />
      <Tabs defaultValue="requests" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="requests" rightSection={<Badge variant="light">{count(requests.data?.length)}</Badge>}>
            {t("nav.requests")}
          </Tabs.Tab>
          <Tabs.Tab value="offers" rightSection={<Badge variant="light">{count(offers.data?.length)}</Badge>}>
            {t("nav.offers")}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="requests" pt="md">
          <Queue kind="request" />
        </Tabs.Panel>
        <Tabs.Panel value="offers" pt="md">
          <Queue kind="offer" />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
