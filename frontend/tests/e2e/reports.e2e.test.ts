import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launch, newContext, seriousViolations, waitForText } from "./browser";
import { type PublishedMatch, publishedMatch, signedInContext } from "./publishedMatch";

// One report travels through its workflow across four browsers: drafted by the offering party (OFPRA),
// attested by the requesting party (Niger), accepted and published by the Secretariat, read by the public.
// The tests below run in order and share the match.
const stamp = Date.now().toString(36);
const NARRATIVE = `Two mentoring sessions held in Niamey with twelve eligibility officers (${stamp}).`;
const EXCERPT = `Twelve eligibility officers in Niamey were mentored on first-instance decisions (${stamp}).`;

function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

describe("progress reports", () => {
  let browser: Browser;
  let secretariat: BrowserContext;
  let niger: BrowserContext;
  let ofpra: BrowserContext;
  let match: PublishedMatch;
  let reportPath = "";

  beforeAll(async () => {
    browser = await launch();
    [secretariat, niger, ofpra] = await Promise.all([
      signedInContext(browser, "secretariat@acsg.demo"),
      signedInContext(browser, "niger@acsg.demo"),
      signedInContext(browser, "ofpra@acsg.demo"),
    ]);
    match = await publishedMatch({ secretariat, requesting: niger, offering: ofpra }, stamp);
  });
  afterAll(async () => {
    await browser.close();
  });

  test("the offering party drafts the first report from the match's schedule, saves it and submits it", async () => {
    const page = await ofpra.newPage();
    const errors = watch(page);
    await page.goto(`/matches/${match.id}/reports`);
    await waitForText(page.getByRole("heading", { level: 1 }), `Progress reports · ${match.reference}`);
    await waitForText(page.getByTestId("schedule"), "Every 6 months");
    await page.getByTestId("traffic-light").first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("link", { name: /^Write the report/ }).first().click();
    await waitForText(page.getByRole("heading", { level: 1 }), "Progress report,");
    reportPath = new URL(page.url()).pathname;
    expect(reportPath).toMatch(/^\/reports\/[0-9a-f-]{36}$/);
    await waitForText(page.getByTestId("report-status"), "Not yet due");

    await page.getByRole("textbox", { name: /^Progress made/ }).fill(NARRATIVE);
    await page.getByRole("textbox", { name: /^Good practices/ }).fill("Joint review of anonymised decisions before they are notified.");
    await page.getByRole("combobox", { name: "Rating: Fairness" }).click();
    await page.getByRole("option", { name: "4 – Significant improvement" }).click();
    await page.getByRole("textbox", { name: "Evidence: Fairness" }).fill("A checklist on credibility assessment is now used in every interview.");
    await page.getByRole("button", { name: "Add an indicator" }).click();
    await page.getByRole("textbox", { name: "Indicator 1: name" }).fill("Eligibility officers mentored");
    await page.getByRole("textbox", { name: "Indicator 1: unit" }).fill("people");
    await page.getByRole("textbox", { name: "Indicator 1: baseline" }).fill("0");
    await page.getByRole("textbox", { name: "Indicator 1: target" }).fill("15");
    await page.getByRole("textbox", { name: "Indicator 1: actual" }).fill("12");
    await waitForText(page.getByTestId("indicator-row"), "80%");
    await page.getByRole("button", { name: "Save the draft" }).click();
    await waitForText(page.getByRole("status"), "All changes saved.");
    expect(await seriousViolations(page)).toEqual([]);

    // Saved with If-Match: a reload shows what was stored.
    await page.reload();
    await expect(page.getByRole("textbox", { name: "Indicator 1: name" }).inputValue()).resolves.toBe("Eligibility officers mentored");
    await expect(page.getByRole("textbox", { name: /^Progress made/ }).inputValue()).resolves.toBe(NARRATIVE);

    await page.getByRole("button", { name: "Submit the report" }).click();
    await waitForText(page.getByTestId("report-status"), "Submitted");
    await waitForText(page.getByTestId("report-content"), NARRATIVE);
    await waitForText(page.getByTestId("revisions"), "Submission 1");
    expect(await page.getByRole("button", { name: "Submit the report" }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("the requesting party attests it", async () => {
    expect(reportPath).not.toBe("");
    const page = await niger.newPage();
    const errors = watch(page);
    await page.goto(reportPath);
    await waitForText(page.getByTestId("report-content"), NARRATIVE);
    await waitForText(page.getByTestId("indicators-view"), "Eligibility officers mentored");
    const panel = page.getByTestId("attest-panel");
    await panel.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await panel.getByRole("button", { name: "Confirm the report" }).click();
    await waitForText(page.getByTestId("report-status"), "Attested");
    await waitForText(page.getByTestId("attestation-note"), "Confirmed by the requesting party");
    expect(await page.getByTestId("attest-panel").count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("the Secretariat accepts it and publishes an excerpt", async () => {
    const page = await secretariat.newPage();
    const errors = watch(page);
    await page.goto("/reports?status=attested");
    await waitForText(page.getByRole("heading", { level: 1 }), "Progress reports");
    await page.getByRole("row").filter({ hasText: match.reference }).getByRole("link", { name: /^Open/ }).click();
    await waitForText(page.getByTestId("report-status"), "Attested");
    await page.getByTestId("review-panel").getByRole("button", { name: "Accept the report" }).click();
    await waitForText(page.getByTestId("report-status"), "Accepted");
    const publish = page.getByTestId("publish-panel");
    await publish.getByRole("textbox", { name: /^Excerpt to publish/ }).fill(EXCERPT);
    expect(await seriousViolations(page)).toEqual([]);
    await publish.getByRole("button", { name: "Publish the excerpt" }).click();
    await waitForText(page.getByTestId("report-status"), "Published");
    await waitForText(page.getByTestId("published-excerpt"), EXCERPT);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("the excerpt appears on the public match page, opened directly by a visitor", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = watch(page);
    await page.goto(`/portal/matches/${match.id}`);
    await waitForText(page.getByTestId("report-excerpt"), EXCERPT);
    await waitForText(page.getByTestId("public-match-summary"), match.summary);
    // Only the excerpt crosses: the report's own text stays with the parties and reviewers.
    expect(await page.content()).not.toContain(NARRATIVE);
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
