// What support requests and offers share on the client: statuses, workflow actions, who may draft and edit,
// optimistic concurrency (ETag / If-Match) and retry-safe creation (Idempotency-Key).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiError, api, type ErrorEnvelope, type Schemas } from "@/lib/api";
import type { Me } from "@/lib/session";

export type CommitmentKind = "request" | "offer";
export type CommitmentStatus = Schemas["SupportRequest"]["status"];
export type CommitmentAction = Schemas["SupportRequest"]["allowed_actions"][number];
export type Urgency = Schemas["SupportRequest"]["urgency"];

export type RequestFull = Schemas["SupportRequest"];
export type RequestPublic = Schemas["SupportRequestPublic"];
export type RequestView = RequestFull | RequestPublic;
export type OfferFull = Schemas["SupportOffer"];
export type OfferPublic = Schemas["SupportOfferPublic"];
export type OfferView = OfferFull | OfferPublic;

export const STATUSES: CommitmentStatus[] = [
  "draft",
  "submitted",
  "under_review",
  "validated",
  "partially_matched",
  "matched",
  "closed",
  "rejected",
  "withdrawn",
];
export const URGENCIES: Urgency[] = ["low", "normal", "high", "critical"];
export const QUALITIES = ["fairness", "efficiency", "adaptability", "integrity"] as const;
export type Quality = (typeof QUALITIES)[number];

export const STATUS_COLORS: Record<CommitmentStatus, string> = {
  draft: "gray",
  submitted: "blue",
  under_review: "indigo",
  validated: "teal",
  partially_matched: "cyan",
  matched: "green",
  closed: "dark",
  rejected: "red",
  withdrawn: "orange",
};
export const URGENCY_COLORS: Record<Urgency, string> = { low: "gray", normal: "blue", high: "orange", critical: "red" };

// The statuses in which the owner may still change the content (the Secretariat may edit at any time).
// The API does not say whether the caller may edit (only which workflow actions it may take), so this mirrors
// its rule; the server refuses anything else anyway.
const OWNER_EDITABLE: ReadonlySet<CommitmentStatus> = new Set(["draft", "submitted", "rejected"]);
const STATE_KINDS = ["state_government", "state_institution"];
const OFFERING_KINDS = [...STATE_KINDS, "stakeholder"];
const EDITING_ROLES = ["focal_point", "editor"];

/** The caller's organisations on whose behalf they may draft a request (State) or an offer. */
export function draftingOrganisations(me: Me | null | undefined, kind: CommitmentKind): Me["memberships"] {
  const kinds = kind === "request" ? STATE_KINDS : OFFERING_KINDS;
  return (me?.memberships ?? []).filter((m) => kinds.includes(m.organisation_kind) && EDITING_ROLES.includes(m.role));
}

/** Whether the caller may edit a record they see in full, owned by `ownerIds` (owner first, then partners). */
export function mayEdit(me: Me | null | undefined, ownerIds: readonly string[], status: CommitmentStatus): boolean {
  if (!me) return false;
  if (me.is_secretariat) return true;
  const editor = me.memberships.some((m) => ownerIds.includes(m.organisation_id) && EDITING_ROLES.includes(m.role));
  return editor && OWNER_EDITABLE.has(status);
}

/** A fresh key for one create form: a retried or double-clicked submission replays instead of duplicating. */
export function newIdempotencyKey(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/** Like `unwrap`, keeping the response's ETag (the version to send back in If-Match). */
export async function unwrapWithETag<T>(
  promise: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<{ data: T; etag: string | null }> {
  const { data, error, response } = await promise;
  if (!response.ok) throw new ApiError(response.status, error as Partial<ErrorEnvelope> | undefined);
  return { data: data as T, etag: response.headers.get("ETag") };
}

/** True when the server refused a write because the record changed since it was read (412). */
export function isStale(error: unknown): boolean {
  return error instanceof ApiError && error.status === 412;
}

export const QUERY_KEYS: Record<CommitmentKind, string> = { request: "support-requests", offer: "support-offers" };

export type ActionInput = { id: string; action: CommitmentAction; reason?: string; etag?: string | null };

/** Run one workflow action on a request or offer; every cached list and record of that kind is refreshed. */
export function useCommitmentAction(kind: CommitmentKind) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, reason, etag }: ActionInput): Promise<{ data: RequestFull | OfferFull; etag: string | null }> => {
      const header = etag ? { "If-Match": etag } : {};
      const body = reason?.trim() ? { reason: reason.trim() } : {};
      return kind === "request"
        ? unwrapWithETag(
            api.POST("/api/v1/support-requests/{request_id}/actions/{action}", {
              params: { path: { request_id: id, action }, header },
              body,
            }),
          )
        : unwrapWithETag(
            api.POST("/api/v1/support-offers/{offer_id}/actions/{action}", {
              params: { path: { offer_id: id, action }, header },
              body,
            }),
          );
    },
    onSettled: () => client.invalidateQueries({ queryKey: [QUERY_KEYS[kind]] }),
  });
}
