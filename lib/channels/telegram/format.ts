import type { Nodes, Parents, RootContent, Table } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

// Markdown (GFM) → Telegram text + MessageEntity list. Entities instead of MarkdownV2/HTML parse modes because those
// reject the whole message on one unescaped character; entities never need escaping, so any model reply can be sent.

/** Telegram's limit on a message's text, after entity parsing. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** A Telegram MessageEntity; `offset` and `length` are in UTF-16 code units, which is what JavaScript strings index. */
export type TelegramEntity = {
  type: "bold" | "italic" | "strikethrough" | "code" | "pre" | "text_link" | "blockquote";
  offset: number;
  length: number;
  url?: string;
  language?: string;
};

export type FormattedText = { text: string; entities: TelegramEntity[] };

type EntityOptions = Pick<TelegramEntity, "url" | "language">;

type OpenEntity = { type: TelegramEntity["type"]; options: EntityOptions; start: number | undefined };

// Accumulates text and entities. Separators and indentation are written lazily, just before the next content, so
// blocks that render to nothing leave no stray blank lines, and an entity starts at its first character rather than
// at the separator in front of it (an entity opened before content records its start on the first write).
class Builder {
  text = "";
  readonly entities: TelegramEntity[] = [];
  private readonly open: OpenEntity[] = [];
  private pendingBreak = "";
  private atLineStart = false;
  private indent = "";
  // Inside a pre block the code is kept as-is: list indentation is not added to its lines.
  private verbatim = 0;

  /** Ensures `separator` ("\n" or "\n\n") stands between what is written so far and what comes next. */
  requestBreak(separator: string): void {
    if (separator.length > this.pendingBreak.length) this.pendingBreak = separator;
  }

  write(value: string): void {
    const lines = value.split("\n");
    lines.forEach((line, index) => {
      if (index > 0) {
        this.flush({ withIndent: false });
        this.text += "\n";
        this.atLineStart = true;
      }
      if (line !== "") {
        this.flush({ withIndent: true });
        this.text += line;
      }
    });
  }

  private flush({ withIndent }: { withIndent: boolean }): void {
    if (this.pendingBreak !== "") {
      if (this.text !== "") {
        this.text += this.pendingBreak;
        this.atLineStart = true;
      }
      this.pendingBreak = "";
    }
    if (withIndent && this.atLineStart) {
      if (this.verbatim === 0) this.text += this.indent;
      this.atLineStart = false;
    }
    for (const entity of this.open) entity.start ??= this.text.length;
  }

  /** Wraps what `render` writes in an entity; an entity around nothing is dropped (Telegram rejects length 0). */
  wrap(type: TelegramEntity["type"], options: EntityOptions, render: () => void): void {
    const entity: OpenEntity = { type, options, start: undefined };
    this.open.push(entity);
    if (type === "pre") this.verbatim++;
    render();
    if (type === "pre") this.verbatim--;
    this.open.pop();
    if (entity.start === undefined || this.text.length === entity.start) return;
    this.entities.push({ type, offset: entity.start, length: this.text.length - entity.start, ...options });
  }

  /** Renders `render` with continuation lines indented by `extra` more spaces. */
  indented(extra: string, render: () => void): void {
    const outer = this.indent;
    this.indent = outer + extra;
    render();
    this.indent = outer;
  }
}

const LINK_PROTOCOLS = new Set(["http:", "https:", "tg:", "mailto:"]);

