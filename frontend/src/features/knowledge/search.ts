// The knowledge search lives in the page's address: a copied link reopens the same search. This module maps
// the query string to filters and back, and the filters to the API query. Values a hand-edited or old link
// may carry that the API would refuse (an unknown kind, a malformed year) are dropped, not sent.
import { ITEM_LANGUAGES, type ItemLanguage, KINDS, type Kind, type SearchParams } from "./api";

export type SearchFilters = {
  q?: string;
  kind?: Kind;
  area?: string;
  region?: string;
  country?: string;
  contributor_type?: string;
  language?: ItemLanguage;
  year?: number;
};

export type FilterName = Exclude<keyof SearchFilters, "q">;

/** The filters in the order they are shown and written to the address. */
export const FILTER_NAMES: readonly FilterName[] = ["kind", "area", "region", "country", "contributor_type", "language", "year"];

/** A portal view: the whole knowledge base, or one kind of item under its own address. */
export type KnowledgeView = { path: string; kind?: Kind; titleKey: string; introKey: string };

export const VIEWS: readonly KnowledgeView[] = [
  { path: "/knowledge", titleKey: "knowledge.views.all.title", introKey: "knowledge.views.all.intro" },
  { path: "/projects", kind: "project", titleKey: "knowledge.views.project.title", introKey: "knowledge.views.project.intro" },
  { path: "/good-practices", kind: "good_practice", titleKey: "knowledge.views.good_practice.title", introKey: "knowledge.views.good_practice.intro" },
  { path: "/tools", kind: "tool", titleKey: "knowledge.views.tool.title", introKey: "knowledge.views.tool.intro" },
  { path: "/news", kind: "news", titleKey: "knowledge.views.news.title", introKey: "knowledge.views.news.intro" },
  { path: "/events", kind: "event", titleKey: "knowledge.views.event.title", introKey: "knowledge.views.event.intro" },
];

/** The address listing one kind of item. */
export function kindPath(kind: Kind): string {
  return VIEWS.find((view) => view.kind === kind)?.path ?? "/knowledge";
}

const MAX_Q = 200;
// Area and vocabulary codes are reference data (the Secretariat adds some): only their length is checked.
const MAX_CODE = 64;

function clean(value: string | null): string | undefined {
  const text = value?.trim();
  return text ? text : undefined;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined {
  return value !== undefined && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** The search held in `params`. With `fixedKind` (a kind's own view), the address's kind is ignored. */
export function filtersFromParams(params: URLSearchParams, fixedKind?: Kind): SearchFilters {
  const filters: SearchFilters = {};
  const q = clean(params.get("q"));
  if (q) filters.q = q.slice(0, MAX_Q);
  const kind = fixedKind ?? oneOf(clean(params.get("kind")), KINDS);
  if (kind) filters.kind = kind;
  const area = clean(params.get("area"));
  if (area && area.length <= MAX_CODE) filters.area = area;
  const region = clean(params.get("region"));
  if (region && /^\d{3}$/.test(region)) filters.region = region;
  const country = clean(params.get("country"));
  if (country && /^[A-Za-z]{3}$/.test(country)) filters.country = country.toUpperCase();
  const contributor = clean(params.get("contributor_type"));
  if (contributor && contributor.length <= MAX_CODE) filters.contributor_type = contributor;
  const language = oneOf(clean(params.get("language")), ITEM_LANGUAGES);
  if (language) filters.language = language;
  const year = clean(params.get("year"));
  if (year && /^\d{4}$/.test(year) && Number(year) >= 1950 && Number(year) <= 2100) filters.year = Number(year);
  return filters;
}

/** The query string for `filters` (q first, then the filters in order; a fixed kind is left out). */
export function paramsFromFilters(filters: SearchFilters, fixedKind?: Kind): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q?.trim()) params.set("q", filters.q.trim());
  for (const name of FILTER_NAMES) {
    if (name === "kind" && fixedKind) continue;
    const value = filters[name];
    if (value !== undefined && value !== "") params.set(name, String(value));
  }
  return params;
}

/** `filters` with one filter set (or removed when `value` is empty). */
export function withFilter(filters: SearchFilters, name: FilterName | "q", value: string | number | null | undefined): SearchFilters {
  const next: SearchFilters = { ...filters };
  if (value === null || value === undefined || String(value).trim() === "") {
    delete next[name];
    return next;
  }
  if (name === "year") next.year = Number(value);
  else (next as Record<string, string>)[name] = String(value).trim();
  return next;
}

/** How many filters are set, not counting the search words and a view's fixed kind. */
export function activeFilterCount(filters: SearchFilters, fixedKind?: Kind): number {
  return FILTER_NAMES.filter((name) => filters[name] !== undefined && !(name === "kind" && fixedKind)).length;
}

/** The API query for a search: published items (the default), with facets on the first page. */
export function apiQuery(filters: SearchFilters, options: { facets?: boolean; limit?: number; cursor?: string } = {}): SearchParams {
  const query: SearchParams = {};
  if (filters.q) query.q = filters.q;
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value !== undefined) (query as Record<string, unknown>)[name] = value;
  }
  if (options.facets) query.facets = true;
  if (options.limit) query.limit = options.limit;
  if (options.cursor) query.cursor = options.cursor;
  return query;
}
