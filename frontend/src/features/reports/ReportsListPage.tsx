import { Anchor, Button, Card, Group, MultiSelect, Select, Stack, Table, Text } from "@mantine/core";
import { IconX } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { usePeriod } from "@/components/commitments/Views";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { formatDay, formatNumber } from "@/lib/format";
import { type FilterSpec, useUrlFilters, withFilter } from "@/lib/listFilters";
import { useReportsList } from "./api";
import { DueText } from "./ReportPage";
import { REPORT_STATUSES, type ReportStatus, TRAFFIC_LIGHTS, type TrafficLightValue } from "./reportState";
import { ReportStatusBadge, TrafficLight } from "./TrafficLight";

const FILTERS: FilterSpec = { status: "multi", light: "single" };

/** Reports the caller reviews or writes (the Secretariat sees all), by due date, with status and traffic light. */
export function ReportsListPage() {
  const { t, i18n } = useTranslation();
  const period = usePeriod();
  const [values, setValues] = useUrlFilters(FILTERS);
  const statuses = [values.status ?? []].flat().filter((s): s is ReportStatus => REPORT_STATUSES.includes(s as ReportStatus));
  const lightValue = [values.light ?? []].flat()[0];
  const light = TRAFFIC_LIGHTS.includes(lightValue as TrafficLightValue) ? (lightValue as TrafficLightValue) : undefined;
  const list = useReportsList(statuses, light);
  const items = list.data?.items ?? [];
  // The light is worked out per report after the page is read: with it, only the rows shown can be counted.
  const shownAll = list.data ? light !== undefined || (items.length >= list.data.total && !list.data.total_is_lower_bound) : true;
  const n = (value: number) => formatNumber(value, i18n.language);

  return (
    <Stack>
      <PageHeader title={t("reports.list.title")} description={t("reports.list.intro")} />
      <Card withBorder padding="sm">
        <Group align="flex-end" wrap="wrap" gap="sm">
          <MultiSelect
            label={t("reports.fields.status")}
            data={REPORT_STATUSES.map((s) => ({ value: s, label: t(`reports.statuses.${s}`) }))}
            value={statuses}
            onChange={(value) => setValues(withFilter(values, "status", value))}
            clearable
            miw={260}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label={t("reports.fields.trafficLight")}
            data={TRAFFIC_LIGHTS.map((l) => ({ value: l, label: t(`reports.lights.${l}`) }))}
            value={light ?? null}
            onChange={(value) => setValues(withFilter(values, "light", value))}
            clearable
            w={220}
            comboboxProps={{ withinPortal: true }}
          />
          {(statuses.length > 0 || light) && (
            <Button variant="subtle" leftSection={<IconX size={16} aria-hidden />} onClick={() => setValues({})}>
              {t("filters.clear")}
            </Button>
          )}
        </Group>
      </Card>
      <Text size="sm" c="dimmed" role="status" aria-live="polite" data-testid="result-count">
        {list.data
          ? shownAll
            ? t("filters.resultCount", { total: n(items.length) })
            : t("reports.list.firstOf", { shown: n(items.length), total: n(list.data.total) })
          : ""}
      </Text>
      {list.isLoading && <Loading />}
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && items.length === 0 && <Text c="dimmed">{t("reports.list.empty")}</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={860}>
          <Table striped highlightOnHover verticalSpacing="sm" data-testid="reports-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("reports.fields.subject")}</Table.Th>
                <Table.Th>{t("reports.fields.period")}</Table.Th>
                <Table.Th>{t("reports.fields.dueOn")}</Table.Th>
                <Table.Th>{t("reports.fields.status")}</Table.Th>
                <Table.Th>{t("reports.fields.trafficLight")}</Table.Th>
                <Table.Th>{t("app.actions")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => {
                const label = period(item.period_start, item.period_end);
                return (
                  <Table.Tr key={item.id}>
                    <Table.Td>
                      {item.match_id ? (
                        <Anchor component={Link} to={`/matches/${item.match_id}/reports`} size="sm" ff="monospace">
                          {item.match_reference ?? t("reports.list.match")}
                        </Anchor>
                      ) : item.pledge_id ? (
                        <Anchor component={Link} to={`/pledges/${item.pledge_id}/reports`} size="sm">
                          {t("reports.list.pledge")}
                        </Anchor>
                      ) : null}
                    </Table.Td>
                    <Table.Td>{label}</Table.Td>
                    <Table.Td>
                      <Stack gap={0}>
                        <Text size="sm">{formatDay(item.due_on, i18n.language)}</Text>
                        <DueText report={item} />
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <ReportStatusBadge status={item.status} />
                    </Table.Td>
                    <Table.Td>
                      <TrafficLight value={item.traffic_light} />
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/reports/${item.id}`} size="sm" aria-label={t("reports.schedule.openAria", { period: `${item.match_reference ?? ""} ${label}`.trim() })}>
                        {t("reports.schedule.open")}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
