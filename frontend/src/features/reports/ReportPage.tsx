import { Accordion, Alert, Anchor, Card, Group, Stack, Text, Title } from "@mantine/core";
import { IconArrowBackUp, IconCircleCheck, IconHourglass, IconMessage, IconWorld } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { usePeriod } from "@/components/commitments/Views";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { ApiError, api, unwrap } from "@/lib/api";
import { formatDateTime, formatDay } from "@/lib/format";
import { REPORTS_KEY, useReport, useRevisions } from "./api";
import { ReportActions } from "./ReportActions";
import type { ReportContent } from "./reportDraft";
import { ReportForm } from "./ReportForm";
import { type Report, dueWording } from "./reportState";
import { ReportView } from "./ReportView";
import { ReportStatusBadge } from "./TrafficLight";

/** What the report is about: its match (by reference) or its pledge (by title), as a link. */
function useSubject(report: Report | undefined) {
  const match = useQuery({
    queryKey: [...REPORTS_KEY, "subject", "match", report?.match_id],
    queryFn: () => unwrap(api.GET("/api/v1/matches/{match_id}", { params: { path: { match_id: report?.match_id ?? "" } } })),
    enabled: Boolean(report?.match_id),
    staleTime: 60_000,
  });
  const pledge = useQuery({
    queryKey: [...REPORTS_KEY, "subject", "pledge", report?.pledge_id],
    queryFn: () => unwrap(api.GET("/api/v1/pledges/{pledge_id}", { params: { path: { pledge_id: report?.pledge_id ?? "" } } })),
    enabled: Boolean(report?.pledge_id),
    staleTime: 60_000,
  });
  return { match: match.data, pledge: pledge.data };
}

/** "Due in 12 days" / "Overdue by 5 days" for a report still being written. */
export function DueText({ report }: { report: Pick<Report, "status" | "due_on"> }) {
  const { t } = useTranslation();
  const wording = dueWording(report);
  if (!wording) return null;
  return (
    <Text span size="sm" c={wording.key === "overdueBy" ? "red.8" : "dimmed"} fw={wording.key === "overdueBy" ? 600 : undefined}>
      {t(`reports.due.${wording.key}`, { count: wording.days })}
    </Text>
  );
}

function StatusNotes({ report }: { report: Report }) {
  const { t, i18n } = useTranslation();
  const when = (value: string | null) => formatDateTime(value, i18n.language);
  return (
    <>
      {report.status === "sent_back" && (
        <Alert color="orange" icon={<IconArrowBackUp aria-hidden />} title={t("reports.notes.sentBack", { date: when(report.reviewed_at) })} role="note" data-testid="sent-back-note">
          <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
            {report.review_comment}
          </Text>
        </Alert>
      )}
      {report.status === "submitted" && report.match_id && (
        <Alert color="blue" icon={<IconHourglass aria-hidden />} role="note">
          {t("reports.notes.waitingAttestation", { date: when(report.submitted_at) })}
        </Alert>
      )}
      {report.attestation && report.attested_at && !["sent_back", "not_yet_due", "due", "overdue"].includes(report.status) && (
        <Alert color="indigo" icon={report.attestation === "confirmed" ? <IconCircleCheck aria-hidden /> : <IconMessage aria-hidden />} role="note" data-testid="attestation-note">
          <Text size="sm" fw={600}>
            {t(`reports.notes.attested.${report.attestation}`, { date: when(report.attested_at) })}
          </Text>
          {report.attestation_comment && (
            <Text size="sm" mt={4} style={{ whiteSpace: "pre-wrap" }}>
              {report.attestation_comment}
            </Text>
          )}
        </Alert>
      )}
      {(report.status === "accepted" || report.status === "published") && (
        <Alert color="teal" icon={<IconCircleCheck aria-hidden />} role="note" title={t("reports.notes.accepted", { date: when(report.reviewed_at) })}>
          {report.review_comment && (
            <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
              {report.review_comment}
            </Text>
          )}
        </Alert>
      )}
      {report.status === "published" && (
        <Card withBorder padding="md" component="section" data-testid="published-excerpt">
          <Group gap="xs" mb={4}>
            <IconWorld size={18} aria-hidden />
            <Title order={2} size="h5">
              {t("reports.notes.publishedTitle", { date: when(report.published_at) })}
            </Title>
          </Group>
          <Text style={{ whiteSpace: "pre-wrap" }}>{report.published_excerpt}</Text>
          {report.match_id && (
            <Anchor component={Link} to={`/portal/matches/${report.match_id}`} size="sm" mt="xs" display="inline-block">
              {t("reports.notes.publicPage")}
            </Anchor>
          )}
        </Card>
      )}
    </>
  );
}

