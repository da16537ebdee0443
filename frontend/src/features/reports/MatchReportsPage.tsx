import { Alert, Anchor, Group, Stack } from "@mantine/core";
import { IconInfoCircle } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { ApiError, api, unwrap } from "@/lib/api";
import { REPORTS_KEY, useMatchReporting, useSetMatchSchedule } from "./api";
import { ReportsTable, ScheduleForm, ScheduleSummary } from "./Schedule";

/** A match's reporting: the schedule and its traffic light, the reports per period, the interval (facilitators). */
export function MatchReportsPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  // The match and its reporting are read in parallel: the match says who the caller is to it.
  const match = useQuery({
    queryKey: [...REPORTS_KEY, "subject", "match", id],
    queryFn: () => unwrap(api.GET("/api/v1/matches/{match_id}", { params: { path: { match_id: id } } })),
    staleTime: 60_000,
  });
  const reporting = useMatchReporting(id);
  const setSchedule = useSetMatchSchedule(id);
  const reference = match.data?.reference ?? "";
  const facilitator = match.data?.view === "facilitator";
  const back = (
    <Anchor component={Link} to={`/matches/${id}`} size="sm">
      {t("reports.match.backToMatch")}
    </Anchor>
  );

  if (match.isLoading || reporting.isLoading) return <Loading />;
  const notFound = [match.error, reporting.error].some((e) => e instanceof ApiError && (e.status === 404 || e.status === 422));
  if (notFound)
    return (
      <Stack maw={760}>
        <PageHeader title={t("reports.match.notFoundTitle")} />
        <Alert color="gray" role="note">
          {t("reports.match.notFound")}
        </Alert>
      </Stack>
    );
  const notReporting = reporting.error instanceof ApiError && reporting.error.code === "NotReporting";

  return (
    <Stack maw={1100}>
      <PageHeader title={t("reports.match.title", { reference })} description={t("reports.match.intro")} actions={back} />
      {match.isError && <ErrorAlert error={match.error} onRetry={() => void match.refetch()} />}
      {notReporting && (
        <Alert color="blue" icon={<IconInfoCircle aria-hidden />} role="note" data-testid="not-reporting">
          {t("reports.match.notReporting")}
        </Alert>
      )}
      {reporting.isError && !notReporting && <ErrorAlert error={reporting.error} onRetry={() => void reporting.refetch()} />}
      {reporting.data && (
        <>
          <ScheduleSummary reporting={reporting.data} />
          {facilitator && <ScheduleForm key={reporting.data.schedule_id} reporting={reporting.data} onSave={(body) => setSchedule.mutateAsync(body)} pending={setSchedule.isPending} />}
          <ReportsTable reports={reporting.data.reports} />
        </>
      )}
      <Group gap="lg">
        {back}
        <Anchor component={Link} to="/reports" size="sm">
          {t("reports.report.backToList")}
        </Anchor>
      </Group>
    </Stack>
  );
}
