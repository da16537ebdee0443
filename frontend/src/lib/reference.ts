// Reference data (countries, areas, vocabularies), fetched once and cached for the session.
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "@/lib/api";
import { localised } from "@/lib/format";

export type Country = Schemas["Country"];
export type Area = Schemas["Area"];
export type Term = Schemas["Term"];

const LONG = 10 * 60_000;

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
    .map((c) => ({ value: c.iso3, label: localised(c, i18n.language) }))
    .sort((a, b) => a.label.localeCompare(b.label, i18n.language));
}

/** A function naming a country by ISO3 in the UI language. */
export function useCountryName(): (iso3: string | null | undefined) => string {
  const { i18n } = useTranslation();
  const { data } = useCountries();
  const byCode = new Map((data ?? []).map((c) => [c.iso3, c]));
  return (iso3) => (iso3 ? localised(byCode.get(iso3), i18n.language) || iso3 : "");
}

/** A function labelling a vocabulary term or area in the UI language. */
export function useTermLabel(vocabulary: string): (code: string) => string {
  const { i18n } = useTranslation();
  const { data } = useTerms(vocabulary);
  const byCode = new Map((data ?? []).map((t) => [t.code, t]));
  return (code) => localised(byCode.get(code), i18n.language, "label") || code;
}

export function useAreaLabel(): (code: string) => string {
  const { i18n } = useTranslation();
  const { data } = useAreas(true);
  const byCode = new Map((data ?? []).map((a) => [a.code, a]));
  return (code) => localised(byCode.get(code), i18n.language, "label") || code;
}
