// The published matches list's filters. The API filters matches by stage and requesting country; the region,
// area and text filters are applied here, on the rows the API returned (see `clientFiltersActive`).
import type { paths } from "@/client/schema";
import type { FilterField } from "@/components/ListFilters";
import type { Schemas } from "@/lib/api";
import type { FilterSpec, FilterValues } from "@/lib/listFilters";

export type MatchRow = Schemas["MatchListItem"];
export type MatchQuery = NonNullable<paths["/api/v1/matches"]["get"]["parameters"]["query"]>;
export type PublicStage = "planning" | "in_progress" | "fulfilled";
export const PUBLIC_STAGES: readonly PublicStage[] = ["planning", "in_progress", "fulfilled"];
export const STAGE_COLORS: Record<PublicStage, string> = { planning: "blue", in_progress: "orange", fulfilled: "green" };

export const PUBLIC_MATCH_FILTERS: FilterSpec = { q: "single", stage: "single", country: "single", region: "single", area: "single" };
export const PUBLIC_MATCH_FILTER_FIELDS: FilterField[] = ["stage", "country", "region", "area"];

const one = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value) || undefined;

export function isPublicStage(value: string | undefined): value is PublicStage {
  return PUBLIC_STAGES.includes(value as PublicStage);
}

/** The API query: stage and country are filtered by the server. */
export function serverQuery(values: FilterValues): MatchQuery {
  const stage = one(values.stage);
  const country = one(values.country);
  const query: MatchQuery = {};
  if (isPublicStage(stage)) query.status = [stage];
  if (country && /^[A-Za-z]{3}$/.test(country)) query.country = country.toUpperCase();
  return query;
}

/** Whether some filter is applied in the browser (then more rows are read per page, and the total is unknown). */
export function clientFiltersActive(values: FilterValues): boolean {
  return Boolean(one(values.q) || one(values.region) || one(values.area));
}

/** Region codes (region, sub-region, intermediate region) of each country, by ISO3. */
export function regionIndex(
  countries: readonly { iso3: string; region_code?: string | null; subregion_code?: string | null; intermediate_region_code?: string | null }[],
): Map<string, string[]> {
  return new Map(
    countries.map((c) => [c.iso3, [c.region_code, c.subregion_code, c.intermediate_region_code].filter((code): code is string => Boolean(code))]),
  );
}

function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
}

/** Whether a row passes the filters the server does not apply: region of a requesting State, area, text. */
export function passesClientFilters(row: MatchRow, values: FilterValues, regions: ReadonlyMap<string, readonly string[]>): boolean {
  const region = one(values.region);
  if (region && !(row.requesting_countries ?? []).some((iso3) => regions.get(iso3)?.includes(region))) return false;
  const area = one(values.area);
  if (area && !row.area_codes.some((code) => code === area || code.startsWith(`${area}.`))) return false;
  const q = one(values.q)?.trim();
  if (q) {
    const haystack = fold([row.reference, ...(row.party_names ?? [])].join(" "));
    if (!fold(q).split(/\s+/).every((word) => haystack.includes(word))) return false;
  }
  return true;
}