// Telegram rejects or drops a text_link whose URL it cannot parse, so only well-formed URLs of the schemes it opens become
// links. A URL with spaces or non-ASCII characters is sent in its normalized form (percent-encoded, punycode host).
function linkUrl(url: string): string | null {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (!parsed || !LINK_PROTOCOLS.has(parsed.protocol)) return null;
  if ((parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.hostname === "") return null;
  if (parsed.href.length <= parsed.protocol.length) return null;
  return /^[\x21-\x7e]+$/.test(url) ? url : parsed.href;
}

function plainText(node: Nodes): string {
  if ("value" in node) return node.value;
  if (node.type === "image" || node.type === "imageReference") return node.alt ?? "";
  if ("children" in node) return node.children.map(plainText).join("");
  return "";
}

// Autolinks and bare URLs: Telegram links these by itself, so they stay plain text.
function isAutolink(text: string, url: string): boolean {
  return url === text || url === `http://${text}` || url === `https://${text}` || url === `mailto:${text}`;
}

const FORMATTING_TYPES = new Set<TelegramEntity["type"]>(["bold", "italic", "strikethrough"]);

class Renderer {
  private readonly out = new Builder();
  private readonly definitions = new Map<string, string>();
  private quoteDepth = 0;
  private linkDepth = 0;

  constructor(private readonly source: string) {}

  run(root: Parents): FormattedText {
    this.collectDefinitions(root);
    this.blocks(root.children, "\n\n");
    return finish(this.out.text, this.out.entities);
  }

  private collectDefinitions(node: Nodes): void {
    if (node.type === "definition" && !this.definitions.has(node.identifier)) {
      this.definitions.set(node.identifier, node.url);
    }
    if ("children" in node) for (const child of node.children) this.collectDefinitions(child);
  }

  private blocks(children: RootContent[], separator: string): void {
    const before = this.out.text.length;
    for (const child of children) {
      if (this.out.text.length > before) this.out.requestBreak(separator);
      this.node(child);
    }
  }

  private inline(children: RootContent[]): void {
    for (const child of children) this.node(child);
  }

  // The source text of a node, for constructs whose rendering would lose characters (`[]()` is a link with no text).
  private sourceOf(node: Nodes): string {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    return start === undefined || end === undefined ? "" : this.source.slice(start, end);
  }

  private node(node: RootContent): void {
    const out = this.out;
    switch (node.type) {
      case "paragraph":
        this.inline(node.children);
        return;
      case "heading":
        out.wrap("bold", {}, () => this.inline(node.children));
        return;
      case "thematicBreak":
        out.write("———");
        return;
      case "blockquote":
        // Telegram rejects a blockquote inside a blockquote: inner quotes merge into the outer one.
        this.quoteDepth++;
        if (this.quoteDepth === 1) out.wrap("blockquote", {}, () => this.blocks(node.children, "\n\n"));
        else this.blocks(node.children, "\n\n");
        this.quoteDepth--;
        return;
      case "list": {
        const separator = node.spread || node.children.some((item) => item.spread) ? "\n\n" : "\n";
        const start = node.start ?? 1;
        node.children.forEach((item, index) => {
          if (index > 0) out.requestBreak(separator);
          const box = item.checked === true ? "☑ " : item.checked === false ? "☐ " : "";
          const marker = node.ordered ? `${start + index}. ${box}` : box || "• ";
          this.item(marker, item.children, item.spread ? "\n\n" : "\n");
        });
        return;
      }
      case "footnoteDefinition":
        this.item(`[^${node.label ?? node.identifier}]: `, node.children, "\n\n");
        return;
      case "code":
        out.wrap("pre", node.lang ? { language: node.lang } : {}, () => out.write(node.value));
        return;
      case "table":
        // Telegram has no tables; a monospaced block keeps the columns readable.
        out.wrap("pre", {}, () => out.write(tableText(node)));
        return;
      case "html":
        out.write(node.value);
        return;
      case "text":
        out.write(node.value);
        return;
      case "emphasis":
        out.wrap("italic", {}, () => this.inline(node.children));
        return;
      case "strong":
        out.wrap("bold", {}, () => this.inline(node.children));
        return;
      case "delete":
        out.wrap("strikethrough", {}, () => this.inline(node.children));
        return;
      case "inlineCode":
        // Telegram forbids code inside a link; the link matters more, so its code is plain text there.
        if (this.linkDepth > 0) out.write(node.value);
        else out.wrap("code", {}, () => out.write(node.value));
        return;
      case "break":
        out.write("\n");
        return;
      case "link":
        this.link(node, node.url);
        return;
      case "linkReference":
        this.link(node, this.definitions.get(node.identifier) ?? "");
        return;
      case "image":
        this.image(node, node.alt ?? "", node.url);
        return;
      case "imageReference":
        this.image(node, node.alt ?? "", this.definitions.get(node.identifier) ?? "");
        return;
      case "footnoteReference":
        out.write(`[^${node.label ?? node.identifier}]`);
        return;
      case "definition":
        return;
      default: {
        // Nodes of extensions not enabled here (yaml, mdx, math…): keep their text rather than drop it.
        const unknown = node as Nodes;
        if ("children" in unknown) this.blocks(unknown.children as RootContent[], "\n\n");
        else if ("value" in unknown) out.write(unknown.value);
      }
    }
  }

  private item(marker: string, children: RootContent[], separator: string): void {
    this.out.write(marker);
    // Continuation lines and nested lists sit 2 spaces deeper than the item's marker.
    this.out.indented("  ", () => this.blocks(children, separator));
  }

  private link(node: Extract<Nodes, { type: "link" | "linkReference" }>, url: string): void {
    const text = plainText(node);
    if (text === "") {
      this.out.write(this.sourceOf(node));
      return;
    }
    const href = linkUrl(url);
    if (href === null || isAutolink(text, url)) {
      this.inline(node.children);
      return;
    }
    this.linkDepth++;
    this.out.wrap("text_link", { url: href }, () => this.inline(node.children));
    this.linkDepth--;
  }

  private image(node: Nodes, alt: string, url: string): void {
    if (alt === "" && url === "") this.out.write(this.sourceOf(node));
    else if (alt === "") this.out.write(url);
    else if (url === "") this.out.write(alt);
    else this.out.write(`${alt} (${url})`);
  }
}

function tableText(table: Table): string {
  const rows = table.children.map((row) => row.children.map((cell) => plainText(cell).replace(/\n/g, " ")));
  const columns = Math.max(0, ...rows.map((row) => row.length));
  // Widths in code points: close enough for a monospaced font outside CJK, and never splits a character.
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(1, ...rows.map((row) => [...(row[column] ?? "")].length)),
  );
  const line = (cells: string[]) =>
    widths
      .map((width, column) => {
        const cell = cells[column] ?? "";
        return column === columns - 1 ? cell : cell + " ".repeat(width - [...cell].length);
      })
      .join(" | ")
      .trimEnd();
  const lines = rows.map(line);
  const rule = widths.map((width) => "-".repeat(width)).join("-|-");
  lines.splice(1, 0, rule);
  return lines.join("\n");
}

