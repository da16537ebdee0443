import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launch, newContext, seriousViolations, signIn, waitForText } from "./browser";

// Issue 5, across three browsers: the Secretariat proposes a match between Niger's request and a law clinic
// network's offer; each focal point sees the proposal redacted in their consent inbox and consents; after the
// second consent each sees the other in full; the Secretariat (facilitating, with UNHCR Niger assigned) takes
// it through the agreement to planning; both consent to publish; the match is then public.
const stamp = Date.now().toString(36);
const AREA = "legal.complementary";
const REQUEST_TITLE = `Complementary protection framework ${stamp}`;
const OFFER_TITLE = `Law clinics on complementary protection ${stamp}`;
const REQUEST_SECRET = `Draft decree 2026-117 shared in confidence ${stamp}`;
const OFFER_SECRET = `Pro bono budget of 40 000 EUR from the faculty ${stamp}`;
const REQUEST_CONTACT = `Aïssa Maman ${stamp}`;
const OFFER_CONTACT = `Jonas Whitfield ${stamp}`;
const SUMMARY = `Law clinics help Niger frame complementary protection (${stamp}).`;
const NIGER_NAME = "Direction générale de l'état civil, des migrations et des réfugiés";
const CLINIC_NAME = "Refugee Law Clinic Network";

type Session = { context: BrowserContext; page: Page; errors: string[] };

async function session(browser: Browser, email: string): Promise<Session> {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await signIn(page, email);
  return { context, page, errors };
}

