import * as cl100k from "gpt-tokenizer/encoding/cl100k_base";
import * as o200k from "gpt-tokenizer/encoding/o200k_base";
import { beforeAll, describe, expect, it } from "vitest";
import { randomRun } from "@/test/random-text";
import {
  appendSpans,
  countCodePoints,
  createTextTokenizer,
  ENCODINGS,
  loadTokenSpans,
  spanAt,
  splitTextIntoTokens,
  type TokenSpans,
} from "./token-spans";
import { countTextTokens, type Encoding, sliceLongRuns } from "./tokens";

const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };
/** gpt-tokenizer's own ids, without our code in between. */
const encode: Record<Encoding, (text: string) => number[]> = {
  o200k_base: (text) => o200k.encode(text, AS_PLAIN_TEXT),
  cl100k_base: (text) => cl100k.encode(text, AS_PLAIN_TEXT),
};
const decode: Record<Encoding, (ids: number[]) => string> = { o200k_base: o200k.decode, cl100k_base: cl100k.decode };

const TEXTS: Record<string, string> = {
  English: "The quick brown fox jumps over the lazy dog. Tokenizers split text into byte-pair merges: 1234567.",
  Chinese: "人工智能正在改变世界。机器学习是人工智能的一个重要分支，它让计算机能够从数据中学习规律。龘靐齉爩",
  "emoji (skin tones, ZWJ families, flags, keycaps)": "👍🏽 👨‍👩‍👧‍👦 👩🏾‍💻 🏳️‍🌈 🇨🇳🇺🇸🇫🇷 1️⃣ ❤️‍🔥 🧑‍🤝‍🧑!",
  code: 'export async function main() {\n\tconst x = await fetch("/api?q=1&r=2");\n  return x?.ok ?? false; // <|endoftext|>\n}\n',
  "mixed scripts and combining marks": "Ünïcödé e\u0301 ñ — Привет, мир! مرحبا שלום नमस्ते こんにちは 안녕하세요 ไทย",
  whitespace: "  \n\n\t\t  a\r\n \u00a0\u3000end   ",
  "lone surrogates": "a\ud800b\udc00c\ud83d",
  "long runs (sliced)":
    `${"a".repeat(700)} ${randomRun(600, 0x4e00, 0x5000, 1)} ${"😀".repeat(300)} ${"!?".repeat(300)}` +
    ` ${" ".repeat(600)}${randomRun(600, 0x1f300, 0x300, 2)}`,
};

/** Every span's text and ids, in order. */
function spansOf(text: string, spans: TokenSpans) {
  return Array.from(spans.spanEnds, (_, index) => spanAt(text, spans, index));
}

beforeAll(async () => {
  await Promise.all(ENCODINGS.map((encoding) => loadTokenSpans(encoding)));
});

describe("splitTextIntoTokens", () => {
  for (const encoding of ENCODINGS) {
    describe(encoding, () => {
      for (const [name, text] of Object.entries(TEXTS)) {
        it(`${name}: the spans joined are the text, their ids gpt-tokenizer's, their count the counted one`, async () => {
          const spans = await splitTextIntoTokens(text, encoding);
          const parts = spansOf(text, spans);
          expect(parts.map((part) => part.text).join("")).toBe(text);
          // Slice by slice, as the count is: text without long runs is one slice, so this is encode(text) itself.
          const expectedIds = sliceLongRuns(text).flatMap((slice) => encode[encoding](slice));
          expect(parts.flatMap((part) => part.ids)).toEqual(expectedIds);
          expect(Array.from(spans.ids)).toEqual(expectedIds);
          expect(spans.ids.length).toBe(countTextTokens(text, encoding));
          expect(spans.encoding).toBe(encoding);
          let tokens = 0;
          for (const part of parts) {
            expect(part.text).not.toBe("");
            expect(part.ids.length).toBeGreaterThan(0);
            expect(part.firstToken).toBe(tokens);
            tokens += part.ids.length;
          }
        });
      }

      it("groups tokens that share a character's bytes into one span showing whole characters", async () => {
        // Each span decodes on its own to its text: no token of it is left holding half a character.
        for (const text of [TEXTS.Chinese ?? "", TEXTS["emoji (skin tones, ZWJ families, flags, keycaps)"] ?? ""]) {
          for (const part of spansOf(text, await splitTextIntoTokens(text, encoding))) {
            expect(decode[encoding](part.ids)).toBe(part.text);
          }
        }
      });
    });
  }

  it("a rare CJK character is one span of several ids in cl100k_base", async () => {
    const spans = await splitTextIntoTokens("龘", "cl100k_base");
    expect(spansOf("龘", spans)).toEqual([{ text: "龘", ids: encode.cl100k_base("龘"), firstToken: 0 }]);
    expect(spans.ids.length).toBeGreaterThan(1);
  });

  it("an empty text has no tokens and no spans", async () => {
    const spans = await splitTextIntoTokens("", "o200k_base");
    expect([spans.ids.length, spans.spanEnds.length]).toEqual([0, 0]);
  });

  it("spans never cross the slices of a long run, so they are what is counted", async () => {
    const text = "x".repeat(1_000);
    const spans = await splitTextIntoTokens(text, "o200k_base");
    const sliceEnds = sliceLongRuns(text).map((_, index, slices) => slices.slice(0, index + 1).join("").length);
    expect(sliceEnds.length).toBeGreaterThan(1);
    for (const end of sliceEnds) expect(Array.from(spans.spanEnds)).toContain(end);
  });
});

describe("appendSpans", () => {
  it("refuses tokens whose bytes are not the text's", () => {
    const spanEnds: number[] = [];
    const spanIdEnds: number[] = [];
    const byteLength = () => 2;
    expect(() =>
      appendSpans({ text: "abc", from: 0, to: 3, ids: [1, 2], idBase: 0, byteLength, spanEnds, spanIdEnds }),
    ).toThrow(/do not match/);
  });
});

describe("countCodePoints", () => {
  it("counts code points, not UTF-16 units or graphemes", () => {
    expect(countCodePoints("abc")).toBe(3);
    expect(countCodePoints("中文")).toBe(2);
    expect(countCodePoints("👍🏽")).toBe(2);
    expect(countCodePoints("👨‍👩‍👧‍👦")).toBe(7);
    expect(countCodePoints("a\ud800")).toBe(2);
    expect(countCodePoints(TEXTS.code ?? "")).toBe([...(TEXTS.code ?? "")].length);
  });
});

describe("createTextTokenizer (the worker's side)", () => {
  it("answers with the counts in every encoding and the spans in the one asked for", async () => {
    const tokenize = createTextTokenizer();
    const text = TEXTS.Chinese ?? "";
    const response = await tokenize({ tokenize: { requestId: 1, text, encoding: "cl100k_base" } });
    const answer = response?.tokenized;
    if (!answer || "error" in answer) throw new Error(`no answer: ${JSON.stringify(answer)}`);
    expect(answer.requestId).toBe(1);
    expect(answer.counts).toEqual({
      o200k_base: encode.o200k_base(text).length,
      cl100k_base: encode.cl100k_base(text).length,
    });
    expect(answer.codePoints).toBe([...text].length);
    expect(answer.spans.encoding).toBe("cl100k_base");
  });

  it("drops a request a newer one superseded before it started", async () => {
    const tokenize = createTextTokenizer();
    const first = tokenize({ tokenize: { requestId: 1, text: "first", encoding: "o200k_base" } });
    const second = tokenize({ tokenize: { requestId: 2, text: "second", encoding: "o200k_base" } });
    expect(await first).toBeNull();
    expect((await second)?.tokenized.requestId).toBe(2);
  });
});
