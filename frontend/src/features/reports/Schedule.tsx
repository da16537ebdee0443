import { Anchor, Button, Card, Group, NumberInput, Stack, Table, Text, Title } from "@mantine/core";
import { DateInput } from "@mantine/dates";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Facts, usePeriod } from "@/components/commitments/Views";
import { ApiError, type Schemas } from "@/lib/api";
import { fieldError } from "@/lib/fieldErrors";
import { formatDay } from "@/lib/format";
import { DueText } from "./ReportPage";
import { DRAFTING, type Reporting } from "./reportState";
import { ReportStatusBadge, TrafficLight } from "./TrafficLight";

/** The schedule's facts: traffic light, interval, start, next due date. */
export function ScheduleSummary({ reporting }: { reporting: Reporting }) {
  const { t, i18n } = useTranslation();
  return (
    <Card withBorder padding="lg" component="section" data-testid="schedule">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t("reports.schedule.title")}
        </Title>
        <TrafficLight value={reporting.traffic_light} size="lg" />
      </Group>
      <Facts
        items={[
          { label: t("reports.schedule.interval"), value: t("reports.schedule.everyMonths", { count: reporting.interval_months }) },
          { label: t("reports.schedule.startsOn"), value: formatDay(reporting.starts_on, i18n.language) },
          { label: t("reports.schedule.nextDue"), value: reporting.next_due_on ? formatDay(reporting.next_due_on, i18n.language) : t("reports.schedule.nothingDue") },
        ]}
      />
    </Card>
  );
}

/** Change how often the match reports (the Secretariat and facilitating offices). */
export function ScheduleForm({
  reporting,
  onSave,
  pending,
}: {
  reporting: Reporting;
  onSave: (body: Schemas["ScheduleUpdate"]) => Promise<unknown>;
  pending: boolean;
}) {
  const { t } = useTranslation();
  const [months, setMonths] = useState<number | string>(reporting.interval_months);
  const [startsOn, setStartsOn] = useState<string | null>(reporting.starts_on);
  const [error, setError] = useState<unknown>(null);
  const map = error instanceof ApiError ? error.fieldMap() : {};
  const submit = async () => {
    const interval = typeof months === "number" ? months : Number(months);
    if (!Number.isInteger(interval) || interval < 1 || interval > 24) {
      setError(new ApiError(422, { error: "ValidationError", detail: "", fields: [{ field: "interval_months", message: t("reports.schedule.intervalRange") }] }));
      return;
    }
    try {
      await onSave({ interval_months: interval, starts_on: startsOn && startsOn !== reporting.starts_on ? startsOn : undefined });
      setError(null);
      notifications.show({ color: "teal", message: t("reports.schedule.saved") });
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <Card withBorder padding="lg" component="section" data-testid="schedule-form">
      <Title order={2} size="h4" mb={2}>
        {t("reports.schedule.changeTitle")}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t("reports.schedule.changeHint")}
      </Text>
      <Group align="flex-start" wrap="wrap">
        <NumberInput
          label={t("reports.schedule.intervalLabel")}
          min={1}
          max={24}
          allowDecimal={false}
          value={months}
          onChange={setMonths}
          error={fieldError(map, "interval_months")}
          w={200}
        />
        <DateInput
          label={t("reports.schedule.startsOn")}
          value={startsOn}
          onChange={(value) => setStartsOn(value)}
          valueFormat="LL"
          error={fieldError(map, "starts_on")}
          w={220}
        />
        <Button mt={25} onClick={() => void submit()} loading={pending}>
          {t("reports.schedule.save")}
        </Button>
      </Group>
      {error !== null && !(error instanceof ApiError && error.fields.length > 0) && (
        <Text c="red.8" size="sm" mt="xs" role="alert">
          {error instanceof Error ? error.message : String(error)}
        </Text>
      )}
    </Card>
  );
}

/** The reports of a schedule, newest period first, each with its status and what it needs. */
export function ReportsTable({ reports }: { reports: Reporting["reports"] }) {
  const { t, i18n } = useTranslation();
  const period = usePeriod();
  return (
    <Card withBorder padding="lg" component="section">
      <Title order={2} size="h4" mb="sm">
        {t("reports.schedule.reports")}
      </Title>
      {reports.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("reports.schedule.noReports")}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={680}>
          <Table striped verticalSpacing="sm" data-testid="schedule-reports">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("reports.fields.period")}</Table.Th>
                <Table.Th>{t("reports.fields.dueOn")}</Table.Th>
                <Table.Th>{t("reports.fields.status")}</Table.Th>
                <Table.Th>{t("app.actions")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {reports.map((report) => {
                const label = period(report.period_start, report.period_end);
                const write = report.can_edit && DRAFTING.has(report.status);
                return (
                  <Table.Tr key={report.id}>
                    <Table.Td>{label}</Table.Td>
                    <Table.Td>
                      <Stack gap={0}>
                        <Text size="sm">{formatDay(report.due_on, i18n.language)}</Text>
                        <DueText report={report} />
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <ReportStatusBadge status={report.status} />
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/reports/${report.id}`} size="sm" aria-label={t(write ? "reports.schedule.writeAria" : "reports.schedule.openAria", { period: label })}>
                        {write ? t("reports.schedule.write") : t("reports.schedule.open")}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
