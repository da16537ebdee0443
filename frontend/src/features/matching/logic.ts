// Pure rules of the matching screens: what makes a proposal need a justification (mirroring the server's
// check, as a hint: the server decides), the proposal payload, the coverage heatmap's scale and the gaps filter.
import type { Schemas } from "@/lib/api";
import type { Contributions } from "@/components/matching/criteria";

export type MatchCreate = Schemas["MatchCreate"];
export type Gap = Schemas["Gap"];
export type CoverageCell = Schemas["CoverageCell"];

/** Why a pair needs a written justification (the codes of api/matching/service.py's soft rules). */
export type SoftReason = "not_top" | "duplication" | "area_parent" | "modality" | "language";

/**
 * The reasons a proposed pair needs a justification: not the component's top suggestion (when its rank
 * among the offers for that component is known), or a broken soft rule: the country already receives
 * support in the area, the offer covers the area only at the parent level, not every wanted modality, no
 * shared language. `weights` are the active criteria's.
 */
export function justificationReasons(
  pair: { rank?: number | null; contributions: Contributions },
  weights: Record<string, number> | undefined,
  options: { rankKnown: boolean } = { rankKnown: true },
): SoftReason[] {
  const reasons: SoftReason[] = [];
  const c = pair.contributions;
  const weight = (name: string) => weights?.[name] ?? 0;
  if (options.rankKnown && pair.rank !== 1) reasons.push("not_top");
  if ((c.duplication ?? 0) < 0) reasons.push("duplication");
  if ((c.area_exact ?? 0) === 0 && (c.area_parent ?? 0) > 0) reasons.push("area_parent");
  if (weight("modality") && (c.modality ?? 0) < weight("modality")) reasons.push("modality");
  if (weight("language") && (c.language ?? 0) === 0) reasons.push("language");
  return reasons;
}

/** One (request component, offer) pair chosen for a proposal, with what the screens show about it. */
export type ProposalPair = {
  componentId: string;
  offerId: string;
  rank?: number | null;
  rankKnown?: boolean;
  score?: number;
  contributions?: Contributions;
  componentLabel: string;
  offerLabel: string;
};

export function pairKey(pair: { componentId: string; offerId: string }): string {
  return `${pair.componentId}:${pair.offerId}`;
}

/** Add the pair to the selection, or take it out if it is there. */
export function togglePair(selection: ProposalPair[], pair: ProposalPair): ProposalPair[] {
  const key = pairKey(pair);
  return selection.some((p) => pairKey(p) === key) ? selection.filter((p) => pairKey(p) !== key) : [...selection, pair];
}

/** The reasons (deduplicated, in a stable order) the selection as a whole needs a justification. */
export function selectionReasons(pairs: ProposalPair[], weights: Record<string, number> | undefined): SoftReason[] {
  const found = new Set<SoftReason>();
  for (const pair of pairs) {
    if (!pair.contributions) continue;
    for (const reason of justificationReasons(
      { rank: pair.rank, contributions: pair.contributions },
      weights,
      { rankKnown: pair.rankKnown ?? true },
    ))
      found.add(reason);
  }
  const order: SoftReason[] = ["not_top", "duplication", "area_parent", "modality", "language"];
  return order.filter((r) => found.has(r));
}

/**
 * The body of `POST /api/v1/matches`: each pair once, in the order chosen; the justification and summary
 * trimmed, an empty justification left out (so the server's own check speaks), the allocation run cited.
 */
export function buildProposal(
  pairs: ProposalPair[],
  options: { justification?: string; publicSummary?: string; allocationRunId?: string | null },
): MatchCreate {
  const seen = new Set<string>();
  const items: MatchCreate["items"] = [];
  for (const pair of pairs) {
    const key = pairKey(pair);
    if (seen.has(key)) continue;
    seen.add(key);
    items.push({ request_component_id: pair.componentId, offer_id: pair.offerId });
  }
  const body: MatchCreate = { items, public_summary: options.publicSummary?.trim() ?? "" };
  const justification = options.justification?.trim();
  if (justification) body.justification = justification;
  if (options.allocationRunId) body.allocation_run_id = options.allocationRunId;
  return body;
}

