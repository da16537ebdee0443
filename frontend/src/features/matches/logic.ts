// Pure rules of the match screens: stages and their colours, the traffic light of a list row, which
// proposals wait for my consent, how a counterpart is known, and what the stage buttons do.
import type { Schemas } from "@/lib/api";

export type MatchStatus = Schemas["MatchListItem"]["status"];
export type MatchListItem = Schemas["MatchListItem"];
export type FacilitatorView = Schemas["MatchFacilitatorView"];
export type PartyView = Schemas["MatchPartyView"];
export type PublicView = Schemas["MatchPublicView"];
export type MatchView = FacilitatorView | PartyView | PublicView;
export type PartyFull = Schemas["PartyFull"];
export type CounterpartRedacted = Schemas["CounterpartRedacted"];
export type CounterpartDisclosed = Schemas["CounterpartDisclosed"];
export type Counterpart = CounterpartRedacted | CounterpartDisclosed;
export type MatchAction = FacilitatorView["allowed_actions"][number];
export type ConsentStatus = PartyFull["consent_status"];

export const MATCH_STATUSES: MatchStatus[] = [
  "proposed",
  "consent_pending",
  "consented",
  "under_discussion",
  "agreed",
  "planning",
  "in_progress",
  "fulfilled",
  "declined",
  "expired",
  "suspended",
  "cancelled",
];

/** The pipeline board's columns: the lifecycle's forward stages, then the closed and paused ones. */
export const BOARD_STAGES: MatchStatus[] = ["proposed", "consent_pending", "consented", "under_discussion", "agreed", "planning", "in_progress", "fulfilled"];
export const OFF_TRACK_STAGES: MatchStatus[] = ["suspended", "declined", "expired", "cancelled"];

export const MATCH_STATUS_COLORS: Record<MatchStatus, string> = {
  proposed: "gray",
  consent_pending: "yellow",
  consented: "teal",
  under_discussion: "cyan",
  agreed: "blue",
  planning: "indigo",
  in_progress: "violet",
  fulfilled: "green",
  declined: "red",
  expired: "orange",
  suspended: "dark",
  cancelled: "dark",
};

export const CONSENT_COLORS: Record<ConsentStatus, string> = { pending: "yellow", granted: "green", declined: "red", withdrawn: "orange" };

/** Stage buttons the match page shows (agreement and revision have their own forms; the rest are the
 * platform's, never made by hand). */
export const STAGE_ACTIONS: MatchAction[] = [
  "request_consent",
  "start_discussion",
  "start_planning",
  "start_implementation",
  "fulfil",
  "suspend",
  "resume",
  "cancel",
];
/** Actions that ask for a reason (kept in the timeline) and a confirmation. */
export const ASKS_REASON: ReadonlySet<MatchAction> = new Set(["suspend", "cancel"]);

export function stageActions(allowed: readonly MatchAction[]): MatchAction[] {
  return STAGE_ACTIONS.filter((a) => allowed.includes(a));
}

export type Light = "red" | "orange" | "yellow" | "green" | "none";

/**
 * A list row's traffic light: red when overdue (consent deadline passed, next action overdue), orange when
 * the deadline is near, yellow when it waits on someone (consents, or consent not asked yet), green when it
 * moves, none for closed matches. Uses the server's `attention` (facilitators), else the dates it carries.
 */
export function trafficLight(item: Pick<MatchListItem, "status" | "attention" | "consent_deadline" | "next_action_on" | "pending_consents">, now: Date): Light {
  if (["fulfilled", "cancelled", "declined", "expired"].includes(item.status)) return "none";
  const attention = new Set(item.attention ?? []);
  const today = now.toISOString().slice(0, 10);
  const deadline = item.consent_deadline ? new Date(item.consent_deadline) : null;
  const pending = item.status === "consent_pending";
  if (attention.has("deadline_passed") || attention.has("next_action_overdue")) return "red";
  if (pending && deadline && deadline < now) return "red";
  if (item.next_action_on && item.next_action_on < today) return "red";
  if (attention.has("deadline_soon")) return "orange";
  if (pending && deadline && deadline.getTime() - now.getTime() < 3 * 24 * 3600 * 1000) return "orange";
  if (attention.has("waiting_consents") || attention.has("consent_not_requested") || pending || item.status === "proposed") return "yellow";
  return "green";
}

export function isOverdue(item: Parameters<typeof trafficLight>[0], now: Date): boolean {
  return trafficLight(item, now) === "red";
}

export const LIGHT_COLORS: Record<Exclude<Light, "none">, string> = { red: "red", orange: "orange", yellow: "yellow", green: "green" };

export function isDisclosed(counterpart: Counterpart): counterpart is CounterpartDisclosed {
  return "organisation" in counterpart && "record" in counterpart;
}

/** My parties on this match whose consent the proposal shown still waits for. */
export function partiesAwaitingMyConsent(view: PartyView): PartyFull[] {
  if (!view.can_consent) return [];
  return view.my_parties.filter(
    (p) => p.consent_status === "pending" || p.consent_status === "withdrawn" || (p.consent_status === "granted" && p.consent_version !== view.proposal_version),
  );
}

/** Whether a party view is a proposal in my consent inbox: waiting for me, or for the others after my grant. */
export function consentInboxState(view: MatchView): "mine" | "others" | null {
  if (view.view !== "party" || view.status !== "consent_pending") return null;
  if (partiesAwaitingMyConsent(view).length > 0) return "mine";
  return view.my_parties.some((p) => p.consent_status === "granted") ? "others" : null;
}

/** The parties whose publication consent this viewer gives: their own (a facilitator gives none). */
export function publicationParties(view: MatchView): PartyFull[] {
  return view.view === "party" && view.can_consent_to_publication ? view.my_parties : [];
}

/** The agreement form's pledge rows: every party this viewer can name (all for facilitators). */
export function agreementParties(view: FacilitatorView | PartyView): { id: string; name: string; side: PartyFull["side"]; pledgeId: string | null }[] {
  const parties: (PartyFull | CounterpartDisclosed)[] =
    view.view === "facilitator" ? view.parties : [...view.my_parties, ...view.counterparts.filter(isDisclosed)];
  return parties.map((p) => ({ id: p.id, name: p.organisation.name, side: p.side, pledgeId: p.pledge_id }));
}

/** Group list rows by stage for the board (every column present, in order; rows keep their order). */
export function byStage(items: MatchListItem[], stages: readonly MatchStatus[]): Record<string, MatchListItem[]> {
  const columns: Record<string, MatchListItem[]> = Object.fromEntries(stages.map((s) => [s, [] as MatchListItem[]]));
  for (const item of items) columns[item.status]?.push(item);
  return columns;
}
