import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launch, newContext, seriousViolations, signIn, waitForText } from "./browser";

// One request travels through the workflow across three people's browsers: the tests below run in order.
const stamp = Date.now().toString(36);
const TITLE = `Civil registration of asylum seekers ${stamp}`;
const PUBLIC_SUMMARY = `Niger wants to register asylum seekers faster and issue documents on the spot (${stamp}).`;
const SECRET = `Budget line 4.2 negotiated with the Ministry of Finance ${stamp}`;

async function signedIn(browser: Browser, email: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await signIn(page, email);
  return { context, page, errors };
}

async function pickArea(page: Page, index: number, option: string): Promise<void> {
  await page.getByRole("combobox", { name: "Area" }).nth(index).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

describe("requests and offers", () => {
  let browser: Browser;
  let requestPath = "";
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser.close();
  });

  test("a State focal point drafts a request with two components and submits it", async () => {
    const { context, page, errors } = await signedIn(browser, "niger@acsg.demo");
    await page.getByRole("link", { name: "Requests", exact: true }).click();
    await page.getByRole("link", { name: "New request" }).click();
    await waitForText(page.getByRole("heading", { level: 1 }), "New request for support");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("textbox", { name: /^Title/ }).fill(TITLE);
    await pickArea(page, 0, "Registration and documentation");
    await page.getByRole("button", { name: "Add a component" }).click();
    await pickArea(page, 1, "Case management and data systems, digitisation");
    await page.getByRole("textbox", { name: "What is needed or offered in this area" }).nth(1).fill("A case management system for the registration offices.");
    await page.getByRole("textbox", { name: /^Public summary/ }).fill(PUBLIC_SUMMARY);
    await page.getByRole("textbox", { name: /^Confidential details/ }).fill(SECRET);
    await page.getByRole("button", { name: "Save the draft" }).click();

    await waitForText(page.getByRole("heading", { level: 1 }), TITLE);
    requestPath = new URL(page.url()).pathname;
    expect(requestPath).toMatch(/^\/requests\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("component-view").count()).resolves.toBe(2);
    await waitForText(page.getByTestId("confidential"), SECRET);
    await page.getByRole("button", { name: "Submit for validation" }).click();
    await waitForText(page.locator(".mantine-Badge-root"), "Submitted");
    // Submitted: the focal point may still withdraw it, no longer submit it.
    await page.getByRole("button", { name: "Withdraw" }).waitFor();
    expect(await page.getByRole("button", { name: "Submit for validation" }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  test("the Secretariat validates it from the triage queue", async () => {
    expect(requestPath).not.toBe("");
    const { context, page, errors } = await signedIn(browser, "secretariat@acsg.demo");
    await page.getByRole("link", { name: "Triage queue" }).click();
    await waitForText(page.getByRole("heading", { level: 1 }), "Triage queue");
    const row = page.getByRole("row").filter({ hasText: TITLE });
    await row.waitFor();
    await row.getByRole("button", { name: "Validate" }).click();
    // Validated, it leaves the queue.
    await row.waitFor({ state: "detached" });
    await page.goto(requestPath);
    await waitForText(page.locator(".mantine-Badge-root"), "Validated");
    expect(errors).toEqual([]);
    await context.close();
  });

  test("another participant finds it and sees its public summary, never its confidential details", async () => {
    const { context, page, errors } = await signedIn(browser, "clinic@acsg.demo");
    await page.getByRole("link", { name: "Requests", exact: true }).click();
    await waitForText(page.getByRole("heading", { level: 1 }), "Requests for support");
    await page.getByRole("searchbox", { name: "Search" }).fill(TITLE);
    await waitForText(page.getByTestId("result-count"), /^Results: 1$/);
    const link = page.getByRole("link", { name: TITLE });
    await link.waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await link.click();
    await waitForText(page.getByRole("heading", { level: 1 }), TITLE);
    await waitForText(page.getByTestId("public-summary"), PUBLIC_SUMMARY);
    await page.getByText("You see the public part of this request.", { exact: false }).waitFor();
    expect(await page.getByTestId("confidential").count()).toBe(0);
    expect(await page.content()).not.toContain(SECRET);
    expect(await page.getByRole("button", { name: /Validate|Reject|Withdraw|Edit/ }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  test("an offer without technical exchange is refused, and the rule is shown by its components", async () => {
    const { context, page, errors } = await signedIn(browser, "clinic@acsg.demo");
    await page.goto("/offers/new");
    await page.getByRole("textbox", { name: /^Title/ }).fill(`Funding only ${stamp}`);
    await pickArea(page, 0, "Legal aid and counselling");
    await page.getByRole("combobox", { name: "Support types" }).click({ force: true });
    await page.getByRole("option", { name: "Technical" }).click();
    await page.getByRole("option", { name: "Financial" }).click();
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Save the draft" }).click();
    await waitForText(page.getByRole("alert"), "Every offer must include technical exchange");
    await waitForText(page.getByRole("alert"), "The components cannot be saved as they are");
    expect(new URL(page.url()).pathname).toBe("/offers/new");
    expect(errors).toEqual([]);
    await context.close();
  });

  test("pledges are public: a visitor filters them and sees who leads one", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto("/pledges");
    await waitForText(page.getByRole("heading", { level: 1 }), "Pledges");
    await page.getByRole("button", { name: "Filters" }).click();
    await page.getByRole("combobox", { name: "Stage" }).click();
    await page.getByRole("option", { name: "Planning" }).click();
    await waitForText(page.getByTestId("result-count"), /^Results: 1$/);
    expect(new URL(page.url()).searchParams.get("stage")).toBe("planning");
    // The download carries the same filter as the screen.
    const csvHref = await page.getByRole("link", { name: "Download CSV" }).getAttribute("href");
    expect(csvHref).toContain("stage=planning");
    const csv = await (await page.request.get(csvHref ?? "")).text();
    expect(csv).toContain("Chad: adopting a national asylum law");
    await page.getByRole("link", { name: "Chad: adopting a national asylum law" }).click();
    await waitForText(page.getByRole("heading", { level: 1 }), "Chad: adopting a national asylum law");
    await waitForText(page.getByRole("row").filter({ hasText: "Lead" }), "Commission nationale");
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