// Coverage heatmap

export const HEAT_LEVELS = 5;

/**
 * The shade of a cell: 0 for nothing, else 1..levels on a linear scale of the largest cell (so the largest
 * is always the darkest and any non-zero cell is visible).
 */
export function heatLevel(value: number, max: number, levels = HEAT_LEVELS): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.min(levels, Math.max(1, Math.ceil((value / max) * levels)));
}

// Backgrounds and text colours per level, every pair at least 4.5:1.
const HEAT_BACKGROUNDS = ["transparent", "var(--mantine-color-blue-1)", "var(--mantine-color-blue-2)", "var(--mantine-color-blue-3)", "var(--mantine-color-blue-8)", "var(--mantine-color-blue-9)"];

export function heatStyle(level: number): { background: string; color: string } {
  const index = Math.max(0, Math.min(HEAT_BACKGROUNDS.length - 1, level));
  return { background: HEAT_BACKGROUNDS[index] ?? "transparent", color: index >= 4 ? "white" : "var(--mantine-color-black)" };
}

export type CoverageMatrix = {
  countries: string[];
  areas: string[];
  cells: Map<string, CoverageCell>;
  max: number;
};

export function cellKey(country: string, area: string): string {
  return `${country}|${area}`;
}

export function cellTotal(cell: CoverageCell | undefined): number {
  return cell ? cell.matches + cell.existing_support : 0;
}

/**
 * The country x area matrix of the cells, optionally narrowed to one top-level area and/or to overlaps only:
 * rows are countries (in `countryOrder`, e.g. by name), columns areas (in `areaOrder`, e.g. the taxonomy's).
 */
export function coverageMatrix(
  cells: CoverageCell[],
  options: {
    countryOrder?: (a: string, b: string) => number;
    areaOrder?: (a: string, b: string) => number;
    area?: string | null;
    overlapsOnly?: boolean;
  } = {},
): CoverageMatrix {
  const kept = cells.filter(
    (c) =>
      (!options.area || c.area_code === options.area || c.area_code.split(".")[0] === options.area) &&
      (!options.overlapsOnly || c.overlap),
  );
  const map = new Map<string, CoverageCell>();
  for (const cell of kept) map.set(cellKey(cell.country_iso3, cell.area_code), cell);
  const countries = [...new Set(kept.map((c) => c.country_iso3))].sort(options.countryOrder ?? ((a, b) => a.localeCompare(b)));
  const areas = [...new Set(kept.map((c) => c.area_code))].sort(options.areaOrder ?? ((a, b) => a.localeCompare(b)));
  const max = Math.max(0, ...kept.map(cellTotal));
  return { countries, areas, cells: map, max };
}

// Gaps

export type GapFilters = {
  country?: string | null;
  area?: string | null;
  region?: string | null;
  bureau?: string | null;
  reason?: string | null;
};

/** The unmet components matching every filter set (an area filter also keeps its sub-areas). */
export function filterGaps(items: Gap[], filters: GapFilters): Gap[] {
  return items.filter((gap) => {
    const area = gap.component.area_code;
    if (filters.country && gap.component.country_iso3 !== filters.country) return false;
    if (filters.area && area !== filters.area && area.split(".")[0] !== filters.area) return false;
    if (filters.region && gap.region_code !== filters.region) return false;
    if (filters.bureau && gap.bureau_code !== filters.bureau) return false;
    return !(filters.reason && gap.reason !== filters.reason);
  });
}

/** Days as "3 days", "5 months", "2 years": the largest unit that fits, for tables of waiting times. */
export function waitUnit(days: number): { unit: "days" | "months" | "years"; count: number } {
  if (days >= 730) return { unit: "years", count: Math.floor(days / 365) };
  if (days >= 60) return { unit: "months", count: Math.floor(days / 30) };
  return { unit: "days", count: days };
}

/** The waiting-time contribution of a component that waited `days` (the engine's linear curve). */
export function waitingContribution(days: number, weight: number, fullDays: number): number {
  if (fullDays <= 0) return weight;
  return (weight * Math.min(days, fullDays)) / fullDays;
}
