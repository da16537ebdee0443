// A small Markdown reader for the editor's preview. It builds a tree of plain data that MarkdownPreview turns
// into React elements, so nothing typed in the editor ever becomes HTML: raw HTML shows as text, and links
// keep only web, mail and relative targets (the rules of the server's renderer, api/knowledge/markdown.py).
// It covers what item bodies use (headings, paragraphs, lists, quotes, code, rules, emphasis, links); the
// published page shows the server's rendering, which follows CommonMark exactly.

export type Inline =
  | { type: "text"; text: string }
  | { type: "code"; text: string }
  | { type: "strong"; children: Inline[] }
  | { type: "em"; children: Inline[] }
  | { type: "link"; href: string; children: Inline[] }
  | { type: "image"; alt: string }
  | { type: "break" };

export type Block =
  | { type: "heading"; level: number; children: Inline[] }
  | { type: "paragraph"; children: Inline[] }
  | { type: "list"; ordered: boolean; start: number; items: Inline[][] }
  | { type: "quote"; children: Block[] }
  | { type: "code"; text: string }
  | { type: "rule" };

const LINK_SCHEMES = new Set(["http", "https", "mailto"]);
const IMAGE_SCHEMES = new Set(["http", "https"]);

/** The scheme a browser would see (`java\tscript:` is `javascript`), null for a relative URL, "" if malformed. */
export function urlScheme(url: string): string | null {
  // Browsers drop ASCII whitespace and control characters inside a URL's scheme.
  // eslint-disable-next-line no-control-regex
  const cleaned = url.replace(/[\u0000-\u0020\u007f]+/g, "");
  const head = cleaned.split(/[/?#]/, 1)[0] ?? "";
  if (!head.includes(":")) return null;
  const found = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(head);
  return found?.[1] ? found[1].toLowerCase() : "";
}

/** Links may point to http(s), mailto or a relative address; images to http(s) or a relative address. */
export function isSafeUrl(url: string, image = false): boolean {
  const scheme = urlScheme(url);
  if (scheme === null) return true;
  return (image ? IMAGE_SCHEMES : LINK_SCHEMES).has(scheme);
}

const ESCAPABLE = "\\`*_{}[]()#+-.!<>|~\"'";

function findClosingBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    const char = text[i];
    if (char === "\\") {
      i += 1;
    } else if (char === "[") {
      depth += 1;
    } else if (char === "]") {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** `(url "title")` right after a link's text: the url and where the destination ends, or null. */
function linkDestination(text: string, start: number): { url: string; end: number } | null {
  if (text[start] !== "(") return null;
  let depth = 0;
  for (let i = start; i < text.length; i += 1) {
    const char = text[i];
    if (char === "\\") i += 1;
    else if (char === "(") depth += 1;
    else if (char === ")") {
      depth -= 1;
      if (depth === 0) {
        const inner = text.slice(start + 1, i).trim();
        // `<url with spaces>`, or a url without spaces; then nothing or a quoted title (else it is no link).
        const found = /^(?:<([^<>\n]*)>|(\S*))(?:\s+("[^"]*"|'[^']*'|\([^()]*\)))?$/.exec(inner);
        if (!found) return null;
        return { url: found[1] ?? found[2] ?? "", end: i + 1 };
      }
    } else if (char === "\n" && text[i + 1] === "\n") return null;
  }
  return null;
}

function isSpace(char: string | undefined): boolean {
  return char === undefined || /\s/.test(char);
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}]/u.test(char);
}

/** The position of the delimiter closing an emphasis opened at `from` (not after a space), or -1. */
function findClosingDelimiter(text: string, from: number, delimiter: string): number {
  for (let i = from; i <= text.length - delimiter.length; i += 1) {
    const char = text[i];
    if (char === "\\") {
      i += 1;
      continue;
    }
    if (char === "`") {
      const run = /^`+/.exec(text.slice(i))?.[0] ?? "`";
      const close = text.indexOf(run, i + run.length);
      if (close >= 0) i = close + run.length - 1;
      continue;
    }
    if (text.startsWith(delimiter, i) && !isSpace(text[i - 1]) && i > from) {
      // A single `*` must not be half of a `**`; `_` closes only at the end of a word.
      if (delimiter.length === 1 && text[i + 1] === delimiter[0]) {
        i += 1;
        continue;
      }
      if (delimiter[0] === "_" && isWordChar(text[i + delimiter.length])) continue;
      return i;
    }
  }
  return -1;
}

export function parseInline(text: string): Inline[] {
  const nodes: Inline[] = [];
  let buffer = "";
  const flush = () => {
    if (buffer) nodes.push({ type: "text", text: buffer });
    buffer = "";
  };
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    const rest = text.slice(i);
    if (char === "\\" && i + 1 < text.length) {
      const next = text[i + 1] as string;
      if (next === "\n") {
        flush();
        nodes.push({ type: "break" });
        i += 2;
        continue;
      }
      if (ESCAPABLE.includes(next)) {
        buffer += next;
        i += 2;
        continue;
      }
    }
    if (char === "`") {
      const run = /^`+/.exec(rest)?.[0] ?? "`";
      const close = text.indexOf(run, i + run.length);
      if (close >= 0) {
        flush();
        nodes.push({ type: "code", text: text.slice(i + run.length, close).replace(/\n/g, " ").trim() || " " });
        i = close + run.length;
        continue;
      }
      buffer += run;
      i += run.length;
      continue;
    }
    if (char === "!" && text[i + 1] === "[") {
      const close = findClosingBracket(text, i + 1);
      const destination = close >= 0 ? linkDestination(text, close + 1) : null;
      if (destination) {
        flush();
        nodes.push({ type: "image", alt: text.slice(i + 2, close) });
        i = destination.end;
        continue;
      }
    }
    if (char === "[") {
      const close = findClosingBracket(text, i);
      const destination = close >= 0 ? linkDestination(text, close + 1) : null;
      if (destination) {
        flush();
        const children = parseInline(text.slice(i + 1, close));
        // An unsafe target is not linked: its text is shown as plain text (like the server).
        if (isSafeUrl(destination.url)) nodes.push({ type: "link", href: destination.url, children });
        else nodes.push(...children);
        i = destination.end;
        continue;
      }
    }
    if (char === "<") {
      const auto = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/i.exec(rest);
      if (auto?.[1]) {
        flush();
        nodes.push({ type: "link", href: auto[1], children: [{ type: "text", text: auto[1] }] });
        i += auto[0].length;
        continue;
      }
    }
    if ((char === "*" || char === "_") && !isSpace(text[i + 1])) {
      const double = text[i + 1] === char;
      const delimiter = double ? char + char : char;
      const opensInWord = char === "_" && isWordChar(text[i - 1]);
      if (!opensInWord && !(double && isSpace(text[i + 2]))) {
        const close = findClosingDelimiter(text, i + delimiter.length, delimiter);
        if (close >= 0) {
          flush();
          const children = parseInline(text.slice(i + delimiter.length, close));
          nodes.push(double ? { type: "strong", children } : { type: "em", children });
          i = close + delimiter.length;
          continue;
        }
      }
    }
    if (char === "\n") {
      if (/ {2,}$/.test(buffer)) {
        buffer = buffer.replace(/ +$/, "");
        flush();
        nodes.push({ type: "break" });
      } else {
        buffer = `${buffer.replace(/ +$/, "")} `;
      }
      i += 1;
      continue;
    }
    buffer += char;
    i += 1;
  }
  flush();
  return nodes;
}

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const BULLET = /^ {0,3}[-*+][ \t]+(.*)$/;
const ORDERED = /^ {0,3}(\d{1,9})[.)][ \t]+(.*)$/;
const QUOTE = /^ {0,3}> ?(.*)$/;

