// The matching endpoints (/api/v1/matching/*) as queries and mutations.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "@/lib/api";
import type { MatchCreate } from "./logic";

export type Criteria = Schemas["Criteria"];
export type CriteriaIn = Schemas["CriteriaIn"];
export type RequestSuggestions = Schemas["RequestSuggestions"];
export type OfferSuggestions = Schemas["OfferSuggestions"];
export type AllocationRun = Schemas["AllocationRun"];
export type AllocationReport = Schemas["AllocationReport"];
export type AllocationIn = Schemas["AllocationIn"];
export type OfferRef = Schemas["OfferRef"];
export type ComponentRef = Schemas["ComponentRef"];

export type SuggestionFilters = { region?: string | null; area?: string | null; language?: string | null; k?: number };

function clean(filters: SuggestionFilters) {
  return {
    k: filters.k ?? 10,
    region: filters.region || undefined,
    area: filters.area || undefined,
    language: filters.language || undefined,
  };
}

export function useActiveCriteria(enabled = true) {
  return useQuery({
    queryKey: ["matching", "criteria", "active"],
    queryFn: () => unwrap(api.GET("/api/v1/matching/criteria")),
    staleTime: 60_000,
    enabled,
  });
}

export function useCriteriaVersions() {
  return useQuery({
    queryKey: ["matching", "criteria", "versions"],
    queryFn: () => unwrap(api.GET("/api/v1/matching/criteria/versions")),
  });
}

export function useSaveCriteria() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CriteriaIn) => unwrap(api.POST("/api/v1/matching/criteria", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["matching"] }),
  });
}

export function useRequestSuggestions(requestId: string | null, filters: SuggestionFilters) {
  return useQuery({
    queryKey: ["matching", "suggestions", "request", requestId, clean(filters)],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/matching/requests/{request_id}/suggestions", {
          params: { path: { request_id: requestId ?? "" }, query: clean(filters) },
        }),
      ),
    enabled: Boolean(requestId),
    placeholderData: keepPreviousData,
  });
}

export function useOfferSuggestions(offerId: string | null, filters: SuggestionFilters) {
  return useQuery({
    queryKey: ["matching", "suggestions", "offer", offerId, clean(filters)],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/matching/offers/{offer_id}/suggestions", {
          params: { path: { offer_id: offerId ?? "" }, query: clean(filters) },
        }),
      ),
    enabled: Boolean(offerId),
    placeholderData: keepPreviousData,
  });
}

export function useAllocationRuns() {
  return useQuery({
    queryKey: ["matching", "allocations"],
    queryFn: () => unwrap(api.GET("/api/v1/matching/allocations")),
  });
}

export function useAllocationRun(runId: string) {
  return useQuery({
    queryKey: ["matching", "allocations", runId],
    queryFn: () => unwrap(api.GET("/api/v1/matching/allocations/{run_id}", { params: { path: { run_id: runId } } })),
  });
}

export function useRunAllocation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: AllocationIn) => unwrap(api.POST("/api/v1/matching/allocations", { body })),
    onSuccess: (report) => {
      client.setQueryData(["matching", "allocations", report.id], report);
      void client.invalidateQueries({ queryKey: ["matching", "allocations"], exact: true });
    },
  });
}

export function useGaps() {
  return useQuery({
    queryKey: ["matching", "gaps"],
    queryFn: () => unwrap(api.GET("/api/v1/matching/gaps", { params: { query: { limit: 1000 } } })),
  });
}

export function useOutreach() {
  return useQuery({
    queryKey: ["matching", "outreach"],
    queryFn: () => unwrap(api.GET("/api/v1/matching/outreach")),
  });
}

export function useCoverage() {
  return useQuery({
    queryKey: ["matching", "coverage"],
    queryFn: () => unwrap(api.GET("/api/v1/matching/coverage")),
  });
}

/** Propose a match; the lists of matches and every suggestion are refreshed (capacity and coverage moved). */
export function useCreateProposal() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: MatchCreate) => unwrap(api.POST("/api/v1/matches", { body })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["matches"] });
      void client.invalidateQueries({ queryKey: ["matching", "suggestions"] });
    },
  });
}

/** Validated requests or offers matching a search, for the console's picker. */
export function useMatchableSearch(kind: "request" | "offer", q: string) {
  const status: ("validated" | "partially_matched")[] = ["validated", "partially_matched"];
  return useQuery({
    queryKey: ["matching", "picker", kind, q],
    queryFn: async () => {
      const query = { q: q || undefined, status, limit: 20 };
      const page =
        kind === "request"
          ? await unwrap(api.GET("/api/v1/support-requests", { params: { query } }))
          : await unwrap(api.GET("/api/v1/support-offers", { params: { query } }));
      return page.items.map((item) => ({ id: item.id, reference: item.reference, title: item.title, country: item.country_iso3 ?? null }));
    },
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/** The title and reference of one request or offer (to label the picker's current choice). */
export function useRecordLabel(kind: "request" | "offer", id: string | null) {
  return useQuery({
    queryKey: ["matching", "record-label", kind, id],
    queryFn: async () => {
      const record =
        kind === "request"
          ? await unwrap(api.GET("/api/v1/support-requests/{request_id}", { params: { path: { request_id: id ?? "" } } }))
          : await unwrap(api.GET("/api/v1/support-offers/{offer_id}", { params: { path: { offer_id: id ?? "" } } }));
      return { id: record.id, reference: record.reference, title: record.title, status: record.status, country: record.country_iso3 ?? null, organisation: record.organisation.name };
    },
    enabled: Boolean(id),
    staleTime: 60_000,
  });
}
