// One import job as it stands: status, progress while the worker runs it (polled, cancellable), why a file
// was refused, the row report, and the downloads (rejected rows to fix and import again, the full report).
import { Alert, Anchor, Badge, Button, Group, Progress, Stack, Text } from "@mantine/core";
import { IconDownload } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { formatDateTime, formatNumber } from "@/lib/format";
import { useCancelImport } from "./api";
import { countsMeaning, countsOf, type ImportJob, isActive, progressPercent, rejectedRowsUrl, reportUrl, STATUS_COLOURS } from "./logic";
import { ImportReport } from "./ReportTable";

export function JobStatusBadge({ job }: { job: Pick<ImportJob, "status" | "dry_run"> }) {
  const { t } = useTranslation();
  const label = job.dry_run ? t(`imports.dryRunStatus.${job.status}`) : t(`imports.status.${job.status}`);
  return (
    <Badge color={STATUS_COLOURS[job.status]} variant="light" miw="max-content" data-testid="job-status">
      {label}
    </Badge>
  );
}

export function JobProgress({ job }: { job: ImportJob }) {
  const { t, i18n } = useTranslation();
  const cancel = useCancelImport();
  const percent = progressPercent(job);
  return (
    <Stack gap={6} data-testid="job-progress">
      <Progress
        value={percent ?? 100}
        animated
        striped={percent === null}
        aria-label={t("imports.job.progressLabel")}
        aria-valuetext={
          percent === null ? t("imports.job.waiting") : t("imports.job.percent", { percent: formatNumber(percent, i18n.language) })
        }
      />
      <Group justify="space-between">
        <Text size="sm" role="status" aria-live="polite">
          {job.status === "queued"
            ? t("imports.job.queued")
            : job.rows_total
              ? t("imports.job.rowsDone", {
                  done: formatNumber(job.rows_done, i18n.language),
                  total: formatNumber(job.rows_total, i18n.language),
                })
              : t("imports.job.reading")}
        </Text>
        <Button size="xs" variant="light" color="red" loading={cancel.isPending} onClick={() => cancel.mutate(job.id)}>
          {t("imports.job.cancel")}
        </Button>
      </Group>
      {cancel.isError && <ErrorAlert error={cancel.error} />}
    </Stack>
  );
}

/** `compact`: status and outcome only (a dry run once its file has been imported). */
export function JobPanel({ job, compact = false }: { job: ImportJob; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const meaning = countsMeaning(job);
  const counts = countsOf(job);
  return (
    <Stack gap="md" data-testid="import-job">
      <Group gap="sm" wrap="wrap">
        <JobStatusBadge job={job} />
        <Text size="sm">
          {t(`imports.kinds.${job.kind}`, { defaultValue: job.kind })}
          {job.filename ? ` · ${job.filename}` : ""}
          {" · "}
          {job.dry_run ? t("imports.job.dryRun") : t(`imports.modes.${job.mode}`)}
        </Text>
        <Text size="sm" c="dimmed">
          {t("imports.job.source", { source: job.source })}
          {job.finished_at ? ` · ${formatDateTime(job.finished_at, i18n.language)}` : ""}
        </Text>
      </Group>
      {isActive(job.status) && <JobProgress job={job} />}
      {job.error && (
        <Alert color="red" title={t("imports.job.refused")} role="alert" data-testid="file-error">
          {job.error}
        </Alert>
      )}
      {!job.error && meaning === "wouldDo" && (
        <Alert color={job.status === "succeeded" ? "green" : "orange"} data-testid="job-outcome">
          {job.status === "succeeded"
            ? t("imports.outcome.dryRunGood")
            : job.mode === "all_or_nothing"
              ? t("imports.outcome.dryRunErrors")
              : t("imports.outcome.dryRunErrorsValidOnly")}
        </Alert>
      )}
      {!job.error && meaning === "done" && (
        <Alert color={counts.rejected > 0 ? "orange" : "green"} data-testid="job-outcome">
          {t("imports.outcome.done", {
            created: formatNumber(counts.created, i18n.language),
            updated: formatNumber(counts.updated, i18n.language),
            unchanged: formatNumber(counts.unchanged, i18n.language),
            rejected: formatNumber(counts.rejected, i18n.language),
          })}
        </Alert>
      )}
      {!job.error && meaning === "notWritten" && (
        <Alert color="red" data-testid="job-outcome">
          {job.status === "cancelled" ? t("imports.outcome.cancelled") : t("imports.outcome.notWritten")}
        </Alert>
      )}
      {!compact && !isActive(job.status) && (
        <Group gap="md">
          {job.has_rejected_rows && (
            <Anchor href={rejectedRowsUrl(job.id)} download size="sm" data-testid="rejected-rows-link">
              <IconDownload size={14} aria-hidden style={{ verticalAlign: "middle", marginInlineEnd: 4 }} />
              {t("imports.job.rejectedRows", { count: counts.rejected_rows })}
            </Anchor>
          )}
          {counts.rows > 0 && (
            <Anchor href={reportUrl(job.id)} download size="sm">
              <IconDownload size={14} aria-hidden style={{ verticalAlign: "middle", marginInlineEnd: 4 }} />
              {t("imports.job.fullReport")}
            </Anchor>
          )}
        </Group>
      )}
      {!compact && !isActive(job.status) && (counts.records > 0 || job.issues.length > 0) && <ImportReport job={job} />}
    </Stack>
  );
}
