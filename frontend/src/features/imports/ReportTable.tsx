// A job's row report: the counts, then every issue (row, column, value, message; error or warning) and every
// record's outcome. Used on the imports page after a dry run or a run, and on a job's own page.
import { Badge, Group, Paper, SegmentedControl, SimpleGrid, Stack, Table, Tabs, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatNumber } from "@/lib/format";
import { countsMeaning, countsOf, filterIssues, type ImportJob, type SeverityFilter } from "./logic";
import { ScrollTable } from "@/components/ScrollTable";

const OUTCOME_COLOURS: Record<string, string> = { created: "green", updated: "blue", unchanged: "gray", rejected: "red" };

export function CountsSummary({ job }: { job: ImportJob }) {
  const { t, i18n } = useTranslation();
  const meaning = countsMeaning(job);
  const counts = countsOf(job);
  const cells: { key: string; value: number; label: string; colour?: string }[] = [
    { key: "rows", value: counts.rows, label: t("imports.counts.rows") },
    { key: "records", value: counts.records, label: t("imports.counts.records") },
    { key: "created", value: counts.created, label: t(`imports.counts.${meaning}.created`), colour: "green" },
    { key: "updated", value: counts.updated, label: t(`imports.counts.${meaning}.updated`), colour: "blue" },
    { key: "unchanged", value: counts.unchanged, label: t(`imports.counts.${meaning}.unchanged`) },
    { key: "rejected", value: counts.rejected, label: t("imports.counts.rejected"), colour: "red" },
    { key: "errors", value: counts.errors, label: t("imports.counts.errors"), colour: "red" },
    { key: "warnings", value: counts.warnings, label: t("imports.counts.warnings"), colour: "orange" },
  ];
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" data-testid="import-counts">
      {cells.map((cell) => (
        <Paper key={cell.key} withBorder p="xs" data-testid={`count-${cell.key}`}>
          <Text size="xl" fw={700} c={cell.value > 0 ? cell.colour : undefined}>
            {formatNumber(cell.value, i18n.language)}
          </Text>
          <Text size="sm" c="dimmed">
            {cell.label}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

export function IssuesTable({ job }: { job: ImportJob }) {
  const { t, i18n } = useTranslation();
  const [severity, setSeverity] = useState<SeverityFilter>("all");
  const errors = job.issues.filter((i) => i.severity === "error").length;
  const warnings = job.issues.length - errors;
  const shown = filterIssues(job.issues, severity);
  if (job.issues.length === 0) {
    return (
      <Text c="dimmed" size="sm" data-testid="no-issues">
        {t("imports.report.noIssues")}
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      <SegmentedControl
        aria-label={t("imports.report.filter")}
        value={severity}
        onChange={(value) => setSeverity(value as SeverityFilter)}
        data={[
          { value: "all", label: t("imports.report.all", { count: job.issues.length }) },
          { value: "error", label: t("imports.report.errorsOnly", { count: errors }) },
          { value: "warning", label: t("imports.report.warningsOnly", { count: warnings }) },
        ]}
        w="fit-content"
      />
      {job.issues_total > job.issues.length && (
        <Text size="sm" c="dimmed">
          {t("imports.report.truncated", {
            shown: formatNumber(job.issues.length, i18n.language),
            total: formatNumber(job.issues_total, i18n.language),
          })}
        </Text>
      )}
      <ScrollTable minWidth={720} label={t("imports.report.issues")}>
        <Table striped verticalSpacing="xs" data-testid="import-issues">
          <Table.Caption>{t("imports.report.caption")}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("imports.report.row")}</Table.Th>
              <Table.Th scope="col">{t("imports.report.column")}</Table.Th>
              <Table.Th scope="col">{t("imports.report.value")}</Table.Th>
              <Table.Th scope="col">{t("imports.report.message")}</Table.Th>
              <Table.Th scope="col">{t("imports.report.severity")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((issue, index) => (
              <Table.Tr key={`${issue.row ?? "file"}-${issue.column ?? ""}-${index}`} data-testid="issue-row" data-severity={issue.severity}>
                <Table.Td>{issue.row ?? t("imports.report.wholeFile")}</Table.Td>
                <Table.Td>{issue.column ?? "—"}</Table.Td>
                <Table.Td style={{ maxWidth: 220, overflowWrap: "break-word" }}>
                  {issue.value ? <code>{issue.value}</code> : "—"}
                </Table.Td>
                <Table.Td>{issue.message}</Table.Td>
                <Table.Td>
                  <Badge color={issue.severity === "error" ? "red" : "orange"} variant="light" miw="max-content">
                    {t(`imports.report.severities.${issue.severity}`)}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Stack>
  );
}

export function RecordsTable({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const meaning = countsMeaning(job);
  if (job.records.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {t("imports.report.noRecords")}
      </Text>
    );
  }
  return (
    <ScrollTable minWidth={560} label={t("imports.report.records")}>
      <Table striped verticalSpacing="xs" data-testid="import-records">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("imports.report.rows")}</Table.Th>
            <Table.Th scope="col">{t("imports.report.key")}</Table.Th>
            <Table.Th scope="col">{t("imports.report.outcome")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {job.records.map((record, index) => (
            <Table.Tr key={`${record.key ?? ""}-${index}`} data-testid="record-row">
              <Table.Td>{record.rows.join(", ")}</Table.Td>
              <Table.Td>{record.key ?? "—"}</Table.Td>
              <Table.Td>
                <Badge color={OUTCOME_COLOURS[record.outcome] ?? "gray"} variant="light" miw="max-content">
                  {record.outcome === "rejected"
                    ? t("imports.counts.rejected")
                    : t(`imports.counts.${meaning === "pending" ? "wouldDo" : meaning}.${record.outcome}`)}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

/** Counts, then the issues and the records in tabs. */
export function ImportReport({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" data-testid="import-report">
      <Title order={3} size="h4">
        {job.dry_run ? t("imports.report.dryRunTitle") : t("imports.report.runTitle")}
      </Title>
      <CountsSummary job={job} />
      <Tabs defaultValue="issues" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="issues">
            <Group gap={6} wrap="nowrap">
              {t("imports.report.issues")}
              <Badge size="sm" variant="light" color={countsOf(job).errors > 0 ? "red" : "gray"}>
                {job.issues_total}
              </Badge>
            </Group>
          </Tabs.Tab>
          <Tabs.Tab value="records">
            <Group gap={6} wrap="nowrap">
              {t("imports.report.records")}
              <Badge size="sm" variant="light" color="gray">
                {countsOf(job).records}
              </Badge>
            </Group>
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="issues" pt="sm">
          <IssuesTable job={job} />
        </Tabs.Panel>
        <Tabs.Panel value="records" pt="sm">
          <RecordsTable job={job} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