// Telegram allows bold/italic/strikethrough around anything but code and pre, so they are cut around those.
function cutAroundCode(entities: TelegramEntity[]): TelegramEntity[] {
  const code = entities.filter((entity) => entity.type === "code" || entity.type === "pre");
  if (code.length === 0) return entities;
  const result: TelegramEntity[] = [];
  for (const entity of entities) {
    if (!FORMATTING_TYPES.has(entity.type)) {
      result.push(entity);
      continue;
    }
    let start = entity.offset;
    const end = entity.offset + entity.length;
    for (const hole of code) {
      const holeEnd = hole.offset + hole.length;
      if (hole.offset < start || holeEnd > end) continue;
      if (hole.offset > start) result.push({ ...entity, offset: start, length: hole.offset - start });
      start = Math.max(start, holeEnd);
    }
    if (end > start) result.push({ ...entity, offset: start, length: end - start });
  }
  return result;
}

function byPosition(a: TelegramEntity, b: TelegramEntity): number {
  return a.offset - b.offset || b.length - a.length;
}

function finish(raw: string, entities: TelegramEntity[]): FormattedText {
  const text = raw.trimEnd();
  const clipped = clip(entities, 0, text.length);
  // Entities are recorded as they close, inner first; reversed, a stable sort puts the outer of two equal ranges first.
  return { text, entities: cutAroundCode(clipped).reverse().sort(byPosition) };
}

