import { MantineProvider } from "@mantine/core";
import { render } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { theme } from "@/App";
import { pageBodyHtml } from "@/features/knowledge/KnowledgeItemPage";
import { isSafeUrl, parseInline, parseMarkdown, urlScheme } from "@/features/knowledge/markdown";
import { MarkdownPreview } from "@/features/knowledge/MarkdownPreview";
import { Snippet } from "@/features/knowledge/parts";

function preview(source: string): HTMLElement {
  const { container } = render(
    <MantineProvider theme={theme}>
      <MarkdownPreview source={source} />
    </MantineProvider>,
  );
  return container;
}

describe("the editor's Markdown reader", () => {
  test("blocks: headings, paragraphs, lists, quotes, code, rules", () => {
    const blocks = parseMarkdown("## What was done\n\nCOMAR created a **COI unit**.\nIt answers questions.\n\n- one\n- two\n\n3. three\n4. four\n\n> quoted\n\n```\ncode <b>\n```\n\n---");
    expect(blocks.map((b) => b.type)).toEqual(["heading", "paragraph", "list", "list", "quote", "code", "rule"]);
    expect(blocks[0]).toMatchObject({ type: "heading", level: 2 });
    expect(blocks[3]).toMatchObject({ type: "list", ordered: true, start: 3 });
    expect(blocks[5]).toEqual({ type: "code", text: "code <b>" });
  });

  test("inline: emphasis, code, links, escapes, snake_case left alone", () => {
    expect(parseInline("**bold** and *em* and `x*y`")).toEqual([
      { type: "strong", children: [{ type: "text", text: "bold" }] },
      { type: "text", text: " and " },
      { type: "em", children: [{ type: "text", text: "em" }] },
      { type: "text", text: " and " },
      { type: "code", text: "x*y" },
    ]);
    expect(parseInline("see [UNHCR](https://www.refworld.org)")).toEqual([
      { type: "text", text: "see " },
      { type: "link", href: "https://www.refworld.org", children: [{ type: "text", text: "UNHCR" }] },
    ]);
    expect(parseInline("area_code_value and \\*not em\\*")).toEqual([{ type: "text", text: "area_code_value and *not em*" }]);
  });

  test("link targets: web, mail and relative only, whatever the disguise", () => {
    expect(urlScheme("https://x.org")).toBe("https");
    expect(urlScheme("/knowledge/1")).toBeNull();
    expect(urlScheme("java\tscript:alert(1)")).toBe("javascript");
    expect(urlScheme("java%09script:alert(1)")).toBe("");
    for (const bad of ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "java\nscript:alert(1)", "vbscript:x", "data:text/html,<script>", "file:///etc/passwd", "java%09script:x"]) {
      expect(isSafeUrl(bad), bad).toBe(false);
    }
    for (const good of ["https://x.org", "http://x.org", "mailto:acsg@unhcr.org", "/knowledge", "page#part", "?q=1"]) {
      expect(isSafeUrl(good), good).toBe(true);
    }
    expect(isSafeUrl("mailto:x@y.z", true)).toBe(false);
  });

  test("a corpus of injections renders inert", () => {
    const container = preview(
      [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)><circle/></svg>",
        "[click](javascript:alert(1)) [tab](java\tscript:alert(1)) [data](data:text/html,<script>alert(1)</script>)",
        "![pic](javascript:alert(1)) <a href=\"javascript:alert(1)\">a</a>",
        "<iframe src=\"https://evil.example\"></iframe> [ok](https://example.org \"title\")",
        "## <b onmouseover=alert(1)>heading</b>",
      ].join("\n\n"),
    );
    for (const tag of ["script", "img", "svg", "iframe", "b"]) expect(container.querySelector(tag), tag).toBeNull();
    const links = [...container.querySelectorAll("a")];
    expect(links.map((a) => a.getAttribute("href"))).toEqual(["https://example.org"]);
    expect(links[0]?.getAttribute("rel")).toContain("noopener");
    const handlers = [...container.querySelectorAll("*")].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith("on")));
    expect(handlers).toEqual([]);
    // Written markup is shown as the text it is.
    expect(container.textContent).toContain("<script>alert(1)</script>");
    expect(container.textContent).toContain("<img src=x onerror=alert(1)>");
    expect(container.textContent).toContain("click");
  });

  test("headings sit below the page's own", () => {
    const container = preview("# Top\n\n## Sub");
    expect(container.querySelector("h3")?.textContent).toBe("Top");
    expect(container.querySelector("h4")?.textContent).toBe("Sub");
    expect(container.querySelector("h1")).toBeNull();
  });
});

describe("the server's body on the item page", () => {
  test("headings are placed under the page's h1; escaped text is left alone", () => {
    const html = "<h1>Top</h1>\n<p>&lt;h1&gt;not a tag&lt;/h1&gt;</p>\n<h2>Sub</h2><h6>Deep</h6>";
    expect(pageBodyHtml(html)).toBe("<h2>Top</h2>\n<p>&lt;h1&gt;not a tag&lt;/h1&gt;</p>\n<h2>Sub</h2><h6>Deep</h6>");
    expect(pageBodyHtml(html, 3)).toBe("<h3>Top</h3>\n<p>&lt;h1&gt;not a tag&lt;/h1&gt;</p>\n<h3>Sub</h3><h6>Deep</h6>");
  });
});

describe("search snippets", () => {
  test("matched words in <mark>; the parts are text, never HTML", () => {
    const { container } = render(
      <p>
        <Snippet
          parts={[
            { text: "La COMAR creó una unidad de ", highlight: false },
            { text: "información", highlight: true },
            { text: " <img src=x onerror=alert(1)> de ", highlight: false },
            { text: "<b>países</b>", highlight: true },
          ]}
        />
      </p>,
    );
    const marks = [...container.querySelectorAll("mark")].map((m) => m.textContent);
    expect(marks).toEqual(["información", "<b>países</b>"]);
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("b")).toBeNull();
    expect(container.textContent).toBe("La COMAR creó una unidad de información <img src=x onerror=alert(1)> de <b>países</b>");
  });
});
