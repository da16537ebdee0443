import { Text, Timeline as MantineTimeline } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import type { Schemas } from "@/lib/api";
import { formatDateTime } from "@/lib/format";
import { useTimeline } from "./api";

type Event = Schemas["TimelineEvent"];

const STATUS_KEYS = new Set(["proposed", "consent_pending", "consented", "declined", "expired", "under_discussion", "agreed", "planning", "in_progress", "fulfilled", "suspended", "cancelled"]);

/** One event in words: what happened, to whom (as the viewer may know them), and the stage change. */
export function useEventText(): (event: Event) => { title: string; detail: string[] } {
  const { t } = useTranslation();
  const status = (value: unknown) => (typeof value === "string" && STATUS_KEYS.has(value) ? t(`matches.statuses.${value}`) : String(value ?? ""));
  return (event) => {
    const who = event.party_name ?? (event.is_own_party ? t("matches.timeline.yourParty") : event.party_side ? t(`matches.timeline.aParty.${event.party_side}`) : null);
    const title = t(`matches.timeline.kinds.${event.kind}`, { defaultValue: event.kind.replace(/_/g, " ") });
    const detail: string[] = [];
    if (who) detail.push(who);
    const data = event.data as Record<string, unknown>;
    if (data.from && data.to) detail.push(t("matches.timeline.fromTo", { from: status(data.from), to: status(data.to) }));
    if (typeof data.proposal_version === "number") detail.push(t("matches.timeline.version", { version: data.proposal_version }));
    if (typeof data.consent === "boolean") detail.push(data.consent ? t("matches.timeline.publishYes") : t("matches.timeline.publishNo"));
    if (typeof data.reason === "string" && data.reason) detail.push(t("matches.timeline.reason", { reason: data.reason }));
    if (typeof data.justification === "string" && data.justification) detail.push(t("matches.timeline.justification", { text: data.justification }));
    if (typeof data.next_action === "string" && data.next_action) detail.push(data.next_action);
    return { title, detail };
  };
}

/** Every event of the match the viewer may see, oldest first. */
export function MatchTimeline({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const timeline = useTimeline(id);
  const text = useEventText();
  if (timeline.isLoading) return <Loading />;
  if (timeline.isError) return <ErrorAlert error={timeline.error} onRetry={() => void timeline.refetch()} />;
  const events = timeline.data ?? [];
  if (events.length === 0) return <Text size="sm" c="dimmed">{t("matches.timeline.empty")}</Text>;
  return (
    <MantineTimeline active={events.length - 1} bulletSize={14} lineWidth={2} data-testid="timeline" component="ol" style={{ paddingInlineStart: 0 }}>
      {events.map((event) => {
        const { title, detail } = text(event);
        return (
          <MantineTimeline.Item key={event.id} title={title} component="li">
            <Text size="xs" c="dimmed">
              {formatDateTime(event.occurred_at, i18n.language)}
            </Text>
            {detail.map((line, index) => (
              <Text key={index} size="sm" style={{ whiteSpace: "pre-wrap" }}>
                {line}
              </Text>
            ))}
          </MantineTimeline.Item>
        );
      })}
    </MantineTimeline>
  );
}