// The entities' parts within [start, end), rebased to start; empty parts are dropped.
function clip(entities: TelegramEntity[], start: number, end: number): TelegramEntity[] {
  const result: TelegramEntity[] = [];
  for (const entity of entities) {
    const from = Math.max(entity.offset, start);
    const to = Math.min(entity.offset + entity.length, end);
    if (to > from) result.push({ ...entity, offset: from - start, length: to - from });
  }
  return result;
}

/** Renders a Markdown (GFM) reply as Telegram text + entities. Never throws: unparseable input comes back as-is. */
export function markdownToTelegram(markdown: string): FormattedText {
  try {
    // The parser keeps "\r\n" inside text nodes; Telegram needs only "\n".
    const source = markdown.replace(/\r\n?/g, "\n");
    const root = fromMarkdown(source, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
    return new Renderer(source).run(root);
  } catch {
    // Deeply nested input can exhaust the stack; the raw reply is still worth sending.
    return { text: markdown.trimEnd(), entities: [] };
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

// The largest cut ≤ `at` that does not separate the two halves of a surrogate pair.
function safeCut(text: string, at: number): number {
  if (at > 0 && at < text.length && isHighSurrogate(text.charCodeAt(at - 1)) && isLowSurrogate(text.charCodeAt(at))) {
    return at - 1;
  }
  return at;
}

const SPLIT_SEPARATORS = ["\n\n", "\n", " "];

// Where to end a part starting at `start`: the last paragraph break, else newline, else space, that keeps the part
// within `limit`. A separator in the window's second half wins over a better kind in its first half, so one early
// paragraph break does not leave a tiny part.
function splitPoint(text: string, start: number, limit: number): number {
  const max = start + limit;
  for (const minimum of [start + Math.floor(limit / 2), start + 1]) {
    for (const separator of SPLIT_SEPARATORS) {
      const at = text.lastIndexOf(separator, max);
      if (at >= minimum) return at;
    }
  }
  return safeCut(text, max);
}

function skipWhitespace(text: string, from: number): number {
  let at = from;
  while (at < text.length && /\s/.test(text[at] ?? "")) at++;
  return at;
}

/**
 * Splits formatted text into messages of at most `limit` UTF-16 code units, at a paragraph break, newline or space
 * when one is in reach. Entities crossing a cut continue in the next part; whitespace at the cuts is dropped.
 * Returns no parts for text that is empty or only whitespace.
 */
export function splitFormatted(formatted: FormattedText, limit = TELEGRAM_TEXT_LIMIT): FormattedText[] {
  // Below 2 a part could not hold an emoji without splitting its surrogate pair.
  if (!Number.isInteger(limit) || limit < 2) throw new RangeError(`limit must be an integer ≥ 2, got ${limit}`);
  const { text, entities } = formatted;
  const parts: FormattedText[] = [];
  let start = skipWhitespace(text, 0);
  while (start < text.length) {
    const cut = text.length - start <= limit ? text.length : splitPoint(text, start, limit);
    const partText = text.slice(start, cut).trimEnd();
    parts.push({ text: partText, entities: clip(entities, start, start + partText.length) });
    start = skipWhitespace(text, cut);
  }
  return parts;
}

/**
 * The raw text of a reply still streaming (no entities: its Markdown may be cut mid-construct), shortened to `limit`
 * UTF-16 code units with a trailing "…" when too long, never splitting a surrogate pair.
 */
export function plainPreview(text: string, limit = TELEGRAM_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  if (limit < 1) return "";
  return `${text.slice(0, safeCut(text, limit - 1))}…`;
}