function startsBlock(line: string): boolean {
  return HEADING.test(line) || RULE.test(line) || FENCE.test(line) || BULLET.test(line) || ORDERED.test(line) || QUOTE.test(line);
}

export function parseMarkdown(source: string): Block[] {
  const lines = source
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/^\t+/, (tabs) => "    ".repeat(tabs.length)));
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (!line.trim()) {
      i += 1;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence?.[1]) {
      const marker = fence[1];
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !(lines[i] as string).trimStart().startsWith(marker)) {
        body.push(lines[i] as string);
        i += 1;
      }
      i += 1; // the closing fence (or the end of the text)
      blocks.push({ type: "code", text: body.join("\n") });
      continue;
    }
    if (/^ {4}/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && (/^ {4}/.test(lines[i] as string) || !(lines[i] as string).trim())) {
        body.push((lines[i] as string).slice(4));
        i += 1;
      }
      while (body.length && !body[body.length - 1]?.trim()) body.pop();
      blocks.push({ type: "code", text: body.join("\n") });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading?.[1]) {
      blocks.push({ type: "heading", level: heading[1].length, children: parseInline(heading[2] ?? "") });
      i += 1;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ type: "rule" });
      i += 1;
      continue;
    }
    if (QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && (lines[i] as string).trim()) {
        const quoted = QUOTE.exec(lines[i] as string);
        inner.push(quoted ? (quoted[1] ?? "") : (lines[i] as string));
        i += 1;
      }
      blocks.push({ type: "quote", children: parseMarkdown(inner.join("\n")) });
      continue;
    }
    const bullet = BULLET.test(line);
    const ordered = ORDERED.exec(line);
    if (bullet || ordered) {
      const pattern = bullet ? BULLET : ORDERED;
      const items: string[][] = [];
      while (i < lines.length) {
        const current = lines[i] as string;
        const match = pattern.exec(current);
        if (match) {
          items.push([(bullet ? match[1] : match[2]) ?? ""]);
        } else if (current.trim() && !startsBlock(current)) {
          items[items.length - 1]?.push(current.trim()); // a continuation line of the item
        } else if (!current.trim() && pattern.test(lines[i + 1] ?? "")) {
          // a blank line between items of the same list
        } else {
          break;
        }
        i += 1;
      }
      blocks.push({
        type: "list",
        ordered: !bullet,
        start: ordered ? Number(ordered[1]) : 1,
        items: items.map((item) => parseInline(item.join("\n"))),
      });
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && (lines[i] as string).trim() && (paragraph.length === 0 || !startsBlock(lines[i] as string))) {
      paragraph.push((lines[i] as string).replace(/^ +/, ""));
      i += 1;
    }
    blocks.push({ type: "paragraph", children: parseInline(paragraph.join("\n").replace(/ +$/, "")) });
  }
  return blocks;
}
