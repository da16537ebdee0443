import { Anchor, Badge, Card, Group, Stack, Text, Title } from "@mantine/core";
import { useQueries } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { formatDateTime } from "@/lib/format";
import { detailKey, fetchMatch, useMatchList } from "./api";
import { ConsentBadge } from "./Badges";
import { ConsentDecision } from "./ConsentPanel";
import { consentInboxState, type PartyView } from "./logic";
import { ComponentList, RedactedCard } from "./Parties";

/** One proposal as a party sees it before consent: its own part, the counterparts redacted, the decision. */
function ProposalCard({ view, waiting }: { view: PartyView; waiting: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Card withBorder padding="md" component="article" data-testid="inbox-proposal" aria-labelledby={`proposal-${view.id}`}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Title order={3} size="h4" id={`proposal-${view.id}`}>
            <Anchor component={Link} to={`/matches/${view.id}`} inherit>
              {t("matches.detail.title", { reference: view.reference })}
            </Anchor>
          </Title>
          <Group gap="xs">
            <Badge variant="outline" tt="none">
              {t("matches.detail.proposalVersion", { version: view.proposal_version })}
            </Badge>
            {view.consent_deadline && (
              <Badge color="orange" variant="light" tt="none">
                {t("matches.detail.deadline", { date: formatDateTime(view.consent_deadline, i18n.language) })}
              </Badge>
            )}
          </Group>
        </Group>
        {view.public_summary && <Text size="sm">{view.public_summary}</Text>}
        <Title order={4} size="h5">
          {t("matches.parties.yourPart")}
        </Title>
        {view.my_parties.map((p) => (
          <Card key={p.id} withBorder padding="sm">
            <Group justify="space-between" wrap="wrap">
              <Text size="sm" fw={600}>
                {p.organisation.name} · {p.record.title} ({p.record.reference})
              </Text>
              <ConsentBadge status={p.consent_status} />
            </Group>
            <ComponentList components={p.record.components} />
          </Card>
        ))}
        <Title order={4} size="h5">
          {t("matches.parties.counterparts")}
        </Title>
        <Text size="xs" c="dimmed">
          {t("matches.inbox.redactedExplain")}
        </Text>
        {view.counterparts.map((c) => ("organisation" in c ? null : <RedactedCard key={c.id} counterpart={c} />))}
        {waiting ? <ConsentDecision view={view} /> : <Text size="sm">{t("matches.inbox.waitingOthers")}</Text>}
      </Stack>
    </Card>
  );
}

/**
 * A focal point's consent inbox: the proposals awaiting their organisation's decision, shown redacted as the
 * API gives them (the counterpart's kind, region, language and what it brings; never who it is), with grant
 * or decline and optional conditions; then those waiting for the other parties.
 */
export function ConsentInboxPage() {
  const { t } = useTranslation();
  const list = useMatchList({ status: ["consent_pending"] }, 100);
  const ids = (list.data?.pages.flatMap((p) => p.items) ?? []).map((i) => i.id);
  const details = useQueries({ queries: ids.map((id) => ({ queryKey: detailKey(id), queryFn: () => fetchMatch(id) })) });
  const views = details.flatMap((d) => (d.data && d.data.data.view === "party" ? [d.data.data] : []));
  const mine = views.filter((v) => consentInboxState(v) === "mine");
  const others = views.filter((v) => consentInboxState(v) === "others");
  const loading = list.isLoading || details.some((d) => d.isLoading);
  const failed = list.error ?? details.find((d) => d.error)?.error;

  return (
    <Stack maw={1100}>
      <PageHeader title={t("matches.inbox.title")} description={t("matches.inbox.intro")} />
      {loading && <Loading />}
      {failed && <ErrorAlert error={failed} onRetry={() => void list.refetch()} />}
      {!loading && (
        <>
          <section aria-labelledby="inbox-mine">
            <Title order={2} size="h3" id="inbox-mine" mb="sm">
              {t("matches.inbox.waitingForYou", { count: mine.length })}
            </Title>
            {mine.length === 0 ? (
              <Text c="dimmed" data-testid="inbox-empty">
                {t("matches.inbox.empty")}
              </Text>
            ) : (
              <Stack>
                {mine.map((v) => (
                  <ProposalCard key={v.id} view={v} waiting />
                ))}
              </Stack>
            )}
          </section>
          {others.length > 0 && (
            <section aria-labelledby="inbox-others">
              <Title order={2} size="h3" id="inbox-others" mb="sm">
                {t("matches.inbox.waitingForOthers", { count: others.length })}
              </Title>
              <Stack>
                {others.map((v) => (
                  <ProposalCard key={v.id} view={v} waiting={false} />
                ))}
              </Stack>
            </section>
          )}
        </>
      )}
    </Stack>
  );
}