/** A JSON call through the context's session (writes carry the CSRF header copied from its cookie). */
async function call<T>(context: BrowserContext, method: string, path: string, data?: unknown): Promise<T> {
  const csrf = (await context.cookies()).find((c) => c.name === "acsg_csrf")?.value;
  const response = await context.request.fetch(path, {
    method,
    data: data === undefined ? undefined : JSON.stringify(data),
    headers: { "content-type": "application/json", ...(csrf ? { "X-CSRF-Token": csrf } : {}) },
  });
  if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

async function ownOrganisation(context: BrowserContext): Promise<string> {
  const me = await call<{ memberships: { organisation_id: string }[] }>(context, "GET", "/api/v1/auth/me");
  const id = me.memberships[0]?.organisation_id;
  if (!id) throw new Error("no membership");
  return id;
}

/** Until every loader is gone (axe checks the page as people will read it). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector(".mantine-Loader-root"), undefined, { timeout: 15_000 });
}

async function accessible(page: Page): Promise<void> {
  await settled(page);
  expect(await seriousViolations(page)).toEqual([]);
}

describe("match lifecycle across three browsers", () => {
  let browser: Browser;
  let secretariat: Session;
  let state: Session;
  let offerer: Session;
  let requestId = "";
  let matchPath = "";
  let reference = "";

  beforeAll(async () => {
    browser = await launch();
    [secretariat, state, offerer] = await Promise.all([
      session(browser, "secretariat@acsg.demo"),
      session(browser, "niger@acsg.demo"),
      session(browser, "clinic@acsg.demo"),
    ]);
    // Each focal point drafts and submits their own record, with confidential details and contacts; the
    // Secretariat validates both.
    const component = { area_code: AREA, modalities: ["remote_advice"], support_types: ["technical"], description: "Drafting a complementary protection decree" };
    const request = await call<{ id: string }>(state.context, "POST", "/api/v1/support-requests", {
      title: REQUEST_TITLE,
      organisation_id: await ownOrganisation(state.context),
      components: [component],
      languages: ["fr", "en"],
      public_summary: `Niger frames complementary protection (${stamp}).`,
      confidential_details: REQUEST_SECRET,
      contacts: [{ name: REQUEST_CONTACT, role: "Legal adviser", email: `aissa.${stamp}@dgec.example` }],
    });
    requestId = request.id;
    await call(state.context, "POST", `/api/v1/support-requests/${request.id}/actions/submit`, {});
    const offer = await call<{ id: string }>(offerer.context, "POST", "/api/v1/support-offers", {
      title: OFFER_TITLE,
      organisation_id: await ownOrganisation(offerer.context),
      components: [{ ...component, description: "Clinic students and supervisors draft with the ministry" }],
      languages: ["en", "fr"],
      capacity: 2,
      confidential_details: OFFER_SECRET,
      contacts: [{ name: OFFER_CONTACT, role: "Clinic director", email: `jonas.${stamp}@clinic.example` }],
    });
    await call(offerer.context, "POST", `/api/v1/support-offers/${offer.id}/actions/submit`, {});
    await call(secretariat.context, "POST", `/api/v1/support-requests/${request.id}/actions/validate`, {});
    await call(secretariat.context, "POST", `/api/v1/support-offers/${offer.id}/actions/validate`, {});
  });
  afterAll(async () => {
    for (const s of [secretariat, state, offerer]) await s?.context.close();
    await browser?.close();
  });

  test("the Secretariat proposes the match and asks the parties for consent", async () => {
    const { page, errors } = secretariat;
    await page.goto(`/matching?request=${requestId}`);
    await waitForText(page.getByTestId("candidate-row").first(), OFFER_TITLE);
    await page.getByRole("button", { name: `Propose a match with ${OFFER_TITLE}` }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Justification" }).fill("Browser test: the clinic network drafts with the ministry.");
    await dialog.getByRole("textbox", { name: "Public summary" }).fill(SUMMARY);
    await dialog.getByRole("button", { name: "Create the proposal" }).click();
    await page.waitForURL(/\/matches\/[0-9a-f-]{36}$/);
    matchPath = new URL(page.url()).pathname;
    await waitForText(page.getByRole("heading", { level: 1 }), /^Match MAT-/);
    reference = ((await page.getByRole("heading", { level: 1 }).textContent()) ?? "").replace("Match ", "").trim();
    // The facilitators see both parties in full.
    await waitForText(page.getByTestId("parties"), NIGER_NAME);
    await waitForText(page.getByTestId("parties"), OFFER_SECRET);
    await page.getByRole("button", { name: "Ask the parties for consent" }).click();
    await waitForText(page.getByTestId("match-status"), "Consent pending");
    await page.getByTestId("timeline").getByText("Consent requested").waitFor();
    await accessible(page);
    expect(errors).toEqual([]);
  });

  for (const side of ["state", "offerer"] as const) {
    test(`the ${side === "state" ? "State's" : "offering organisation's"} focal point sees the redacted proposal and consents`, async () => {
      expect(reference).not.toBe("");
      const { page, errors } = side === "state" ? state : offerer;
      const [counterpartName, counterpartSecret, counterpartContact, counterpartTitle] =
        side === "state" ? [CLINIC_NAME, OFFER_SECRET, OFFER_CONTACT, OFFER_TITLE] : [NIGER_NAME, REQUEST_SECRET, REQUEST_CONTACT, REQUEST_TITLE];
      await page.getByRole("link", { name: "Consent inbox" }).click();
      await waitForText(page.getByRole("heading", { level: 1 }), "Consent inbox");
      const card = page.getByTestId("inbox-proposal").filter({ hasText: reference });
      await card.waitFor();
      // What the other side brings, never who it is.
      await waitForText(card.getByTestId("counterpart-redacted"), side === "state" ? /A stakeholder \(Academia\)/ : /A State in West and Central Africa/);
      const html = await page.content();
      for (const secret of [counterpartName, counterpartSecret, counterpartContact, counterpartTitle]) expect(html).not.toContain(secret);
      await accessible(page);

      await card.getByRole("button", { name: "Grant consent" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("textbox", { name: "Conditions (optional)" }).fill(`Work in French where possible (${side}).`);
      await dialog.getByRole("button", { name: "Grant consent" }).click();
      await dialog.waitFor({ state: "hidden" });
      if (side === "state") {
        // The first consent: still redacted, now waiting for the other party.
        await waitForText(page.getByRole("heading", { level: 2 }), /Awaiting the other parties/);
        expect(await page.content()).not.toContain(counterpartName);
      } else {
        // The second consent: the match is consented and leaves the inbox.
        await page.getByTestId("inbox-proposal").filter({ hasText: reference }).waitFor({ state: "detached" });
      }
      expect(errors).toEqual([]);
    });
  }

  test("after the second consent each party sees the other's full details and contacts", async () => {
    for (const [s, name, secret, contact] of [
      [state, CLINIC_NAME, OFFER_SECRET, OFFER_CONTACT],
      [offerer, NIGER_NAME, REQUEST_SECRET, REQUEST_CONTACT],
    ] as const) {
      await s.page.goto(matchPath);
      await waitForText(s.page.getByTestId("match-status"), "Consented");
      const counterpart = s.page.getByTestId("counterparts").getByTestId("party-full");
      await waitForText(counterpart, name);
      await waitForText(counterpart.getByTestId("party-confidential"), secret);
      await waitForText(counterpart.getByTestId("party-confidential"), contact);
      await s.page.getByTestId("disclosed-note").waitFor();
      await accessible(s.page);
      expect(s.errors).toEqual([]);
    }
  });

  test("the facilitator takes it through the agreement to planning", async () => {
    const { page, errors } = secretariat;
    await page.goto(matchPath);
    await waitForText(page.getByTestId("match-status"), "Consented");
    // The Secretariat assigns UNHCR Niger as facilitating office.
    const facilitators = page.getByTestId("facilitators");
    await facilitators.getByRole("combobox", { name: "Assign UNHCR offices" }).click({ force: true });
    await page.getByRole("option", { name: "UNHCR Niger" }).click();
    await page.keyboard.press("Escape");
    await facilitators.getByRole("button", { name: "Save the offices" }).click();
    await waitForText(facilitators, /^UNHCR Niger/);

    await page.getByRole("button", { name: "Start the discussion" }).click();
    await waitForText(page.getByTestId("match-status"), "Under discussion");
    const agreement = page.getByTestId("agreement-form");
    await agreement.getByRole("textbox", { name: /^Agreed scope/ }).fill("Remote drafting support for a complementary protection decree, two review rounds.");
    await agreement.getByRole("button", { name: "Record the agreement" }).click();
    await waitForText(page.getByTestId("match-status"), "Agreed");
    await waitForText(page.getByTestId("agreement"), "two review rounds");
    await page.getByRole("button", { name: "Move to planning" }).click();
    await waitForText(page.getByTestId("match-status"), "Planning");
    await waitForText(page.getByTestId("timeline"), "Planning started");
    await accessible(page);
    expect(errors).toEqual([]);
  });

  test("both parties consent to publish, and the match appears publicly", async () => {
    for (const s of [state, offerer]) {
      await s.page.goto(matchPath);
      await waitForText(s.page.getByTestId("match-status"), "Planning");
      const toggle = s.page.getByTestId("publication-consent").getByRole("switch", { name: "We agree to publish this match" });
      // A controlled switch: it turns on once the server has recorded the consent, so click and wait for that.
      await toggle.click({ force: true });
      await s.page.getByText("Consent to publication given.").waitFor();
      expect(await toggle.isChecked()).toBe(true);
      expect(s.errors).toEqual([]);
    }

    // Anonymously, from a fresh context: the public list of matches holds it, with the parties' names.
    const anonymous = await newContext(browser);
    try {
      const list = await call<{ items: { id: string; reference: string; party_names: string[] | null; status: string }[] }>(anonymous, "GET", "/api/v1/matches?limit=200");
      const found = list.items.find((m) => m.reference === reference);
      expect(found?.status).toBe("planning");
      expect(found?.party_names).toEqual(expect.arrayContaining([NIGER_NAME, CLINIC_NAME]));
      const detail = await call<Record<string, unknown>>(anonymous, "GET", `/api/v1/matches/${found?.id}`);
      expect(detail.view).toBe("public");
      expect(JSON.stringify(detail)).not.toContain(REQUEST_SECRET);
      expect(JSON.stringify(detail)).not.toContain(OFFER_CONTACT);

      // The public list page holds it.
      const page = await anonymous.newPage();
      await page.goto("/portal/matches");
      await waitForText(page.locator("main"), reference);
      await accessible(page);
      // The workspace's match page sends visitors to the public one.
      await page.goto(matchPath);
      await page.waitForURL(/\/portal\/matches\/[0-9a-f-]{36}$/);
    } finally {
      await anonymous.close();
    }
  });
});
