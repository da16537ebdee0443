// Progress report statuses, traffic lights and the calendar words around them: pure helpers.
import type { Schemas } from "@/lib/api";

export type Report = Schemas["Report"];
export type Reporting = Schemas["Reporting"];
export type ReportListItem = Schemas["ReportListItem"];
export type ReportStatus = Report["status"];
export type TrafficLightValue = Reporting["traffic_light"];
export type ReportAction = Report["allowed_actions"][number];

export const REPORT_STATUSES: readonly ReportStatus[] = [
  "not_yet_due",
  "due",
  "overdue",
  "submitted",
  "attested",
  "sent_back",
  "accepted",
  "published",
];
export const TRAFFIC_LIGHTS: readonly TrafficLightValue[] = ["on_track", "due_soon", "overdue"];

export const STATUS_COLORS: Record<ReportStatus, string> = {
  not_yet_due: "gray",
  due: "yellow",
  overdue: "red",
  submitted: "blue",
  attested: "indigo",
  sent_back: "orange",
  accepted: "teal",
  published: "green",
};

export const LIGHT_COLORS: Record<TrafficLightValue, string> = { on_track: "green", due_soon: "yellow", overdue: "red" };

/** Statuses in which the offering party still writes the report (the API's `DRAFTING`). */
export const DRAFTING: ReadonlySet<ReportStatus> = new Set(["not_yet_due", "due", "overdue", "sent_back"]);

/** Whole days from `today` to a calendar date (`YYYY-MM-DD`): negative when the date has passed. */
export function daysUntil(day: string, today: Date = new Date()): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (!match) return 0;
  const target = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const now = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return Math.round((target - now) / 86_400_000);
}

export type DueWording = { key: "dueToday" | "dueIn" | "overdueBy" | "submittedOn"; days: number };

/**
 * How a report's due date reads for its status: for a report still being written, "due in 12 days",
 * "due today" or "overdue by 5 days"; once submitted, nothing about the due date (null).
 */
export function dueWording(report: Pick<Report, "status" | "due_on">, today: Date = new Date()): DueWording | null {
  if (!DRAFTING.has(report.status)) return null;
  const days = daysUntil(report.due_on, today);
  if (days === 0) return { key: "dueToday", days: 0 };
  if (days > 0) return { key: "dueIn", days };
  return { key: "overdueBy", days: -days };
}

/** The report the offering party should work on next: the oldest period still being written. */
export function nextToWrite(reports: readonly Report[]): Report | undefined {
  return [...reports].filter((r) => DRAFTING.has(r.status)).sort((a, b) => a.period_start.localeCompare(b.period_start))[0];
}
