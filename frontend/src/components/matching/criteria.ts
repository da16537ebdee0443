// The matching engine's vocabulary on the client: the hard constraints, the scored criteria and the named
// contributions a score adds up from (api/matching/engine.py), with the colours the bars give them.

export const HARD_CONSTRAINTS = [
  "technical_exchange",
  "in_scope",
  "area_related",
  "serves_country",
  "shared_language",
  "capacity_left",
  "no_exclusion",
  "timeframe_overlap",
] as const;

export const SCORED_CRITERIA = [
  "area_exact",
  "area_parent",
  "modality",
  "support_type",
  "language",
  "pledge_linked",
  "establishing_system",
  "urgency",
  "waiting",
  "regional",
] as const;

/** Every contribution, in the order the engine adds them up. */
export const CONTRIBUTIONS = [...SCORED_CRITERIA, "cross_regional", "duplication"] as const;

export type Contributions = Record<string, number>;

// Distinct hues; the bars always come with names and numbers, so colour is never the only signal.
export const CONTRIBUTION_COLORS: Record<string, string> = {
  area_exact: "var(--mantine-color-blue-7)",
  area_parent: "var(--mantine-color-blue-4)",
  modality: "var(--mantine-color-teal-6)",
  support_type: "var(--mantine-color-cyan-5)",
  language: "var(--mantine-color-lime-6)",
  pledge_linked: "var(--mantine-color-grape-6)",
  establishing_system: "var(--mantine-color-violet-5)",
  urgency: "var(--mantine-color-orange-6)",
  waiting: "var(--mantine-color-yellow-6)",
  regional: "var(--mantine-color-indigo-4)",
  cross_regional: "var(--mantine-color-pink-5)",
  duplication: "var(--mantine-color-red-7)",
};

export function contributionColor(name: string): string {
  return CONTRIBUTION_COLORS[name] ?? "var(--mantine-color-gray-5)";
}

/** The contributions in engine order, unknown names last (alphabetically), zeros left out unless `withZeros`. */
export function orderedContributions(contributions: Contributions, withZeros = false): [string, number][] {
  const known = CONTRIBUTIONS as readonly string[];
  const names = Object.keys(contributions).sort((a, b) => {
    const ia = known.indexOf(a);
    const ib = known.indexOf(b);
    if (ia === -1 && ib === -1) return a.localeCompare(b);
    if (ia === -1) return 1;
    if (ib === -1) return -1;
    return ia - ib;
  });
  return names.map((name) => [name, contributions[name] ?? 0] as [string, number]).filter(([, value]) => withZeros || value !== 0);
}

export type Segment = { name: string; value: number; start: number; width: number };

/**
 * The stacked bar of one score, on a scale shared by the candidates shown together (`scale` = the largest
 * sum of positive contributions among them). Positive contributions stack from the left; the negative ones
 * (the duplication penalty) are drawn over the right end of the positive part, so the solid part ends at
 * the net score. Positions and widths are percentages of the bar.
 */
export function barSegments(contributions: Contributions, scale: number): { positive: Segment[]; negative: Segment[] } {
  const safe = scale > 0 ? scale : 1;
  const positive: Segment[] = [];
  let cursor = 0;
  for (const [name, value] of orderedContributions(contributions)) {
    if (value <= 0) continue;
    const width = (value / safe) * 100;
    positive.push({ name, value, start: cursor, width });
    cursor += width;
  }
  const negative: Segment[] = [];
  let end = cursor;
  for (const [name, value] of orderedContributions(contributions)) {
    if (value >= 0) continue;
    const width = Math.min((-value / safe) * 100, end);
    end -= width;
    negative.push({ name, value, start: end, width });
  }
  return { positive, negative };
}

/** The sum of the positive contributions: what a bar's full length stands for. */
export function positiveTotal(contributions: Contributions): number {
  return Object.values(contributions).reduce((sum, value) => (value > 0 ? sum + value : sum), 0);
}

/** The shared scale of a set of scores (at least 1, so an all-zero set still draws). */
export function sharedScale(all: Contributions[]): number {
  return Math.max(1, ...all.map(positiveTotal));
}

/** A score as shown next to its bar: at most one decimal, trailing zeros dropped. */
export function formatScore(value: number, language: string): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: 1, minimumFractionDigits: 0 }).format(value);
}
