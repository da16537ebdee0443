import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";

// A list's filters live in the page's URL (shareable, kept by the back button) and become the API query.
// A spec names each filter and its shape; empty values never reach the URL or the API.
export type FilterKind = "single" | "multi" | "boolean";
export type FilterSpec = Record<string, FilterKind>;
export type FilterValues = Record<string, string | string[] | undefined>;
export type ApiQuery = Record<string, string | string[] | boolean>;

function clean(value: string | string[] | undefined | null): string | string[] | undefined {
  if (Array.isArray(value)) {
    const items = value.map((v) => v.trim()).filter(Boolean);
    return items.length ? items : undefined;
  }
  const text = value?.trim();
  return text ? text : undefined;
}

/** The filter values held in `params`, for the keys of `spec` only. */
export function readFilters(params: URLSearchParams, spec: FilterSpec): FilterValues {
  const values: FilterValues = {};
  for (const [key, kind] of Object.entries(spec)) {
    const value = clean(kind === "multi" ? params.getAll(key) : params.get(key));
    if (value === undefined) continue;
    if (kind === "boolean" && value !== "true" && value !== "false") continue;
    values[key] = value;
  }
  return values;
}

/** Search params for `values` (in the spec's order; empty values left out). */
export function writeFilters(values: FilterValues, spec: FilterSpec): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, kind] of Object.entries(spec)) {
    const value = clean(values[key]);
    if (value === undefined) continue;
    if (kind === "multi") for (const item of [value].flat()) params.append(key, item);
    else params.set(key, [value].flat()[0] ?? "");
  }
  return params;
}

/** `values` with `key` set to `value` (removed when empty). */
export function withFilter(values: FilterValues, key: string, value: string | string[] | null | undefined): FilterValues {
  const next: FilterValues = { ...values };
  const cleaned = clean(value);
  if (cleaned === undefined) delete next[key];
  else next[key] = cleaned;
  return next;
}

/** The API query for `values`: lists stay lists (sent as repeated parameters), booleans become booleans. */
export function toApiQuery(values: FilterValues, spec: FilterSpec): ApiQuery {
  const query: ApiQuery = {};
  for (const [key, kind] of Object.entries(spec)) {
    const value = clean(values[key]);
    if (value === undefined) continue;
    if (kind === "multi") query[key] = [value].flat();
    else if (kind === "boolean") query[key] = value === "true";
    else query[key] = [value].flat()[0] ?? "";
  }
  return query;
}

/** How many filters are set, not counting `ignored` ones (the search box and the sort order). */
export function countActive(values: FilterValues, ignored: readonly string[] = ["q", "sort"]): number {
  return Object.entries(values).filter(([key, value]) => !ignored.includes(key) && clean(value) !== undefined).length;
}

/** The filters of `spec` held in the page's URL, and a setter that replaces them (no new history entry). */
export function useUrlFilters(spec: FilterSpec): [FilterValues, (values: FilterValues) => void] {
  const [params, setParams] = useSearchParams();
  const values = useMemo(() => readFilters(params, spec), [params, spec]);
  const update = useCallback((next: FilterValues) => setParams(writeFilters(next, spec), { replace: true }), [setParams, spec]);
  return [values, update];
}
