import { describe, expect, it, vi } from "vitest";
import { mulberry32 } from "@/test/random-text";
import {
  type FormattedText,
  markdownToTelegram,
  plainPreview,
  splitFormatted,
  TELEGRAM_TEXT_LIMIT,
  type TelegramEntity,
} from "./format";

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

// True when a cut at `at` would separate the halves of a surrogate pair.
function splitsPair(text: string, at: number): boolean {
  return at > 0 && at < text.length && isHigh(text.charCodeAt(at - 1)) && isLow(text.charCodeAt(at));
}

const end = (entity: TelegramEntity) => entity.offset + entity.length;
const contains = (outer: TelegramEntity, inner: TelegramEntity) =>
  outer.offset <= inner.offset && end(inner) <= end(outer);

// Telegram's nesting rules: bold/italic/strikethrough anywhere but around code and pre; nothing inside code or pre;
// blockquote around anything but a blockquote; text_link around formatting only.
function mayContain(outer: TelegramEntity, inner: TelegramEntity): boolean {
  if (outer.type === "code" || outer.type === "pre") return false;
  if (outer.type === "blockquote") return inner.type !== "blockquote";
  return inner.type !== "code" && inner.type !== "pre" && inner.type !== "blockquote";
}

// What Telegram accepts: entities in bounds, non-empty, sorted, nested as above or disjoint, no boundary inside a
// surrogate pair.
function expectValid({ text, entities }: FormattedText): void {
  expect(text).toBe(text.trimEnd());
  entities.forEach((entity, index) => {
    expect(entity.offset).toBeGreaterThanOrEqual(0);
    expect(entity.length).toBeGreaterThan(0);
    expect(end(entity)).toBeLessThanOrEqual(text.length);
    expect(splitsPair(text, entity.offset) || splitsPair(text, end(entity))).toBe(false);
    const next = entities[index + 1];
    if (next) expect(next.offset).toBeGreaterThanOrEqual(entity.offset);
    for (const other of entities.slice(index + 1)) {
      if (end(entity) <= other.offset || end(other) <= entity.offset) continue;
      const nested =
        (contains(entity, other) && mayContain(entity, other)) ||
        (contains(other, entity) && mayContain(other, entity));
      expect(nested, JSON.stringify({ text, entity, other })).toBe(true);
    }
  });
}

// Deterministic (test/random-text.ts's seeded generator), so a failing fuzz case reproduces.
const random = mulberry32;

const ALPHABET = [
  ..."_*[]()~>#+-=|{}.!\\`<>$&:/ ",
  ..."abcXYZ019",
  "\n",
  "\n",
  "\n\n",
  "```",
  "```js\n",
  "- ",
  "1. ",
  "> ",
  "| a | b |\n|---|---|\n",
  "https://example.com/x",
  "[x](https://example.com)",
  "![i](https://example.com/i.png)",
  "- [ ] ",
  "😀",
  "👍🏽",
  "你好",
  "世界",
  "\t",
  "    ",
];

function randomMarkdown(next: () => number): string {
  const length = Math.floor(next() * 80);
  let value = "";
  for (let index = 0; index < length; index++) value += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return value;
}

