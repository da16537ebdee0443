import { Alert, Anchor, Button, Card, Group, NumberInput, Stack, Text, Title } from "@mantine/core";
import { DateInput } from "@mantine/dates";
import { IconInfoCircle } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { ApiError, api, unwrap } from "@/lib/api";
import { fieldError } from "@/lib/fieldErrors";
import { useMe } from "@/lib/session";
import { REPORTS_KEY, usePledgeReporting, useStartPledgeReporting } from "./api";
import { ReportsTable, ScheduleSummary } from "./Schedule";

/** The Secretariat starts tracking a pledge whose support flows outside a match: its lead pledger reports. */
function StartTracking({ pledgeId }: { pledgeId: string }) {
  const { t } = useTranslation();
  const start = useStartPledgeReporting(pledgeId);
  const [months, setMonths] = useState<number | string>(6);
  const [startsOn, setStartsOn] = useState<string | null>(null);
  const map = start.error instanceof ApiError ? start.error.fieldMap() : {};
  return (
    <Card withBorder padding="lg" component="section" data-testid="start-tracking">
      <Title order={2} size="h4" mb={2}>
        {t("reports.pledge.startTitle")}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t("reports.pledge.startHint")}
      </Text>
      {start.isError && !(start.error instanceof ApiError && start.error.fields.length > 0) && <ErrorAlert error={start.error} />}
      <Group align="flex-start" wrap="wrap">
        <NumberInput label={t("reports.schedule.intervalLabel")} min={1} max={24} allowDecimal={false} value={months} onChange={setMonths} error={fieldError(map, "interval_months")} w={200} />
        <DateInput label={t("reports.schedule.startsOn")} description={t("reports.pledge.startsOnHint")} value={startsOn} onChange={setStartsOn} valueFormat="LL" clearable error={fieldError(map, "starts_on")} w={240} />
        <Button mt={25} loading={start.isPending} onClick={() => start.mutate({ interval_months: Number(months) || 6, starts_on: startsOn ?? undefined })}>
          {t("reports.pledge.start")}
        </Button>
      </Group>
    </Card>
  );
}

/** A pledge's progress reports (support tracked outside a match): schedule, traffic light and reports. */
export function PledgeReportsPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const { data: me } = useMe();
  const pledge = useQuery({
    queryKey: [...REPORTS_KEY, "subject", "pledge", id],
    queryFn: () => unwrap(api.GET("/api/v1/pledges/{pledge_id}", { params: { path: { pledge_id: id } } })),
    staleTime: 60_000,
  });
  const reporting = usePledgeReporting(id);
  const back = (
    <Anchor component={Link} to={`/pledges/${id}`} size="sm">
      {t("reports.pledge.backToPledge")}
    </Anchor>
  );
  if (pledge.isLoading || reporting.isLoading) return <Loading />;
  if (pledge.isError) return <ErrorAlert error={pledge.error} onRetry={() => void pledge.refetch()} />;
  const notTracked = reporting.error instanceof ApiError && reporting.error.status === 404;

  return (
    <Stack maw={1100}>
      <PageHeader title={t("reports.pledge.title", { title: pledge.data?.title ?? "" })} description={t("reports.pledge.intro")} actions={back} />
      {notTracked && (
        <Alert color="blue" icon={<IconInfoCircle aria-hidden />} role="note" data-testid="not-tracked">
          {t("reports.pledge.notTracked")}
        </Alert>
      )}
      {notTracked && me?.is_secretariat && <StartTracking pledgeId={id} />}
      {reporting.isError && !notTracked && <ErrorAlert error={reporting.error} onRetry={() => void reporting.refetch()} />}
      {reporting.data && (
        <>
          <ScheduleSummary reporting={reporting.data} />
          <ReportsTable reports={reporting.data.reports} />
        </>
      )}
      <Group>{back}</Group>
    </Stack>
  );
}
