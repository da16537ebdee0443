import { readFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, type BrowserContext, type Page, request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { baseURL, launch, newContext, seriousViolations, signIn, waitForText } from "./browser";

// The Secretariat imports support requests from a CSV written here (one row broken), and registers an
// integration client whose secret is shown once and really works at /oauth/token; the client subscribes to
// webhooks at a receiver started here, and the Secretariat pings it and reads the delivery log.
const stamp = Date.now().toString(36);
const GOOD_TITLE = `Training of eligibility officers ${stamp}`;
const CSV = [
  "External ID,Country,Title,Status,Urgency,Languages,Start date,End date,Public summary,Component,Area,Modalities,Support types,Component description",
  `E2E-${stamp}-1,MEX,${GOOD_TITLE},draft,high,es,01/03/2027,2027-12-31,Support to first-instance decisions,1,procedures.rsd,training,technical,Interview techniques`,
  `E2E-${stamp}-2,Mexico,Registration backlog ${stamp},draft,normal,es,2027-04-01,2027-10-31,Clearing the backlog,1,procedures.nowhere,training,technical,Backlog`,
].join("\r\n");

function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/** A webhook receiver on a free local port: answers 204 and keeps the headers of what it received. */
function receiver(): Promise<{ server: Server; url: string; received: IncomingHttpHeaders[] }> {
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received.push(req.headers);
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/acsg`, received })),
  );
}

describe("imports and integration clients", () => {
  let browser: Browser;
  let secretariat: BrowserContext;
  let hooks: Awaited<ReturnType<typeof receiver>>;

  beforeAll(async () => {
    hooks = await receiver();
    browser = await launch();
    secretariat = await newContext(browser);
    const page = await secretariat.newPage();
    await signIn(page, "secretariat@acsg.demo");
    await page.close();
  });
  afterAll(async () => {
    await browser.close();
    await new Promise((done) => hooks.server.close(done));
  });

  test("downloads a template, checks a CSV with a broken row, imports the valid rows", async () => {
    const page = await secretariat.newPage();
    const errors = watch(page);
    await page.goto("/");
    await page.getByRole("link", { name: "Imports" }).click();
    await waitForText(page.getByRole("heading", { level: 1 }), "Bulk imports");

    await page.getByRole("combobox", { name: "What to import" }).click();
    await page.getByRole("option", { name: "Support requests" }).click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "CSV template" }).click()]);
    expect(download.suggestedFilename()).toBe("acsg-requests-template-en.csv");
    const template = await readFile(await download.path(), "utf8");
    expect(template.replace(/^\uFEFF/, "").split(/\r?\n/)[0]).toMatch(/^External ID,.*Country,.*Title,.*Area,/);
    expect(await seriousViolations(page)).toEqual([]);

    await page.locator('input[type="file"]').setInputFiles({ name: "requests.csv", mimeType: "text/csv", buffer: Buffer.from(CSV, "utf8") });
    await page.getByRole("button", { name: "Check the file" }).click();
    const report = page.getByTestId("import-report");
    await report.waitFor();
    await waitForText(page.getByTestId("job-status"), "Errors found");
    const broken = page.getByTestId("issue-row").filter({ hasText: "procedures.nowhere" });
    const cells = await broken.getByRole("cell").allTextContents();
    expect(cells.slice(0, 3)).toEqual(["3", "Area", "procedures.nowhere"]);
    expect(cells[3]).toMatch(/not an accepted value/);
    expect(cells[4]).toBe("Error");
    await waitForText(page.getByTestId("count-created"), "1");
    await waitForText(page.getByTestId("count-rejected"), "1");
    expect(await seriousViolations(page)).toEqual([]);

    // Nothing written by the check.
    const before = await page.request.get(`/api/v1/support-requests?q=${encodeURIComponent(stamp)}`);
    expect(((await before.json()) as { total: number }).total).toBe(0);

    expect(await page.getByRole("radio", { name: "Valid rows only" }).isChecked()).toBe(true);
    await page.getByRole("button", { name: "Import 1 record" }).click();
    await waitForText(page.getByTestId("job-outcome"), "Import finished: 1 created, 0 updated, 0 unchanged, 1 rejected.");
    await page.getByTestId("rejected-rows-link").first().waitFor();
    await waitForText(page.getByTestId("recent-job").first(), "1 created");

    const after = await page.request.get(`/api/v1/support-requests?q=${encodeURIComponent(stamp)}`);
    const found = (await after.json()) as { total: number; items: { title: string }[] };
    expect(found.total).toBe(1);
    expect(found.items[0]?.title).toBe(GOOD_TITLE);

    // The job keeps its report on its own page.
    await page.getByTestId("recent-job").first().getByRole("link").click();
    await waitForText(page.getByRole("heading", { level: 1 }), "Import");
    await waitForText(page.getByTestId("job-outcome"), "Import finished: 1 created");
    await waitForText(page.getByTestId("issue-row"), "procedures.nowhere");
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("registers an integration client, sees its secret once, pings its webhook and reads the delivery log", async () => {
    const page = await secretariat.newPage();
    const errors = watch(page);
    const name = `GRF pledge platform ${stamp}`;
    await page.goto("/admin/integrations");
    await waitForText(page.getByRole("heading", { level: 1 }), "Integration clients");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Register a client" }).click();
    const dialog = page.getByRole("dialog", { name: "Register a client" });
    await dialog.getByRole("textbox", { name: /^Name/ }).fill(name);
    await dialog.getByRole("textbox", { name: "Description" }).fill("Pushes GRF pledges");
    await dialog.getByRole("combobox", { name: /^Scopes/ }).click();
    await page.getByRole("option", { name: /^pledges:write/ }).click();
    await page.getByRole("option", { name: /^pledges:read/ }).click();
    await page.getByRole("option", { name: /^webhooks:manage/ }).click();
    await dialog.getByRole("textbox", { name: /^Name/ }).click(); // closes the list
    await dialog.getByRole("button", { name: "Register" }).click();

    const shown = page.getByTestId("secret-once");
    await shown.waitFor();
    await waitForText(shown, "This is the only time the secret");
    const clientId = await shown.getByRole("textbox", { name: "Client ID" }).inputValue();
    const secret = await shown.getByRole("textbox", { name: "Client secret" }).inputValue();
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(secret.length).toBeGreaterThanOrEqual(24);
    expect(await seriousViolations(page)).toEqual([]);

    // The secret shown is the real one: the client credentials flow accepts it.
    const token = await page.request.post("/api/v1/oauth/token", {
      form: { grant_type: "client_credentials", client_id: clientId, client_secret: secret },
    });
    expect(token.status()).toBe(200);
    const { access_token: accessToken, scope } = (await token.json()) as { access_token: string; scope: string };
    expect(scope.split(" ").sort()).toEqual(["pledges:read", "pledges:write", "webhooks:manage"]);

    const done = shown.getByRole("button", { name: "Done" });
    expect(await done.isDisabled()).toBe(true);
    await shown.getByRole("checkbox", { name: "I have stored the secret in a safe place" }).check();
    await done.click();
    await shown.waitFor({ state: "detached" });
    const row = page.getByTestId("client-row").filter({ hasText: name });
    await waitForText(row, "Active");
    expect(await page.content()).not.toContain(secret);

    // Its page shows the secret's prefix only.
    await row.getByRole("link", { name }).click();
    await waitForText(page.getByRole("heading", { level: 1 }), name);
    await waitForText(page.getByTestId("client-details"), clientId);
    expect(await page.content()).not.toContain(secret);
    await waitForText(page.getByTestId("no-subscriptions"), "no webhook subscription yet");
    expect(await seriousViolations(page)).toEqual([]);

    // The client subscribes with its own token (as the GRF platform would) ...
    const asClient = await request.newContext({ baseURL: baseURL(), extraHTTPHeaders: { Authorization: `Bearer ${accessToken}` } });
    const created = await asClient.post("/api/v1/webhooks/subscriptions", {
      data: { url: hooks.url, event_types: ["pledge.*"], description: `GRF receiver ${stamp}` },
    });
    expect(created.status()).toBe(201);
    await asClient.dispose();

    // ... and the Secretariat sees the subscription, pings it and reads the delivery log.
    await page.reload();
    const card = page.getByTestId("subscription");
    await waitForText(card.getByTestId("subscription-url"), hooks.url);
    await card.getByRole("button", { name: "Send a test ping" }).click();
    await waitForText(card.getByTestId("ping-outcome"), "Ping delivered: the receiver answered HTTP 204.");
    expect(hooks.received).toHaveLength(1);
    expect(hooks.received[0]?.["webhook-id"]).toMatch(/^msg_/);
    expect(hooks.received[0]?.["webhook-signature"]).toMatch(/^v1,/);
    await card.getByRole("button", { name: "Show the delivery log" }).click();
    const logged = card.getByTestId("delivery-row").first();
    await waitForText(logged, "ping");
    await waitForText(logged.getByTestId("delivery-status"), "Delivered");
    expect(await logged.getByRole("cell").nth(4).textContent()).toBe("204");
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