describe("markdownToTelegram", () => {
  it("keeps plain text as it is", () => {
    expect(markdownToTelegram("Hello, world.")).toEqual({ text: "Hello, world.", entities: [] });
  });

  it.each([
    "_*[]()~>#+-=|{}.!\\",
    "a_b*c [x] (y) ~z > #1 + 2 - 3 = 4 | {k} . ! \\ end",
    "C:\\Users\\me\\file.txt and a\\b",
    "price: 5 * 3 = 15, 2_000_000 and snake_case_name",
  ])("renders the Markdown-significant characters of %j as plain text", (markdown) => {
    expect(markdownToTelegram(markdown)).toEqual({ text: markdown, entities: [] });
  });

  it("renders a heading as a bold line", () => {
    expect(markdownToTelegram("# Title\n\nBody")).toEqual({
      text: "Title\n\nBody",
      entities: [{ type: "bold", offset: 0, length: 5 }],
    });
    expect(markdownToTelegram("Setext\n===")).toEqual({
      text: "Setext",
      entities: [{ type: "bold", offset: 0, length: 6 }],
    });
  });

  it("renders strong, emphasis, strikethrough and inline code", () => {
    expect(markdownToTelegram("Some **bold**, *it*, _it_, ~~del~~ and `x = 1`.")).toEqual({
      text: "Some bold, it, it, del and x = 1.",
      entities: [
        { type: "bold", offset: 5, length: 4 },
        { type: "italic", offset: 11, length: 2 },
        { type: "italic", offset: 15, length: 2 },
        { type: "strikethrough", offset: 19, length: 3 },
        { type: "code", offset: 27, length: 5 },
      ],
    });
  });

  it("nests bold and italic, outer entity first", () => {
    expect(markdownToTelegram("***both***")).toEqual({
      text: "both",
      entities: [
        { type: "italic", offset: 0, length: 4 },
        { type: "bold", offset: 0, length: 4 },
      ],
    });
    expect(markdownToTelegram("*it **bold** it*")).toEqual({
      text: "it bold it",
      entities: [
        { type: "italic", offset: 0, length: 10 },
        { type: "bold", offset: 3, length: 4 },
      ],
    });
  });

  it("cuts bold around inline code, which Telegram does not allow inside formatting", () => {
    expect(markdownToTelegram("**run `npm test` now**")).toEqual({
      text: "run npm test now",
      entities: [
        { type: "bold", offset: 0, length: 4 },
        { type: "code", offset: 4, length: 8 },
        { type: "bold", offset: 12, length: 4 },
      ],
    });
  });

  it("renders a fenced code block as pre with its language, the code as-is", () => {
    expect(markdownToTelegram("Before\n\n```ts\nconst a = 1;\n\n  if (a) b(\\n);\n```\n\nAfter")).toEqual({
      text: "Before\n\nconst a = 1;\n\n  if (a) b(\\n);\n\nAfter",
      entities: [{ type: "pre", offset: 8, length: 29, language: "ts" }],
    });
    expect(markdownToTelegram("```\n**not bold**\n```")).toEqual({
      text: "**not bold**",
      entities: [{ type: "pre", offset: 0, length: 12 }],
    });
  });

  it("links http(s), tg and mailto URLs and keeps only the text of other links", () => {
    expect(
      markdownToTelegram(
        "[a](https://x.y/p?q=1) [b](tg://resolve?domain=bot) [c](mailto:me@x.y) [d](/rel) [e](javascript:x)",
      ),
    ).toEqual({
      text: "a b c d e",
      entities: [
        { type: "text_link", offset: 0, length: 1, url: "https://x.y/p?q=1" },
        { type: "text_link", offset: 2, length: 1, url: "tg://resolve?domain=bot" },
        { type: "text_link", offset: 4, length: 1, url: "mailto:me@x.y" },
      ],
    });
  });

  it("sends a URL with spaces or non-ASCII characters percent-encoded", () => {
    expect(markdownToTelegram("[a](<https://x.y/a b>) [b](https://x.y/ä)").entities).toEqual([
      { type: "text_link", offset: 0, length: 1, url: "https://x.y/a%20b" },
      { type: "text_link", offset: 2, length: 1, url: "https://x.y/%C3%A4" },
    ]);
  });

  it("formats inside a link and keeps a link's inline code as plain text", () => {
    expect(markdownToTelegram("[**docs** for `fn`](https://x.y)")).toEqual({
      text: "docs for fn",
      entities: [
        { type: "text_link", offset: 0, length: 11, url: "https://x.y" },
        { type: "bold", offset: 0, length: 4 },
      ],
    });
  });

  it("resolves reference links", () => {
    expect(markdownToTelegram("See [the docs][d].\n\n[d]: https://x.y/docs")).toEqual({
      text: "See the docs.",
      entities: [{ type: "text_link", offset: 4, length: 8, url: "https://x.y/docs" }],
    });
  });

  it("leaves autolinks and bare URLs as plain text for Telegram to link", () => {
    expect(markdownToTelegram("<https://a.b/c> www.x.com https://x.y/z me@x.y")).toEqual({
      text: "https://a.b/c www.x.com https://x.y/z me@x.y",
      entities: [],
    });
  });

  it("keeps the source of a link with no text", () => {
    expect(markdownToTelegram("a [](https://x.y) b")).toEqual({ text: "a [](https://x.y) b", entities: [] });
  });

  it("renders an image as its alt text and URL", () => {
    expect(markdownToTelegram("![a cat](https://x.y/cat.png) ![](https://x.y/d.png)")).toEqual({
      text: "a cat (https://x.y/cat.png) https://x.y/d.png",
      entities: [],
    });
  });

  it("renders a blockquote as one entity, nested quotes merged into it", () => {
    expect(markdownToTelegram("> first\n> line\n>\n> > inner\n\nafter")).toEqual({
      text: "first\nline\n\ninner\n\nafter",
      entities: [{ type: "blockquote", offset: 0, length: 17 }],
    });
  });

  it("renders lists with bullets and numbers, nested lists 2 spaces deeper", () => {
    expect(markdownToTelegram("- a\n- b\n  - c\n    more\n    - d\n- e\n\n3. x\n4. y")).toEqual({
      text: "• a\n• b\n  • c\n    more\n    • d\n• e\n\n3. x\n4. y",
      entities: [],
    });
  });

  it("separates the items of a loose list by a blank line", () => {
    expect(markdownToTelegram("1. a\n\n   second paragraph\n2. **b**")).toEqual({
      text: "1. a\n\n  second paragraph\n\n2. b",
      entities: [{ type: "bold", offset: 29, length: 1 }],
    });
  });

  it("renders task list items with boxes", () => {
    expect(markdownToTelegram("- [ ] todo\n- [x] done\n\n1. [x] first")).toEqual({
      text: "☐ todo\n☑ done\n\n1. ☑ first",
      entities: [],
    });
  });

  it("renders a table as a pre block of aligned rows", () => {
    expect(markdownToTelegram("| Name | Qty |\n|---|--:|\n| apple | 1 |\n| **fig** | `10` |")).toEqual({
      text: "Name  | Qty\n------|----\napple | 1\nfig   | 10",
      entities: [{ type: "pre", offset: 0, length: 44 }],
    });
  });

  it("renders a thematic break, HTML, math and footnotes as text", () => {
    expect(markdownToTelegram("a\n\n---\n\nb")).toEqual({ text: "a\n\n———\n\nb", entities: [] });
    expect(markdownToTelegram("<b>hi</b> there\n\n<div>\nblock\n</div>")).toEqual({
      text: "<b>hi</b> there\n\n<div>\nblock\n</div>",
      entities: [],
    });
    expect(markdownToTelegram("$e^{i\\pi} + 1 = 0$")).toEqual({ text: "$e^{i\\pi} + 1 = 0$", entities: [] });
    expect(markdownToTelegram("Fact[^1].\n\n[^1]: Source.")).toEqual({
      text: "Fact[^1].\n\n[^1]: Source.",
      entities: [],
    });
  });

  it("keeps line breaks and blank lines between paragraphs", () => {
    expect(markdownToTelegram("one\ntwo  \nthree\\\nfour\n\n\n\nfive")).toEqual({
      text: "one\ntwo\nthree\nfour\n\nfive",
      entities: [],
    });
  });

  it("turns CRLF line endings into newlines", () => {
    expect(markdownToTelegram("**a**\r\nb\r\n\r\n- c\r\n- d\r\n")).toEqual({
      text: "a\nb\n\n• c\n• d",
      entities: [{ type: "bold", offset: 0, length: 1 }],
    });
  });

  it("counts offsets in UTF-16 code units across emoji and CJK", () => {
    expect(markdownToTelegram("你好 😀 **世界 👍🏽** *ok*")).toEqual({
      text: "你好 😀 世界 👍🏽 ok",
      entities: [
        { type: "bold", offset: 6, length: 7 },
        { type: "italic", offset: 14, length: 2 },
      ],
    });
  });

  it("trims trailing whitespace and clips entities to it", () => {
    expect(markdownToTelegram("text\n\n```\ncode   \n\n\n```\n\n   ")).toEqual({
      text: "text\n\ncode",
      entities: [{ type: "pre", offset: 6, length: 4 }],
    });
  });

  it("drops entities around nothing", () => {
    expect(markdownToTelegram("```js\n```\n\n# \n\nok")).toEqual({ text: "ok", entities: [] });
  });

  it("never throws and always returns valid entities for hostile input", () => {
    const next = random(20_240_601);
    for (let run = 0; run < 500; run++) {
      const markdown = randomMarkdown(next);
      const result = markdownToTelegram(markdown);
      expectValid(result);
      for (const part of splitFormatted(result, 16)) {
        expect(part.text.length).toBeLessThanOrEqual(16);
        expectValid(part);
      }
    }
  });
});

