// Reference data (countries, areas, vocabularies), fetched once and cached for the session.
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "@/lib/api";
import { localised } from "@/lib/format";

export type Country = Schemas["Country"];
export type Area = Schemas["Area"];
export type Term = Schemas["Term"];

const LONG = 10 * 60_000;

/**
 * The UI language as a bare code ("fr"): the detector may report the browser's regional tag ("fr-FR"), for
 * which `localised` would fall back to English.
 */
export function uiLanguage(i18n: { resolvedLanguage?: string; language?: string }): string {
  return (i18n.resolvedLanguage ?? i18n.language ?? "en").slice(0, 2);
}

export function useCountries() {
  return useQuery({
    queryKey: ["reference", "countries"],
    queryFn: () => unwrap(api.GET("/api/v1/reference/countries")),
    staleTime: LONG,
  });
}

export function useAreas(includeRetired = false) {
  return useQuery({
    queryKey: ["reference", "areas", includeRetired],
    queryFn: () => unwrap(api.GET("/api/v1/reference/areas", { params: { query: { include_retired: includeRetired } } })),
    staleTime: LONG,
  });
}

export function useTerms(vocabulary?: string) {
  return useQuery({
    queryKey: ["reference", "terms", vocabulary ?? "all"],
    queryFn: () => unwrap(api.GET("/api/v1/reference/vocabularies", { params: { query: { vocabulary } } })),
    staleTime: LONG,
  });
}

export function useBureaux() {
  return useQuery({
    queryKey: ["reference", "bureaux"],
    queryFn: () => unwrap(api.GET("/api/v1/reference/bureaux")),
    staleTime: LONG,
  });
}

export function useRegions() {
  return useQuery({
    queryKey: ["reference", "regions"],
    queryFn: () => unwrap(api.GET("/api/v1/reference/regions")),
    staleTime: LONG,
  });
}

/** Select options for countries, labelled and sorted in the UI language. */
export function useCountryOptions(): { value: string; label: string }[] {
  const { i18n } = useTranslation();
  const { data } = useCountries();
  return (data ?? [])
    .map((c) => ({ value: c.iso3, label: localised(c, uiLanguage(i18n)) }))
    .sort((a, b) => a.label.localeCompare(b.label, uiLanguage(i18n)));
}

/** A function naming a country by ISO3 in the UI language. */
export function useCountryName(): (iso3: string | null | undefined) => string {
  const { i18n } = useTranslation();
  const { data } = useCountries();
  const byCode = new Map((data ?? []).map((c) => [c.iso3, c]));
  return (iso3) => (iso3 ? localised(byCode.get(iso3), uiLanguage(i18n)) || iso3 : "");
}

/** A function labelling a vocabulary term or area in the UI language. */
export function useTermLabel(vocabulary: string): (code: string) => string {
  const { i18n } = useTranslation();
  const { data } = useTerms();
  const byCode = new Map((data ?? []).filter((t) => t.vocabulary === vocabulary).map((t) => [t.code, t]));
  return (code) => localised(byCode.get(code), uiLanguage(i18n), "label") || code;
}

export function useAreaLabel(): (code: string) => string {
  const { i18n } = useTranslation();
  const { data } = useAreas(true);
  const byCode = new Map((data ?? []).map((a) => [a.code, a]));
  return (code) => localised(byCode.get(code), uiLanguage(i18n), "label") || code;
}

export type Option = { value: string; label: string };
export type OptionGroup = { group: string; items: Option[] };

/** Select options for one vocabulary (active terms, in the vocabulary's order), labelled in the UI language. */
export function useTermOptions(vocabulary: string): Option[] {
  const { i18n } = useTranslation();
  // All vocabularies in one cached query: a form or filter panel uses several.
  const { data } = useTerms();
  return (data ?? [])
    .filter((term) => term.vocabulary === vocabulary && !term.is_retired)
    .sort((a, b) => a.sort_order - b.sort_order)
    .map((term) => ({ value: term.code, label: localised(term, uiLanguage(i18n), "label") }));
}

/**
 * The area taxonomy as grouped options: one group per top-level area, whose first option is the whole area
 * (`wholeLabel` names it) followed by its sub-areas. Retired areas are left out unless still `keep`-ed
 * (a record may hold one).
 */
export function groupAreaOptions(
  areas: Area[],
  language: string,
  wholeLabel: (label: string) => string,
  keep: readonly string[] = [],
): OptionGroup[] {
  const usable = areas.filter((a) => !a.is_retired || keep.includes(a.code));
  const bySort = (a: Area, b: Area) => a.sort_order - b.sort_order || a.code.localeCompare(b.code);
  const parents = usable.filter((a) => !a.parent_code).sort(bySort);
  return parents.map((parent) => {
    const label = localised(parent, language, "label");
    return {
      group: label,
      items: [
        { value: parent.code, label: wholeLabel(label) },
        ...usable
          .filter((a) => a.parent_code === parent.code)
          .sort(bySort)
          .map((a) => ({ value: a.code, label: localised(a, language, "label") })),
      ],
    };
  });
}

export function useRegionOptions(): OptionGroup[] {
  const { t, i18n } = useTranslation();
  const { data } = useRegions();
  const levels = ["region", "subregion", "intermediate"];
  return levels
    .map((level) => ({
      group: t(`reference.regionLevels.${level}`),
      items: (data ?? [])
        .filter((r) => r.level === level)
        .map((r) => ({ value: r.code, label: localised(r, uiLanguage(i18n)) }))
        .sort((a, b) => a.label.localeCompare(b.label, uiLanguage(i18n))),
    }))
    .filter((group) => group.items.length > 0);
}

export function useRegionName(): (code: string) => string {
  const { i18n } = useTranslation();
  const { data } = useRegions();
  const byCode = new Map((data ?? []).map((r) => [r.code, r]));
  return (code) => localised(byCode.get(code), uiLanguage(i18n)) || code;
}

export function useBureauOptions(): Option[] {
  const { i18n } = useTranslation();
  const { data } = useBureaux();
  return (data ?? []).map((b) => ({ value: b.code, label: localised(b, uiLanguage(i18n)) }));
}

export function useBureauName(): (code: string) => string {
  const { i18n } = useTranslation();
  const { data } = useBureaux();
  const byCode = new Map((data ?? []).map((b) => [b.code, b]));
  return (code) => localised(byCode.get(code), uiLanguage(i18n)) || code;
}

/** A function naming an area with its parent ("Procedures › Country of origin information"). */
export function useAreaPath(): (code: string) => string {
  const { i18n } = useTranslation();
  const { data } = useAreas(true);
  const byCode = new Map((data ?? []).map((a) => [a.code, a]));
  return (code) => {
    const area = byCode.get(code);
    if (!area) return code;
    const label = localised(area, uiLanguage(i18n), "label");
    const parent = area.parent_code ? byCode.get(area.parent_code) : undefined;
    return parent ? `${localised(parent, uiLanguage(i18n), "label")} › ${label}` : label;
  };
}