function Revisions({ reportId }: { reportId: string }) {
  const { t, i18n } = useTranslation();
  const query = useRevisions(reportId);
  return (
    <Card withBorder padding="lg" component="section" data-testid="revisions">
      <Title order={2} size="h4" mb="sm">
        {t("reports.revisions.title")}
      </Title>
      {query.isLoading && <Loading />}
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      {query.data && query.data.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("reports.revisions.none")}
        </Text>
      )}
      {query.data && query.data.length > 0 && (
        <Accordion variant="separated" order={3} multiple>
          {[...query.data]
            .sort((a, b) => b.number - a.number)
            .map((revision) => (
              <Accordion.Item key={revision.number} value={String(revision.number)}>
                <Accordion.Control>
                  {t("reports.revisions.item", { number: revision.number, date: formatDateTime(revision.submitted_at, i18n.language) })}
                  {revision.review_comment ? ` · ${t("reports.revisions.sentBack")}` : ""}
                </Accordion.Control>
                <Accordion.Panel>
                  {revision.review_comment && (
                    <Alert color="orange" role="note" mb="sm" title={t("reports.revisions.reviewComment")}>
                      <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                        {revision.review_comment}
                      </Text>
                    </Alert>
                  )}
                  <ReportView content={revision.content as Partial<ReportContent>} headingLevel={4} />
                </Accordion.Panel>
              </Accordion.Item>
            ))}
        </Accordion>
      )}
    </Card>
  );
}

/** One progress report: the draft form for the offering party, the attestation, the review, the publication, its history. */
export function ReportPage() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const period = usePeriod();
  const query = useReport(id);
  const report = query.data?.data;
  const { match, pledge } = useSubject(report);

  if (query.isLoading) return <Loading />;
  if (query.isError) {
    if (query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 422))
      return (
        <Stack maw={760}>
          <PageHeader title={t("reports.report.notFoundTitle")} />
          <Alert color="gray" role="note">
            {t("reports.report.notFound")}
          </Alert>
          <Anchor component={Link} to="/reports" size="sm">
            {t("reports.report.backToList")}
          </Anchor>
        </Stack>
      );
    return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (!report || !query.data) return null;
  const etag = query.data.etag;
  const subjectLink = report.match_id ? (
    <Anchor component={Link} to={`/matches/${report.match_id}/reports`}>
      {t("reports.report.ofMatch", { reference: match?.reference ?? "…" })}
    </Anchor>
  ) : report.pledge_id ? (
    <Anchor component={Link} to={`/pledges/${report.pledge_id}/reports`}>
      {t("reports.report.ofPledge", { title: pledge?.title ?? "…" })}
    </Anchor>
  ) : null;

  return (
    <Stack maw={1100}>
      <PageHeader
        title={t("reports.report.title", { period: period(report.period_start, report.period_end) })}
        description={subjectLink}
      />
      <Group gap="sm">
        <ReportStatusBadge status={report.status} size="lg" />
        <Text span size="sm">
          {t("reports.report.dueOn", { date: formatDay(report.due_on, i18n.language) })}
        </Text>
        <DueText report={report} />
      </Group>
      <StatusNotes report={report} />
      {report.can_edit ? (
        <ReportForm key={report.id} report={report} etag={etag} canSubmit={report.allowed_actions.includes("submit")} />
      ) : (
        <Card withBorder padding="lg" component="section" data-testid="report-content">
          <Title order={2} size="h4" mb="sm">
            {t("reports.report.content")}
          </Title>
          {report.submitted_at ? (
            <ReportView content={report} />
          ) : (
            <Text size="sm" c="dimmed">
              {t("reports.report.notWritten")}
            </Text>
          )}
        </Card>
      )}
      <ReportActions report={report} etag={etag} />
      <Revisions reportId={report.id} />
      <Group gap="lg">
        {subjectLink}
        <Anchor component={Link} to="/reports" size="sm">
          {t("reports.report.backToList")}
        </Anchor>
      </Group>
    </Stack>
  );
}