// Where each part's text lies in the original; asserts only whitespace was dropped between parts.
function partStarts(original: string, parts: FormattedText[]): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const part of parts) {
    const start = original.indexOf(part.text, at);
    expect(start).toBeGreaterThanOrEqual(at);
    expect(original.slice(at, start).trim()).toBe("");
    starts.push(start);
    at = start + part.text.length;
  }
  expect(original.slice(at).trim()).toBe("");
  return starts;
}

// The entity types covering each character, so formatting can be compared across a split.
function stylesAt(formatted: FormattedText, index: number): string {
  return formatted.entities
    .filter((entity) => entity.offset <= index && index < end(entity))
    .map((entity) => `${entity.type}:${entity.url ?? ""}:${entity.language ?? ""}`)
    .sort()
    .join(",");
}

function expectFaithfulSplit(original: FormattedText, parts: FormattedText[], limit: number): void {
  const starts = partStarts(original.text, parts);
  parts.forEach((part, index) => {
    expect(part.text.length).toBeGreaterThan(0);
    expect(part.text.length).toBeLessThanOrEqual(limit);
    expectValid(part);
    const start = starts[index] ?? 0;
    const offsets = Array.from(part.text, (_, offset) => offset);
    expect(offsets.map((offset) => stylesAt(part, offset))).toEqual(
      offsets.map((offset) => stylesAt(original, start + offset)),
    );
  });
}

