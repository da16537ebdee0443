// Pure helpers of the imports screens: job states, progress, and the row report's filters and ordering.
import type { Schemas } from "@/lib/api";

export type ImportJob = Schemas["ImportJob"];
export type ImportJobSummary = Schemas["ImportJobSummary"];
export type ImportIssue = Schemas["ImportIssue"];
export type ImportCounts = Schemas["ImportCounts"];
export type ImportKindInfo = Schemas["ImportKindInfo"];
export type ImportStatus = ImportJob["status"];
export type ImportMode = ImportJob["mode"];
export type FileFormat = "xlsx" | "csv" | "json";
export type TemplateLanguage = "en" | "fr" | "es";

export const FILE_FORMATS: readonly FileFormat[] = ["xlsx", "csv", "json"];
export const TEMPLATE_LANGUAGES: readonly TemplateLanguage[] = ["en", "fr", "es"];
/** What the file input accepts (the server decides by content; this only helps the file chooser). */
export const ACCEPT = ".csv,.tsv,.txt,.xlsx,.json,text/csv,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A job still being worked on: poll it, and it can be cancelled. */
export function isActive(status: ImportStatus): boolean {
  return status === "queued" || status === "running";
}

/** Rows done out of the total, 0-100; none while the total is not known yet. */
export function progressPercent(job: Pick<ImportJob, "rows_total" | "rows_done" | "status">): number | null {
  if (job.status === "succeeded") return 100;
  if (!job.rows_total) return null;
  return Math.max(0, Math.min(100, Math.round((job.rows_done / job.rows_total) * 100)));
}

export type SeverityFilter = "all" | "error" | "warning";

/** Issues to show: by severity, ordered by row (file-level issues first), errors before warnings. */
export function filterIssues(issues: readonly ImportIssue[], severity: SeverityFilter): ImportIssue[] {
  return issues
    .map((issue, index) => ({ issue, index }))
    .filter(({ issue }) => severity === "all" || issue.severity === severity)
    .sort(
      (a, b) =>
        (a.issue.row ?? -1) - (b.issue.row ?? -1) ||
        (a.issue.severity === b.issue.severity ? 0 : a.issue.severity === "error" ? -1 : 1) ||
        a.index - b.index,
    )
    .map(({ issue }) => issue);
}

/** After a dry run: can the real run import anything, and which mode fits by default. */
export function confirmChoice(job: ImportJob): { possible: boolean; defaultMode: ImportMode; hasErrors: boolean; importable: number } {
  const counts = countsOf(job);
  const hasErrors = counts.errors > 0 || counts.rejected > 0;
  const importable = counts.created + counts.updated + counts.unchanged;
  // A file refused as a whole (empty, wrong columns, not a spreadsheet) has nothing to import.
  const possible = !job.error_code && importable > 0;
  return { possible, defaultMode: hasErrors ? "valid_rows_only" : "all_or_nothing", hasErrors, importable };
}

/** The API's URL for a template, an export, or a job's files (plain links: the session cookie authorises them). */
export function templateUrl(kind: string, format: FileFormat, language: TemplateLanguage): string {
  return `/api/v1/imports/templates/${encodeURIComponent(kind)}?format=${format}&language=${language}`;
}

export function exportUrl(kind: string, format: FileFormat, language: TemplateLanguage): string {
  return `/api/v1/exports/${encodeURIComponent(kind)}?format=${format}&language=${language}`;
}

export function rejectedRowsUrl(jobId: string): string {
  return `/api/v1/imports/jobs/${encodeURIComponent(jobId)}/rejected-rows`;
}

export function reportUrl(jobId: string): string {
  return `/api/v1/imports/jobs/${encodeURIComponent(jobId)}/report`;
}

export const STATUS_COLOURS: Record<ImportStatus, string> = {
  queued: "gray",
  running: "blue",
  succeeded: "green",
  failed: "red",
  cancelled: "orange",
};

/** How to read a job's counts: what a dry run would do, what a run did, or what a run did not write
 * (an all-or-nothing run with errors, a cancelled job: the database is as before). */
export function countsMeaning(job: Pick<ImportJob, "dry_run" | "status" | "mode">): "wouldDo" | "done" | "notWritten" | "pending" {
  if (isActive(job.status)) return "pending";
  if (job.dry_run) return "wouldDo";
  if (job.status === "cancelled") return "notWritten";
  if (job.status === "failed" && job.mode === "all_or_nothing") return "notWritten";
  return "done";
}

export type Counts = Required<ImportCounts>;

/** A job's counts with every number present (the API leaves out none, but the schema gives defaults). */
export function countsOf(job: { counts: ImportCounts }): Counts {
  const c = job.counts;
  return {
    rows: c.rows ?? 0,
    records: c.records ?? 0,
    created: c.created ?? 0,
    updated: c.updated ?? 0,
    unchanged: c.unchanged ?? 0,
    rejected: c.rejected ?? 0,
    rejected_rows: c.rejected_rows ?? 0,
    errors: c.errors ?? 0,
    warnings: c.warnings ?? 0,
  };
}
