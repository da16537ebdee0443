// The match endpoints (/api/v1/matches/*). The match page reads the match with its ETag and sends it back in
// If-Match where the API takes one (stage actions, revision, agreement), so a change made meanwhile by
// someone else is refused (412) instead of overwritten.
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "@/lib/api";
import { unwrapWithETag } from "@/lib/commitments";
import type { MatchAction, MatchStatus, MatchView } from "./logic";

export type MatchListQuery = { status?: MatchStatus[]; country?: string; facilitated?: boolean; overdue?: boolean };
export type Loaded = { data: MatchView; etag: string | null };

export const detailKey = (id: string) => ["matches", "detail", id] as const;

export function useMatchList(query: MatchListQuery, pageSize = 25) {
  return useInfiniteQuery({
    queryKey: ["matches", "list", query, pageSize],
    queryFn: ({ pageParam }) => unwrap(api.GET("/api/v1/matches", { params: { query: { ...query, limit: pageSize, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

const BOARD_LIMIT = 1000;

/** Every match of the query (up to 1,000, a page of 200 at a time), for the pipeline board. */
export function useAllMatches(query: MatchListQuery) {
  return useQuery({
    queryKey: ["matches", "all", query],
    queryFn: async () => {
      const items: Schemas["MatchListItem"][] = [];
      let cursor: string | undefined;
      let total = 0;
      do {
        const page = await unwrap(api.GET("/api/v1/matches", { params: { query: { ...query, limit: 200, cursor } } }));
        items.push(...page.items);
        total = page.total;
        cursor = page.next_cursor ?? undefined;
      } while (cursor && items.length < BOARD_LIMIT);
      return { items, total, truncated: Boolean(cursor) };
    },
    placeholderData: keepPreviousData,
  });
}

export function useQueue() {
  return useQuery({ queryKey: ["matches", "queue"], queryFn: () => unwrap(api.GET("/api/v1/matches/queue")) });
}

export function fetchMatch(id: string): Promise<Loaded> {
  return unwrapWithETag(api.GET("/api/v1/matches/{match_id}", { params: { path: { match_id: id } } }));
}

export function useMatch(id: string) {
  return useQuery({ queryKey: detailKey(id), queryFn: () => fetchMatch(id) });
}

export function useTimeline(id: string, enabled = true) {
  return useQuery({
    queryKey: ["matches", "timeline", id],
    queryFn: () => unwrap(api.GET("/api/v1/matches/{match_id}/timeline", { params: { path: { match_id: id } } })),
    enabled,
  });
}

export function useNotes(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ["matches", "notes", id],
    queryFn: () => unwrap(api.GET("/api/v1/matches/{match_id}/notes", { params: { path: { match_id: id } } })),
    enabled,
  });
}

export function useUnhcrOffices(enabled: boolean) {
  return useQuery({
    queryKey: ["organisations", "unhcr-offices"],
    queryFn: async () => {
      const [offices, bureaux] = await Promise.all([
        unwrap(api.GET("/api/v1/organisations", { params: { query: { kind: "unhcr_country_office", limit: 200 } } })),
        unwrap(api.GET("/api/v1/organisations", { params: { query: { kind: "unhcr_bureau", limit: 200 } } })),
      ]);
      return [...bureaux.items, ...offices.items];
    },
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** After a change: the match as returned (with its new ETag) replaces the cached one; lists and timeline refresh. */
function useMatchMutation<Input>(id: string, call: (input: Input, etag: string | null) => Promise<Loaded>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: Input) => call(input, client.getQueryData<Loaded>(detailKey(id))?.etag ?? null),
    onSuccess: (loaded) => {
      client.setQueryData(detailKey(id), loaded);
      void client.invalidateQueries({ queryKey: ["matches"], predicate: (q) => q.queryKey[1] !== "detail" || q.queryKey[2] !== id });
      void client.invalidateQueries({ queryKey: ["notifications"] });
    },
  });
}

const ifMatch = (etag: string | null) => (etag ? { "If-Match": etag } : {});

export function useTransition(id: string) {
  return useMatchMutation<{ action: MatchAction; reason?: string }>(id, ({ action, reason }, etag) =>
    unwrapWithETag(
      api.POST("/api/v1/matches/{match_id}/actions/{action}", {
        params: { path: { match_id: id, action }, header: ifMatch(etag) },
        body: reason?.trim() ? { reason: reason.trim() } : {},
      }),
    ),
  );
}

export function useConsentDecision(id: string) {
  return useMatchMutation<Schemas["ConsentDecisionIn"]>(id, (body) =>
    unwrapWithETag(api.POST("/api/v1/matches/{match_id}/consent", { params: { path: { match_id: id } }, body })),
  );
}

export function usePublicationConsent(id: string) {
  return useMatchMutation<Schemas["PublicationConsentIn"]>(id, (body) =>
    unwrapWithETag(api.POST("/api/v1/matches/{match_id}/publication-consent", { params: { path: { match_id: id } }, body })),
  );
}

export function useAgreement(id: string) {
  return useMatchMutation<Schemas["AgreementIn"]>(id, (body, etag) =>
    unwrapWithETag(api.POST("/api/v1/matches/{match_id}/agreement", { params: { path: { match_id: id }, header: ifMatch(etag) }, body })),
  );
}

export function useRevision(id: string) {
  return useMatchMutation<Schemas["MatchRevision"]>(id, (body, etag) =>
    unwrapWithETag(api.POST("/api/v1/matches/{match_id}/revision", { params: { path: { match_id: id }, header: ifMatch(etag) }, body })),
  );
}

export function useFacilitators(id: string) {
  return useMatchMutation<string[]>(id, (organisationIds) =>
    unwrapWithETag(api.PUT("/api/v1/matches/{match_id}/facilitators", { params: { path: { match_id: id } }, body: { organisation_ids: organisationIds } })),
  );
}

export function useNextAction(id: string) {
  return useMatchMutation<Schemas["NextActionIn"]>(id, (body) =>
    unwrapWithETag(api.PUT("/api/v1/matches/{match_id}/next-action", { params: { path: { match_id: id } }, body })),
  );
}

export function useAddNote(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => unwrap(api.POST("/api/v1/matches/{match_id}/notes", { params: { path: { match_id: id } }, body: { body } })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["matches", "notes", id] });
      void client.invalidateQueries({ queryKey: ["matches", "timeline", id] });
    },
  });
}