describe("splitFormatted", () => {
  it("returns short text as one part and whitespace-only text as none", () => {
    const formatted = markdownToTelegram("**hi** there");
    expect(splitFormatted(formatted)).toEqual([formatted]);
    expect(splitFormatted({ text: "  \n ", entities: [] })).toEqual([]);
  });

  it("prefers a paragraph break, then a newline, then a space, then a hard cut", () => {
    const texts = (text: string, limit: number) => splitFormatted({ text, entities: [] }, limit).map((p) => p.text);
    expect(texts("aaaa bbb\ncc\n\ndd", 14)).toEqual(["aaaa bbb\ncc", "dd"]);
    expect(texts("aaaa bbb\ncc dd", 12)).toEqual(["aaaa bbb", "cc dd"]);
    expect(texts("aaaa bbb cc", 10)).toEqual(["aaaa bbb", "cc"]);
    expect(texts("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
  });

  it("does not leave a tiny part for an early paragraph break", () => {
    const text = `a\n\n${"word ".repeat(10)}`.trimEnd();
    expect(splitFormatted({ text, entities: [] }, 20).map((p) => p.text)).toEqual([
      "a\n\nword word word",
      "word word word word",
      "word word word",
    ]);
  });

  it("never splits a surrogate pair on a hard cut", () => {
    const parts = splitFormatted({ text: "😀😀😀", entities: [] }, 3);
    expect(parts.map((p) => p.text)).toEqual(["😀", "😀", "😀"]);
  });

  it("cuts an entity crossing a split into both parts", () => {
    const formatted = markdownToTelegram("**bold words here** tail");
    expect(splitFormatted(formatted, 12)).toEqual([
      { text: "bold words", entities: [{ type: "bold", offset: 0, length: 10 }] },
      { text: "here tail", entities: [{ type: "bold", offset: 0, length: 4 }] },
    ]);
  });

  it("splits 10,000 characters with a code block across the 4,096 boundary into valid parts", () => {
    const prose = (count: number) =>
      Array.from({ length: count }, (_, i) => `Paragraph ${i} has **bold** and *😀 你好* words.`).join("\n\n");
    const code = Array.from({ length: 80 }, (_, i) => `const value${i} = compute(${i}); // 計算`).join("\n");
    let markdown = `${prose(35)}\n\n\`\`\`ts\n${code}\n\`\`\`\n\n`;
    while (markdown.length < 10_000) markdown += `${prose(1)}\n\n`;
    const formatted = markdownToTelegram(markdown);
    expectValid(formatted);
    const pre = formatted.entities.find((entity) => entity.type === "pre") as TelegramEntity;
    // No paragraph break between the middle of the first part and its end: the cut falls inside the code.
    expect(pre.offset).toBeLessThan(TELEGRAM_TEXT_LIMIT / 2);
    expect(end(pre)).toBeGreaterThan(TELEGRAM_TEXT_LIMIT);

    const parts = splitFormatted(formatted);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expectFaithfulSplit(formatted, parts, TELEGRAM_TEXT_LIMIT);
    expect(parts[0]?.text.endsWith("); // 計算")).toBe(true);
    expect(parts[0]?.entities.at(-1)).toMatchObject({ type: "pre", language: "ts" });
    expect(parts[1]?.entities[0]).toMatchObject({ type: "pre", offset: 0, language: "ts" });
  });

  it("breaks at the paragraph before a code block rather than inside it when that is in reach", () => {
    const markdown = `${"Some prose here. ".repeat(150).trim()}\n\n\`\`\`\n${"x = 1\n".repeat(400)}\`\`\``;
    const parts = splitFormatted(markdownToTelegram(markdown));
    expect(parts[0]?.text).toBe("Some prose here. ".repeat(150).trim());
    expect(parts[1]?.entities[0]).toMatchObject({ type: "pre", offset: 0 });
  });

  it("keeps formatting and text across splits of fuzzed input", () => {
    const next = random(7);
    for (let run = 0; run < 200; run++) {
      let markdown = "";
      for (let i = 0; i < 5; i++) markdown += randomMarkdown(next);
      const formatted = markdownToTelegram(markdown);
      const limit = 2 + Math.floor(next() * 60);
      expectFaithfulSplit(formatted, splitFormatted(formatted, limit), limit);
    }
  });

  it("rejects a limit too small for a surrogate pair", () => {
    expect(() => splitFormatted({ text: "x", entities: [] }, 1)).toThrow(RangeError);
  });
});

describe("plainPreview", () => {
  it("keeps text within the limit as it is", () => {
    expect(plainPreview("**partial", 10)).toBe("**partial");
    expect(plainPreview("x".repeat(TELEGRAM_TEXT_LIMIT))).toHaveLength(TELEGRAM_TEXT_LIMIT);
  });

  it("cuts longer text to the limit, ending in an ellipsis", () => {
    expect(plainPreview("abcdefghij", 5)).toBe("abcd…");
    expect(plainPreview("x".repeat(5000))).toBe(`${"x".repeat(TELEGRAM_TEXT_LIMIT - 1)}…`);
  });

  it("never splits a surrogate pair", () => {
    expect(plainPreview("ab😀cd", 4)).toBe("ab…");
    expect(plainPreview("ab😀cd", 5)).toBe("ab😀…");
  });
});

describe("markdownToTelegram when the parser throws", () => {
  it("returns the input as plain text", async () => {
    vi.resetModules();
    vi.doMock("mdast-util-from-markdown", () => ({
      fromMarkdown: () => {
        throw new RangeError("Maximum call stack size exceeded");
      },
    }));
    try {
      const { markdownToTelegram: convert } = await import("./format");
      expect(convert("**deep** `x`\n\n")).toEqual({ text: "**deep** `x`", entities: [] });
    } finally {
      vi.doUnmock("mdast-util-from-markdown");
      vi.resetModules();
    }
  });
});
