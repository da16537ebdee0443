// Browser-test fixtures for the portal and the progress reports: a match taken through the API, from the
// browsers of the people who act on it, to the planning stage and published on the portal.
import type { Browser, BrowserContext } from "playwright-core";
import { DEMO_PASSWORD, newContext } from "./browser";

/** A JSON call from a browser context (its cookies; writes carry the CSRF header copied from the cookie). */
export async function call<T = Record<string, unknown>>(context: BrowserContext, method: string, path: string, data?: unknown): Promise<T> {
  const csrf = (await context.cookies()).find((c) => c.name === "acsg_csrf")?.value;
  const response = await context.request.fetch(path, {
    method,
    data: data === undefined ? undefined : JSON.stringify(data),
    headers: { "content-type": "application/json", ...(csrf ? { "X-CSRF-Token": csrf } : {}) },
  });
  if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A browser context signed in through the API (faster than the form, which other tests cover). */
export async function signedInContext(browser: Browser, email: string, locale = "en-GB"): Promise<BrowserContext> {
  const context = await newContext(browser, locale);
  const response = await context.request.post("/api/v1/auth/sign-in", { data: { email, password: DEMO_PASSWORD } });
  if (!response.ok()) throw new Error(`sign-in ${email}: ${response.status()} ${await response.text()}`);
  return context;
}

type Me = { memberships: { organisation_id: string }[] };
type Record_ = { id: string; components: { id: string }[] };
type Match = { id: string; reference: string; proposal_version: number };

function day(offset: number): string {
  const date = new Date(Date.now() + offset * 86_400_000);
  return date.toISOString().slice(0, 10);
}

export type PublishedMatch = { id: string; reference: string; requestTitle: string; offerTitle: string; summary: string };

/**
 * Niger's refugee directorate requests support in refugee status determination, France's OFPRA offers it; the
 * Secretariat validates both and proposes the match; both consent, Niger records the agreement (starting today),
 * the Secretariat starts planning and both parties consent to publication. Unique titles per call.
 */
export async function publishedMatch(
  contexts: { secretariat: BrowserContext; requesting: BrowserContext; offering: BrowserContext },
  stamp: string,
): Promise<PublishedMatch> {
  const { secretariat, requesting, offering } = contexts;
  const requestTitle = `RSD quality assurance ${stamp}`;
  const offerTitle = `Peer review of first-instance decisions ${stamp}`;
  const summary = `OFPRA mentors Niger's eligibility officers on first-instance decisions (${stamp}).`;
  const state = (await call<Me>(requesting, "GET", "/api/v1/auth/me")).memberships[0]?.organisation_id;
  const offerer = (await call<Me>(offering, "GET", "/api/v1/auth/me")).memberships[0]?.organisation_id;
  const component = { area_code: "procedures.rsd", modalities: ["training"], support_types: ["technical"], description: "Mentoring and quality checks" };
  const request = await call<Record_>(requesting, "POST", "/api/v1/support-requests", {
    title: requestTitle,
    organisation_id: state,
    components: [component],
    languages: ["fr"],
    public_summary: `Niger strengthens its first-instance decisions (${stamp}).`,
    allow_publication: true,
  });
  await call(requesting, "POST", `/api/v1/support-requests/${request.id}/actions/submit`, {});
  const offer = await call<Record_>(offering, "POST", "/api/v1/support-offers", {
    title: offerTitle,
    organisation_id: offerer,
    components: [component],
    languages: ["fr", "en"],
    capacity: 5,
    public_summary: `OFPRA shares its quality assurance methods (${stamp}).`,
    allow_publication: true,
  });
  await call(offering, "POST", `/api/v1/support-offers/${offer.id}/actions/submit`, {});
  await call(secretariat, "POST", `/api/v1/support-requests/${request.id}/actions/validate`, {});
  await call(secretariat, "POST", `/api/v1/support-offers/${offer.id}/actions/validate`, {});
  const componentId = (await call<Record_>(secretariat, "GET", `/api/v1/support-requests/${request.id}`)).components[0]?.id;
  const proposed = await call<Match>(secretariat, "POST", "/api/v1/matches", {
    items: [{ request_component_id: componentId, offer_id: offer.id }],
    justification: "Browser test: a French-speaking peer for first-instance decisions.",
    public_summary: summary,
  });
  const asked = await call<Match>(secretariat, "POST", `/api/v1/matches/${proposed.id}/actions/request_consent`, {});
  for (const party of [requesting, offering])
    await call(party, "POST", `/api/v1/matches/${proposed.id}/consent`, { decision: "grant", proposal_version: asked.proposal_version });
  await call(requesting, "POST", `/api/v1/matches/${proposed.id}/agreement`, {
    scope: "Mentoring of eligibility officers and joint review of decisions",
    modalities: ["training"],
    starts_on: day(0),
    ends_on: day(365),
    public_summary: summary,
  });
  await call(secretariat, "POST", `/api/v1/matches/${proposed.id}/actions/start_planning`, {});
  for (const party of [requesting, offering]) await call(party, "POST", `/api/v1/matches/${proposed.id}/publication-consent`, { consent: true });
  return { id: proposed.id, reference: proposed.reference, requestTitle, offerTitle, summary };
}
