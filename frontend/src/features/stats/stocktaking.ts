// Stocktaking figures for charts and tables: which series each chart shows, how values are written, group labels.
import type { Schemas } from "@/lib/api";

export type StocktakingRow = Schemas["StocktakingRow"];
export type GroupBy = "period" | "region" | "bureau" | "area";
export type Period = "year" | "quarter";
export const GROUP_BYS: readonly GroupBy[] = ["period", "region", "bureau", "area"];
export const PERIODS: readonly Period[] = ["year", "quarter"];

export type Unit = "count" | "days" | "rate";
export type NumericKey = Exclude<keyof StocktakingRow, "group">;
export type Series = { key: NumericKey; color: string };
export type ChartSpec = { id: string; unit: Unit; series: Series[] };

// Okabe–Ito colours: told apart with the common colour-vision deficiencies (and every chart has a table too).
const C = { blue: "#0072B2", orange: "#E69F00", green: "#009E73", vermillion: "#D55E00", purple: "#CC79A7", sky: "#56B4E9" };

export const CHARTS: readonly ChartSpec[] = [
  {
    id: "requests",
    unit: "count",
    series: [
      { key: "requests_received", color: C.blue },
      { key: "requests_validated", color: C.orange },
      { key: "requests_matched", color: C.green },
    ],
  },
  {
    id: "offers",
    unit: "count",
    series: [
      { key: "offers_received", color: C.blue },
      { key: "offers_validated", color: C.orange },
      { key: "offers_matched", color: C.green },
    ],
  },
  {
    id: "durations",
    unit: "days",
    series: [
      { key: "median_days_to_validation", color: C.blue },
      { key: "median_days_to_proposal", color: C.orange },
      { key: "median_days_to_consent", color: C.green },
      { key: "median_days_to_agreement", color: C.vermillion },
      { key: "median_consent_turnaround_days", color: C.purple },
    ],
  },
  {
    id: "rates",
    unit: "rate",
    series: [
      { key: "match_rate", color: C.blue },
      { key: "fulfilment_rate", color: C.green },
      { key: "reports_on_time_rate", color: C.orange },
    ],
  },
  {
    id: "reports",
    unit: "count",
    series: [
      { key: "reports_due", color: C.sky },
      { key: "reports_on_time", color: C.green },
    ],
  },
  { id: "unmet", unit: "count", series: [{ key: "unmet_needs", color: C.vermillion }] },
];

/** Chart points: one per group, the rates as percentages, missing values left out (no bar, not a zero). */
export function chartData(rows: readonly StocktakingRow[], spec: ChartSpec, labelOf: (group: string) => string): Record<string, string | number>[] {
  return rows.map((row) => {
    const point: Record<string, string | number> = { group: labelOf(row.group) };
    for (const { key } of spec.series) {
      const value = row[key];
      if (value === null || value === undefined) continue;
      point[key] = spec.unit === "rate" ? Math.round(value * 1000) / 10 : value;
    }
    return point;
  });
}

/** A value for a table cell: counts as integers, durations with one decimal, rates as percentages; "–" if none. */
export function formatValue(value: number | null | undefined, unit: Unit, language: string): string {
  if (value === null || value === undefined) return "–";
  if (unit === "rate") return new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 1 }).format(value);
  if (unit === "days") return new Intl.NumberFormat(language, { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(value);
  return new Intl.NumberFormat(language).format(value);
}

/** "2026-Q3" -> { year: "2026", quarter: "3" }; a year or a code is not a quarter. */
export function parseQuarter(group: string): { year: string; quarter: string } | null {
  const match = /^(\d{4})-Q([1-4])$/.exec(group);
  return match ? { year: match[1] ?? "", quarter: match[2] ?? "" } : null;
}

/** Periods in time order (the API sorts groups as text, which is also time order; "unknown" goes last). */
export function sortRows(rows: readonly StocktakingRow[], groupBy: GroupBy, labelOf: (group: string) => string, language: string): StocktakingRow[] {
  const unknownLast = (a: StocktakingRow, b: StocktakingRow) => Number(a.group === "unknown") - Number(b.group === "unknown");
  if (groupBy === "period") return [...rows].sort((a, b) => unknownLast(a, b) || a.group.localeCompare(b.group));
  return [...rows].sort((a, b) => unknownLast(a, b) || labelOf(a.group).localeCompare(labelOf(b.group), language));
}

/** The rows of the chosen groups (all when none is chosen). */
export function selectGroups(rows: readonly StocktakingRow[], groups: readonly string[]): StocktakingRow[] {
  return groups.length === 0 ? [...rows] : rows.filter((row) => groups.includes(row.group));
}

/** The download address of the figures as CSV or XLSX (same filters as the screen). */
export function exportUrl(groupBy: GroupBy, period: Period, format: "csv" | "xlsx"): string {
  const params = new URLSearchParams({ group_by: groupBy, period, format });
  return `/api/v1/stats/stocktaking/export?${params.toString()}`;
}
