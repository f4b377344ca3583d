import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import Markdown from "react-markdown";
import remarkGfm from "remark-gfm";
import { describe, expect, it } from "vitest";
import { splitBlocks } from "./blocks";

const html = (markdown: string) =>
  renderToStaticMarkup(createElement(Markdown, { remarkPlugins: [remarkGfm] }, markdown)).replace(/>\s+</g, "><");

describe("splitBlocks", () => {
  it("splits paragraphs, headings and other blocks at blank lines", () => {
    expect(splitBlocks("# Title\n\nOne\ntwo\n\n\n> quote\n\n---\n\n| a |\n| - |\n| 1 |")).toEqual([
      "# Title",
      "One\ntwo",
      "> quote",
      "---",
      "| a |\n| - |\n| 1 |",
    ]);
  });

  it("keeps a fenced code block whole, blank lines and fence-like lines inside included", () => {
    const code = "```md\n# not a heading\n\n~~~\n\nstill code\n```";
    expect(splitBlocks(`Intro\n\n${code}\n\nAfter`)).toEqual(["Intro", code, "After"]);
    const longer = "````\n```\n\nx\n````";
    expect(splitBlocks(longer)).toEqual([longer]);
  });

  it("keeps an unterminated fence to the end, as it streams", () => {
    expect(splitBlocks("Intro\n\n```ts\nconst a = 1;\n\nconst b")).toEqual(["Intro", "```ts\nconst a = 1;\n\nconst b"]);
  });

  it("keeps a $$ formula whole", () => {
    expect(splitBlocks("$$\na\n\nb\n$$\n\nText")).toEqual(["$$\na\n\nb\n$$", "Text"]);
    expect(splitBlocks("$$ x $$\n\nText")).toEqual(["$$ x $$", "Text"]);
  });

  it("keeps a loose list and indented continuations in one block, blank lines as they were", () => {
    const list = "- one\n\n- two\n\n  more of two\n\n\n      indented code\n1. other list";
    expect(splitBlocks(`${list}\n\nAfter`)).toEqual([list, "After"]);
    expect(splitBlocks("1. a\n\n2. b\n\nText\n\n3. c")).toEqual(["1. a\n\n2. b", "Text", "3. c"]);
  });

  it("does not split a text whose links or footnotes are defined elsewhere in it", () => {
    const text = "See [the docs][1] and a note[^n].\n\n[1]: https://example.com\n\n[^n]: The note.";
    expect(splitBlocks(text)).toEqual([text]);
  });

  it("drops blank lines around the blocks", () => {
    expect(splitBlocks("\n\nA\n\n")).toEqual(["A"]);
    expect(splitBlocks("")).toEqual([]);
  });

  it("renders block by block exactly as the whole text", () => {
    const reply = [
      "## Part 1",
      "The ledger keeps **one entry** per call,\nwith _tokens_ and `cost`.",
      "- the prompt\n- the reply\n  - nested",
      "1. first\n\n2. second\n\n   still second\n\n3. third",
      "| model | input |\n| --- | --- |\n| gpt-5-mini | $0.25 |",
      "```ts\nconst total = 1;\n\n\nconst more = 2;\n```",
      "> quoted\n> lines",
      "- [ ] task\n- [x] done",
      "    indented code\n\n    after a blank line",
      "***",
      "Closing words.",
    ].join("\n\n");
    const blocks = splitBlocks(reply);
    expect(blocks.length).toBeGreaterThan(8);
    expect(blocks.map(html).join("")).toBe(html(reply));
  });
});
