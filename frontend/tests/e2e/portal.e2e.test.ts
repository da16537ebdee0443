import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launch, newContext, seriousViolations, waitForText } from "./browser";
import { type PublishedMatch, publishedMatch, signedInContext } from "./publishedMatch";

// The public portal, read by visitors who never sign in: the home page's figures and map (in English and in
// French), the published matches and a shared link to one of them, and the public pledges.
const stamp = Date.now().toString(36);

function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

async function mapDrawn(page: Page): Promise<void> {
  await page.getByTestId("world-map").waitFor();
  // The 1:110m world has 170-odd countries (Antarctica left out).
  expect(await page.locator("[data-testid=world-map] path").count()).toBeGreaterThan(150);
}

describe("public portal", () => {
  let browser: Browser;
  let match: PublishedMatch;

  beforeAll(async () => {
    browser = await launch();
    const [secretariat, niger, ofpra] = await Promise.all([
      signedInContext(browser, "secretariat@acsg.demo"),
      signedInContext(browser, "niger@acsg.demo"),
      signedInContext(browser, "ofpra@acsg.demo"),
    ]);
    match = await publishedMatch({ secretariat, requesting: niger, offering: ofpra }, stamp);
    await Promise.all([secretariat.close(), niger.close(), ofpra.close()]);
  });
  afterAll(async () => {
    await browser.close();
  });

  test("a visitor sees the key figures, the world map with its legend, tooltip and table, and the UN disclaimer", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = watch(page);
    await page.goto("/");
    await waitForText(page.getByRole("heading", { level: 1 }), "Asylum Capacity Support Group");
    await waitForText(page.getByRole("heading", { level: 2 }), "Key figures");
    const figures = page.getByTestId("key-figures");
    await waitForText(figures, "Requests for support");
    await waitForText(figures, "States involved");
    await waitForText(figures, "Unmet needs");
    // The published match counts among the matches at the planning stage.
    expect(Number((await page.getByTestId("figure-matches").locator("dd p").first().innerText()).replace(/\D/g, ""))).toBeGreaterThan(0);
    await mapDrawn(page);
    await waitForText(page.getByTestId("map-disclaimer"), "do not imply official endorsement or acceptance by the United Nations");
    await waitForText(page.getByTestId("map-legend"), "Pledging entities");

    // Countries with figures are reachable with the keyboard; focus shows their figure.
    const country = page.locator("[data-testid=world-map] path[tabindex='0']").first();
    await country.focus();
    await waitForText(page.getByTestId("map-tooltip"), "pledging entities:");
    // Another layer: the published matches; the requesting State (Niger) has one.
    await page.getByTestId("map-layer").getByText("Published matches").click();
    await waitForText(page.getByTestId("map-legend"), "Published matches");
    const niger = page.locator("[data-testid=world-map] path[data-country='562']");
    expect(Number(await niger.getAttribute("data-value"))).toBeGreaterThan(0);
    await niger.hover();
    await waitForText(page.getByTestId("map-tooltip"), /Niger – published matches: \d+/);

    await page.getByRole("button", { name: "Show the figures as a table" }).click();
    await waitForText(page.getByTestId("map-table").getByRole("row"), "Niger");
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  test("in French, from the browser's language and from the language switcher", async () => {
    const context = await newContext(browser, "fr-FR");
    const page = await context.newPage();
    const errors = watch(page);
    await page.goto("/");
    await waitForText(page.getByRole("heading", { level: 1 }), "Groupe d'appui à la capacité d'asile");
    await waitForText(page.getByRole("heading", { level: 2 }), "Chiffres clés");
    await waitForText(page.getByTestId("key-figures"), "Demandes d'appui");
    await waitForText(page.getByTestId("key-figures"), "États impliqués");
    await mapDrawn(page);
    await waitForText(page.getByTestId("map-disclaimer"), "n'impliquent pas reconnaissance ou acceptation officielle");
    await waitForText(page.getByTestId("map-legend"), "Entités ayant pris un engagement");
    expect(await seriousViolations(page)).toEqual([]);

    // And back to English with the switcher, without reloading.
    await page.getByTestId("language-switcher").click();
    await page.getByRole("option", { name: "English" }).click();
    await waitForText(page.getByTestId("key-figures"), "Requests for support");
    expect(errors).toEqual([]);
    await context.close();
  });

  test("the published matches list filters by stage and opens a match", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = watch(page);
    await page.goto("/");
    await page.getByRole("link", { name: "Published matches", exact: true }).first().click();
    await waitForText(page.getByRole("heading", { level: 1 }), "Published matches");
    const row = page.getByRole("row").filter({ hasText: match.reference });
    await row.waitFor();
    await page.getByRole("button", { name: "Filters" }).click();
    await page.getByRole("combobox", { name: "Stage" }).click();
    await page.getByRole("option", { name: "Fulfilled" }).click();
    await row.waitFor({ state: "detached" });
    expect(new URL(page.url()).searchParams.get("stage")).toBe("fulfilled");
    await page.getByRole("combobox", { name: "Stage" }).click();
    await page.getByRole("option", { name: "Planning" }).click();
    await row.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await row.getByRole("link").first().click();
    await waitForText(page.getByRole("heading", { level: 1 }), "supporting");
    expect(new URL(page.url()).pathname).toBe(`/portal/matches/${match.id}`);
    expect(errors).toEqual([]);
    await context.close();
  });

  test("a shared link opens the public match page directly, with its parties, areas and copy button", async () => {
    const context = await newContext(browser);
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const page = await context.newPage();
    const errors = watch(page);
    await page.goto(`/portal/matches/${match.id}`);
    await waitForText(page.getByRole("heading", { level: 1 }), "Office français de protection des réfugiés et apatrides supporting");
    await waitForText(page.getByTestId("public-match-summary"), match.summary);
    await page.getByText("Refugee status determination at first instance", { exact: false }).first().waitFor();
    await waitForText(page.getByTestId("public-report-excerpts"), "No progress report excerpt has been published yet.");
    // Nothing confidential or internal: no request or offer title, no workflow buttons.
    expect(await page.content()).not.toContain(match.requestTitle);
    await page.getByRole("button", { name: "Copy link" }).click();
    await waitForText(page.getByRole("status"), "The link is in your clipboard.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${new URL(page.url()).origin}/portal/matches/${match.id}`);
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto("/portal/matches/00000000-0000-4000-8000-000000000000");
    await waitForText(page.getByRole("heading", { level: 1 }), "Match not found");
    expect(errors).toEqual([]);
    await context.close();
  });

  test("the public pledges list passes the accessibility checks", async () => {
    const context: BrowserContext = await newContext(browser);
    const page = await context.newPage();
    await page.goto("/pledges");
    await waitForText(page.getByRole("heading", { level: 1 }), "Pledges");
    await page.getByTestId("result-count").filter({ hasText: /\d/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
