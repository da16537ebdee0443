import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { newContext, launch, seriousViolations, signIn, waitForText } from "./browser";

// The knowledge base in Spanish: a visitor finds a good practice without typing accents; a State focal point
// writes a new one with a PDF attached; the Secretariat publishes it; visitors then find it. In order.
const LOCALE = "es-ES";
// A made-up word (letters only, so every stemmer keeps it whole) makes the new item easy to find.
const WORD = `zq${Date.now().toString(36).replace(/[0-9]/g, (d) => "abcdefghij"[Number(d)] ?? "x")}`;
const TITLE = `Entrevistas móviles en la frontera norte ${WORD}`;
const SUMMARY = `Equipos móviles de la COMAR realizan entrevistas de elegibilidad cerca de la frontera (${WORD}).`;
const DEMO_TITLE_ES = "Una unidad de información de países de origen en la COMAR";

/** A one-page PDF, built here with correct cross-reference offsets. */
function smallPdf(text: string): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    (() => {
      const stream = `BT /F1 12 Tf 24 72 Td (${text.replace(/[()\\]/g, "")}) Tj ET`;
      return `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
    })(),
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(pdf.length);
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, "0")} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, "latin1");
}

async function open(browser: Browser, email?: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await newContext(browser, LOCALE);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  if (email) await signIn(page, email);
  return { context, page, errors };
}

async function search(page: Page, words: string): Promise<void> {
  await page.getByRole("searchbox", { name: "Buscar en la base de conocimientos" }).fill(words);
  await page.getByRole("button", { name: "Buscar", exact: true }).click();
}

describe("knowledge base (Spanish)", () => {
  let browser: Browser;
  let itemPath = "";
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser.close();
  });

  test("a visitor searches without accents and finds the Spanish version of a good practice", async () => {
    const { context, page, errors } = await open(browser);
    await page.goto("/");
    await page.getByRole("link", { name: "Base de conocimientos" }).click();
    await waitForText(page.getByRole("heading", { level: 1 }), "Base de conocimientos");
    await search(page, "informacion de paises de origen");
    const hit = page.getByTestId("knowledge-hit").filter({ hasText: DEMO_TITLE_ES });
    await hit.waitFor();
    // The words are highlighted in the snippet, with their accents.
    await waitForText(hit.locator("mark"), "información");
    await hit.getByTestId("also-available-in").getByRole("link", { name: "English" }).waitFor();
    // The search is in the address: a shared link reopens it.
    const url = new URL(page.url());
    expect(url.pathname).toBe("/knowledge");
    expect(url.searchParams.get("q")).toBe("informacion de paises de origen");
    // Narrow to Spanish items with the language facet.
    await page.getByRole("combobox", { name: "Idioma de la ficha" }).click();
    await page.getByRole("option", { name: /^Español \(\d+\)$/ }).click();
    await page.waitForURL(/language=es/);
    await hit.waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await hit.getByRole("link", { name: DEMO_TITLE_ES }).click();
    await waitForText(page.getByRole("heading", { level: 1 }), DEMO_TITLE_ES);
    const versions = page.getByTestId("also-available-in").first();
    await waitForText(versions, "También disponible en:");
    await versions.getByRole("link", { name: "English" }).waitFor();
    await versions.getByRole("link", { name: "Français" }).waitFor();
    await waitForText(page.getByTestId("item-body"), "Qué se hizo");
    expect(await seriousViolations(page)).toEqual([]);

    // The switch opens the French version.
    await versions.getByRole("link", { name: "Français" }).click();
    await waitForText(page.getByRole("heading", { level: 1 }), "Une unité d'information sur les pays d'origine à la COMAR");
    // The interface stays in Spanish: only the item's language changed.
    await page.getByRole("link", { name: "Base de conocimientos", exact: true }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  test("a State focal point writes a good practice with a PDF attached and submits it", async () => {
    const { context, page, errors } = await open(browser, "comar@acsg.demo");
    await page.goto("/knowledge/drafts");
    await page.getByRole("link", { name: "Nueva ficha" }).click();
    await waitForText(page.getByRole("heading", { level: 1 }), "Nueva ficha de conocimiento");
    await page.getByRole("textbox", { name: /^Título/ }).fill(TITLE);
    await page.getByRole("textbox", { name: /^Resumen/ }).fill(SUMMARY);
    await page.getByRole("textbox", { name: /^Texto \(Markdown\)/ }).fill("## Qué se hizo\n\nUn **equipo móvil** entrevista a las personas solicitantes.\n\n<script>alert(1)</script>");
    await page.getByRole("tab", { name: "Vista previa" }).click();
    await waitForText(page.getByTestId("markdown-preview").locator("strong"), "equipo móvil");
    // Markup typed in the text stays text.
    await waitForText(page.getByTestId("markdown-preview"), "<script>alert(1)</script>");
    await page.getByRole("combobox", { name: "Áreas" }).click();
    await page.getByRole("option", { name: "Acceso al territorio y al procedimiento, derivación" }).click();
    await page.keyboard.press("Escape");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Guardar el borrador" }).click();

    await waitForText(page.getByRole("heading", { level: 1 }), TITLE);
    itemPath = new URL(page.url()).pathname;
    expect(itemPath).toMatch(/^\/knowledge\/[0-9a-f-]{36}$/);
    const panel = page.getByTestId("editor-panel");
    await waitForText(panel, "Borrador");

    // Attach a PDF made here.
    const attachments = page.getByTestId("attachments");
    await attachments.locator('input[type="file"]').setInputFiles({ name: "informe-equipos-moviles.pdf", mimeType: "application/pdf", buffer: smallPdf(`Informe ${WORD}`) });
    await attachments.getByRole("textbox", { name: /^Título \(opcional\)/ }).fill("Informe de los equipos móviles");
    await attachments.getByRole("button", { name: "Subir" }).click();
    const row = attachments.getByTestId("attachment").filter({ hasText: "Informe de los equipos móviles" });
    await row.waitFor();
    await waitForText(row, "PDF");
    expect(await seriousViolations(page)).toEqual([]);

    await panel.getByRole("button", { name: "Enviar a revisión" }).click();
    await waitForText(panel, "En revisión");
    expect(await panel.getByRole("button", { name: "Enviar a revisión" }).count()).toBe(0);
    // In review, the authors can no longer change the files.
    await attachments.getByRole("button", { name: "Subir" }).waitFor({ state: "detached" });
    expect(errors).toEqual([]);
    await context.close();
  });

  test("the Secretariat publishes it from the review queue", async () => {
    expect(itemPath).not.toBe("");
    const { context, page, errors } = await open(browser, "secretariat@acsg.demo");
    await page.getByRole("link", { name: "Revisión de conocimiento" }).click();
    await waitForText(page.getByRole("heading", { level: 1 }), "Revisión de conocimiento");
    const row = page.getByTestId("knowledge-row").filter({ hasText: TITLE });
    await row.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await row.getByRole("button", { name: "Publicar" }).click();
    await row.waitFor({ state: "detached" });
    await page.goto(itemPath);
    await waitForText(page.getByTestId("editor-panel"), "Publicado");
    expect(errors).toEqual([]);
    await context.close();
  });

  test("visitors then find it, with its attachment", async () => {
    const { context, page, errors } = await open(browser);
    await page.goto("/good-practices");
    await waitForText(page.getByRole("heading", { level: 1 }), "Buenas prácticas");
    await search(page, `entrevistas moviles ${WORD}`);
    const hit = page.getByTestId("knowledge-hit").filter({ hasText: TITLE });
    await hit.waitFor();
    await waitForText(hit.locator("mark"), WORD);
    expect(new URL(page.url()).pathname).toBe("/good-practices");
    await hit.getByRole("link", { name: TITLE }).click();
    await waitForText(page.getByRole("heading", { level: 1 }), TITLE);
    expect(await page.getByTestId("editor-panel").count()).toBe(0);
    // The server rendered the Markdown; the script tag is text, not an element.
    await waitForText(page.getByTestId("item-body"), "<script>alert(1)</script>");
    expect(await page.getByTestId("item-body").locator("script").count()).toBe(0);
    const download = page.getByTestId("attachments").getByRole("link", { name: /Informe de los equipos móviles/ });
    const href = await download.getAttribute("href");
    expect(href).toMatch(/^\/api\/v1\/files\/[0-9a-f-]{36}\/content$/);
    const response = await context.request.get(href ?? "");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("application/pdf");
    expect(await page.getByRole("button", { name: "Subir" }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
