// Shared helpers for browser tests: Debian's Chromium through playwright-core, sign-in, axe checks.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { inject } from "vitest";

export const DEMO_PASSWORD = "acsg-demo-password";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function baseURL(): string {
  return inject("baseURL");
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}

export async function newContext(browser: Browser, locale = "en-GB"): Promise<BrowserContext> {
  return browser.newContext({ baseURL: baseURL(), locale, viewport: { width: 1280, height: 900 } });
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel(/e-mail|courriel|correo/i).fill(email);
  await page.getByLabel(/^(password|mot de passe|contraseña)/i).first().fill(password);
  await page.getByRole("button", { name: /sign in|se connecter|iniciar sesión/i }).click();
  await page.getByTestId("user-menu").waitFor();
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** Serious and critical accessibility violations on the current page (WCAG 2 A/AA rules), one readable line
 * each (rule, help, the elements), so a failing `toEqual([])` says what to fix. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Let entry transitions (Mantine fades) finish: a half-faded element is not what a visitor reads.
  await page.waitForTimeout(300);
  // Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') does not block it.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] } });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Wait until an element matching `locator` contains `text` (Playwright's auto-waiting, without its test runner). */
export async function waitForText(
  locator: import("playwright-core").Locator,
  text: string | RegExp,
  timeout = 15_000,
): Promise<void> {
  try {
    await locator.filter({ hasText: text }).first().waitFor({ state: "visible", timeout });
  } catch (error) {
    // Say what the page showed instead: the element's text and any alert (an API error shown to the user).
    const page = locator.page();
    const shown = await locator.first().textContent({ timeout: 1_000 }).catch(() => null);
    const alerts = await page.getByRole("alert").allTextContents().catch(() => []);
    throw new Error(
      `Waited ${timeout} ms for ${String(text)} at ${page.url()}; the element shows ${JSON.stringify(shown)}; alerts: ${JSON.stringify(alerts)}`,
      { cause: error },
    );
  }
}
