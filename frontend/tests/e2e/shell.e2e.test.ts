import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launch, newContext, seriousViolations, signIn, waitForText } from "./browser";

describe("the application shell", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser.close();
  });

  test("a focal point signs in through the SPA, switches to French and sees French labels", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, "ofpra@acsg.demo");
    // Signed-in users get a welcome above the public portal's home.
    await waitForText(page.getByTestId("welcome"), "Welcome");
    await page.getByTestId("language-switcher").click();
    await page.getByRole("option", { name: "Français" }).click();
    await waitForText(page.getByTestId("welcome"), "Bienvenue");
    await page.getByRole("link", { name: "Accueil" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("fr");
    // The choice is remembered across a reload.
    await page.reload();
    await waitForText(page.getByTestId("welcome"), "Bienvenue");
    await context.close();
  });

  test("a wrong password shows the server's refusal and opens no session", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.getByLabel("E-mail").fill("ofpra@acsg.demo");
    await page.getByLabel(/^Password/).fill("not the password at all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await waitForText(page.getByRole("alert"), "Invalid e-mail or password");
    expect((await context.cookies()).some((c) => c.name === "acsg_session")).toBe(false);
    await context.close();
  });

  test("the Secretariat reaches the audit log, and the sign-in page has no serious accessibility issue", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.getByLabel("E-mail").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await signIn(page, "secretariat@acsg.demo");
    await page.getByRole("link", { name: "Audit log" }).click();
    await waitForText(page.getByRole("heading", { level: 1 }), "Audit log");
    await waitForText(page.locator("code"), "auth.signed_in");
    await context.close();
  });

  test("a client-side route opened directly falls back to the SPA", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto("/no/such/page");
    await page.getByText("This page does not exist.").waitFor();
    await context.close();
  });
});
