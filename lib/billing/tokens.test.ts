import * as cl100k from "gpt-tokenizer/encoding/cl100k_base";
import * as o200k from "gpt-tokenizer/encoding/o200k_base";
import { modelToEncodingMap } from "gpt-tokenizer/mapping";
import { countChatCompletionTokens } from "gpt-tokenizer/model/gpt-4o";
import { chatEnabledModels } from "gpt-tokenizer/modelsChatEnabled.gen";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { mulberry32, randomRun } from "@/test/random-text";
import {
  type ChatMessage,
  chatPromptTokensFromCounts,
  countChatPromptTokens,
  countTextTokens,
  type Encoding,
  encodingForModel,
  hasKnownEncoding,
  loadTokenizer,
  MAX_RUN_CODE_POINTS,
  sliceLongRuns,
} from "./tokens";

const CHINESE_PARAGRAPH =
  "人工智能正在改变世界。机器学习是人工智能的一个重要分支，它让计算机能够从数据中学习规律，而不需要明确的编程。";

const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };
/** gpt-tokenizer's own count of the whole text, without our slicing. */
const unsliced: Record<Encoding, (text: string) => number> = {
  o200k_base: (text) => o200k.countTokens(text, AS_PLAIN_TEXT),
  cl100k_base: (text) => cl100k.countTokens(text, AS_PLAIN_TEXT),
};

const codePoints = (text: string) => [...text].length;

describe("before an encoding is loaded", () => {
  it("the sync API says what to await", async () => {
    vi.resetModules();
    const fresh = await import("./tokens");
    expect(() => fresh.countTextTokens("hello", "cl100k_base")).toThrow(/await loadTokenizer\("cl100k_base"\)/);
    expect(fresh.loadTokenizer("cl100k_base")).toBe(fresh.loadTokenizer("cl100k_base"));
    await fresh.loadTokenizer("cl100k_base");
    expect(fresh.countTextTokens("hello", "cl100k_base")).toBe(1);
  });
});

describe("sliceLongRuns", () => {
  const N = MAX_RUN_CODE_POINTS;

  it("leaves text without a run longer than MAX_RUN_CODE_POINTS whole", () => {
    expect(N).toBe(256);
    expect(sliceLongRuns("")).toEqual([""]);
    expect(sliceLongRuns("hello world")).toEqual(["hello world"]);
    const ordinary = `${"The quick brown fox jumps over the lazy dog. ".repeat(2_000)}${CHINESE_PARAGRAPH.repeat(100)}`;
    expect(sliceLongRuns(ordinary)).toEqual([ordinary]);
    expect(sliceLongRuns("a".repeat(N))).toEqual(["a".repeat(N)]);
    // Digits are grouped by three by the pre-tokenizer, never one long piece.
    expect(sliceLongRuns("1234567890".repeat(1_000))).toHaveLength(1);
    // Letters, symbols and spaces alternate: every run is short.
    expect(sliceLongRuns("a+ ".repeat(1_000))).toHaveLength(1);
  });

  it("cuts a run one code point too long after MAX_RUN_CODE_POINTS code points", () => {
    expect(sliceLongRuns("a".repeat(N + 1))).toEqual(["a".repeat(N), "a"]);
    expect(sliceLongRuns(`hello ${"a".repeat(2 * N + 10)} world`)).toEqual([
      `hello ${"a".repeat(N)}`,
      "a".repeat(N),
      `${"a".repeat(10)} world`,
    ]);
  });

  it("cuts runs of letters, of punctuation and symbols, and of whitespace", () => {
    for (const char of ["字", "é", "!", "😀", " ", "\n", "\u3000"]) {
      const slices = sliceLongRuns(`x1${char.repeat(N * 2 + 1)}1x`);
      expect(slices.map(codePoints), JSON.stringify(char)).toEqual([2 + N, N, 1 + 2]);
    }
  });

  it("never splits a surrogate pair", () => {
    // One run of symbols; UTF-16 offset 256 falls between the halves of an emoji.
    const text = `!${"😀".repeat(300)}`;
    const slices = sliceLongRuns(text);
    expect(slices.map(codePoints)).toEqual([N, 301 - N]);
    expect(slices[0]).toBe(`!${"😀".repeat(N - 1)}`);
    for (const slice of slices) expect(slice).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    // A lone surrogate is one code point, like any other.
    const lone = "\ud800".repeat(N + 1);
    expect(sliceLongRuns(lone)).toEqual(["\ud800".repeat(N), "\ud800"]);
  });

  it("joins back into the text and leaves no run longer than MAX_RUN_CODE_POINTS", () => {
    const random = mulberry32(9);
    const pieces = ["😀".repeat(700), "字".repeat(900), " ".repeat(600), "word ", "12345", "!?".repeat(200), "é"];
    const text = Array.from({ length: 200 }, () => pieces[Math.floor(random() * pieces.length)]).join("");
    const slices = sliceLongRuns(text);
    expect(slices.join("")).toBe(text);
    expect(slices.length).toBeGreaterThan(100);
    for (const slice of slices) {
      for (const [run] of slice.matchAll(/[\p{L}\p{M}]+|[^\s\p{L}\p{N}]+|\s+/gu)) {
        expect(codePoints(run)).toBeLessThanOrEqual(N);
      }
    }
  });
});

describe("with encodings loaded", () => {
  beforeAll(async () => {
    await Promise.all([loadTokenizer("o200k_base"), loadTokenizer("cl100k_base")]);
  });

  describe("encodingForModel", () => {
    it.each([
      ["gpt-5-mini", "o200k_base"],
      ["gpt-4.1-nano", "o200k_base"],
      ["gpt-4o-mini-2024-07-18", "o200k_base"],
      ["ft:gpt-4o-mini-2024-07-18:acme::abc123", "o200k_base"],
      ["o3", "o200k_base"],
      ["o4-mini", "o200k_base"],
      ["gpt-4", "cl100k_base"],
      ["gpt-4-turbo", "cl100k_base"],
      ["gpt-3.5-turbo", "cl100k_base"],
      ["gpt-35-turbo", "cl100k_base"],
    ])("%s → %s", (model, encoding) => {
      expect(encodingForModel(model)).toBe(encoding);
      expect(hasKnownEncoding(model)).toBe(true);
    });

    it("falls back to o200k_base for unknown models and says it does not know", () => {
      expect(encodingForModel("llama3.2")).toBe("o200k_base");
      expect(hasKnownEncoding("llama3.2")).toBe(false);
      expect(hasKnownEncoding("o10-preview")).toBe(false);
    });

    it("agrees with gpt-tokenizer's map for every chat model it knows", () => {
      const checked = chatEnabledModels.filter((model) => !model.startsWith("gpt-oss"));
      for (const model of checked) {
        const theirs = modelToEncodingMap[model];
        if (theirs !== "o200k_base" && theirs !== "cl100k_base") continue;
        expect([model, encodingForModel(model)]).toEqual([model, theirs]);
        expect([model, hasKnownEncoding(model)]).toEqual([model, true]);
      }
      expect(checked.length).toBeGreaterThan(50);
    });
  });

  describe("countTextTokens", () => {
    // cl100k [15339, 1917] is the vector in tiktoken's own tests; the o200k ids were cross-checked against tiktoken.
    it("encodes 'hello world' as tiktoken does", () => {
      expect(cl100k.encode("hello world")).toEqual([15339, 1917]);
      expect(o200k.encode("hello world")).toEqual([24912, 2375]);
      expect(countTextTokens("hello world", "cl100k_base")).toBe(2);
      expect(countTextTokens("hello world", "o200k_base")).toBe(2);
      expect(countTextTokens("", "o200k_base")).toBe(0);
    });

    // These counts are gpt-tokenizer 4.0.0's, cross-checked by hand against tiktoken 1.0.22 (OpenAI's Rust BPE
    // compiled to WASM) with identical token ids; they are not vectors published by OpenAI. cl100k "你好" is
    // [57668, 53901] in both. The round trip shows nothing is lost or replaced.
    it.each([
      ["你好，世界！", 4, 7],
      ["我爱北京天安门。", 7, 8],
      ["今天天气很好，我们去公园散步吧。", 12, 20],
      [CHINESE_PARAGRAPH, 34, 59],
      ["The quick brown fox jumps over the lazy dog.", 10, 10],
    ])("%s → o200k %i, cl100k %i tokens", (text, o200kCount, cl100kCount) => {
      expect(countTextTokens(text, "o200k_base")).toBe(o200kCount);
      expect(countTextTokens(text, "cl100k_base")).toBe(cl100kCount);
      expect(o200k.decode(o200k.encode(text))).toBe(text);
      expect(cl100k.decode(cl100k.encode(text))).toBe(text);
    });

    it("counts special-token text in user content as plain text instead of throwing", () => {
      expect(countTextTokens("hello <|endoftext|>", "o200k_base")).toBe(8);
      expect(countTextTokens("hello <|endoftext|>", "cl100k_base")).toBe(7);
    });

    it("is not the 2023 rule of thumb (1 Chinese character ≈ 2 tokens, 4 English characters ≈ 1 token)", () => {
      const han = [...CHINESE_PARAGRAPH].filter((char) => /\p{Script=Han}/u.test(char)).length;
      const other = [...CHINESE_PARAGRAPH].length - han;
      const ruleOfThumb = Math.round(han * 2 + other / 4);
      expect(ruleOfThumb).toBe(101); // 50 Han characters, 4 other
      expect(ruleOfThumb).toBeGreaterThan(2.5 * 34);
      expect(countTextTokens(CHINESE_PARAGRAPH, "o200k_base")).toBe(34);
      expect(countTextTokens(CHINESE_PARAGRAPH, "cl100k_base")).toBe(59);
    });
  });

  // Seconds of counting on a machine busy with other builds.
  describe("countTextTokens on long runs (issue 7: counting 32,000 emoji froze the server)", {
    timeout: 60_000,
  }, () => {
    it.each([
      ["32,000 emoji", "😀".repeat(32_000)],
      ["32,000 random CJK characters", randomRun(32_000, 0x4e00, 20_000, 1)],
      ["a 100,000-character ASCII run", "a".repeat(100_000)],
      ["100,000 random ASCII letters", randomRun(100_000, 0x61, 26, 2)],
      ["100,000 spaces", " ".repeat(100_000)],
    ])("counts %s as the sum of its slices", (_, text) => {
      const slices = sliceLongRuns(text);
      expect(slices.length).toBeGreaterThan(100);
      for (const encoding of ["o200k_base", "cl100k_base"] as const) {
        const sum = slices.reduce((total, slice) => total + unsliced[encoding](slice), 0);
        expect(countTextTokens(text, encoding)).toBe(sum);
      }
    });

    it("counts the repeated emoji of the issue exactly", () => {
      expect(countTextTokens("😀".repeat(32_000), "o200k_base")).toBe(32_000);
    });

    it("counts ordinary text exactly as gpt-tokenizer does", () => {
      const english = "The quick brown fox jumps over the lazy dog; budgets are reserved before anything is spent. ";
      const texts = [english.repeat(400), CHINESE_PARAGRAPH.repeat(200), "😀 ".repeat(5_000), "hello <|endoftext|>"];
      for (const text of texts) {
        expect(sliceLongRuns(text)).toHaveLength(1);
        for (const encoding of ["o200k_base", "cl100k_base"] as const) {
          expect(countTextTokens(text, encoding)).toBe(unsliced[encoding](text));
        }
      }
    });

    // Runs short enough to count unsliced quickly. The bound is what the comment on MAX_RUN_CODE_POINTS promises.
    it.each([
      ["random CJK", randomRun(1_500, 0x4e00, 20_000, 3)],
      ["random emoji", randomRun(1_500, 0x1f300, 0x300, 4)],
      ["random ASCII letters", randomRun(1_500, 0x61, 26, 5)],
      ["glued long words", "supercalifragilisticexpialidocious".repeat(45)],
      ["punctuation", randomRun(1_500, 0x21, 15, 6)],
      ["mixed whitespace", Array.from(randomRun(1_500, 0, 3, 7), (c) => " \t\n"[c.charCodeAt(0)]).join("")],
    ])("changes a sliced run of %s by at most 2 tokens per cut", (_, text) => {
      const cuts = sliceLongRuns(text).length - 1;
      expect(cuts).toBeGreaterThan(4);
      for (const encoding of ["o200k_base", "cl100k_base"] as const) {
        const difference = countTextTokens(text, encoding) - unsliced[encoding](text);
        expect(Math.abs(difference)).toBeLessThanOrEqual(2 * cuts);
      }
    });
  });

  describe("countChatPromptTokens", () => {
    const conversation: ChatMessage[] = [
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "hello world" },
      { role: "assistant", content: "你好！有什么可以帮你的吗？" },
      { role: "user", content: "Explain BPE in one sentence." },
    ];

    it("one user message 'hello world' on gpt-4o is 3 + 1 (role) + 2 (content) + 3 (reply priming) = 9", () => {
      const messages = [{ role: "user", content: "hello world" }];
      expect(countChatPromptTokens(messages, "gpt-4o")).toBe(9);
      expect(o200k.encodeChat(messages, "gpt-4o")).toHaveLength(9);
      expect(countChatCompletionTokens?.({ messages: [{ role: "user", content: "hello world" }] })).toBe(9);
    });

    it("equals gpt-tokenizer's encodeChat framing on both encodings", () => {
      expect(countChatPromptTokens(conversation, "gpt-5-mini")).toBe(
        o200k.encodeChat(conversation, "gpt-5-mini").length,
      );
      expect(countChatPromptTokens(conversation, "gpt-4")).toBe(cl100k.encodeChat(conversation, "gpt-4").length);
      expect(countChatPromptTokens([], "gpt-4o")).toBe(3);
    });

    it("frames per-message counts as countChatPromptTokens frames the messages", () => {
      for (const [model, encoding] of [
        ["gpt-5-mini", "o200k_base"],
        ["gpt-4", "cl100k_base"],
      ] as const) {
        const counted = conversation.map(({ role, content }) => ({
          role,
          contentTokens: countTextTokens(content, encoding),
        }));
        expect(chatPromptTokensFromCounts(counted)).toBe(countChatPromptTokens(conversation, model));
      }
      expect(chatPromptTokensFromCounts([])).toBe(3);
      expect(chatPromptTokensFromCounts([{ role: "user", contentTokens: 2 }])).toBe(9);
      expect(chatPromptTokensFromCounts([{ role: "user", contentTokens: 2, nameTokens: 1 }])).toBe(11);
    });

    it.each(["system", "developer", "user", "assistant"])("frames a %s message as gpt-tokenizer does", (role) => {
      const messages = [{ role, content: "hello world" }];
      expect(chatPromptTokensFromCounts([{ role, contentTokens: 2 }])).toBe(
        o200k.encodeChat(messages, "gpt-4o").length,
      );
      expect(chatPromptTokensFromCounts([{ role, contentTokens: 2 }])).toBe(
        cl100k.encodeChat(messages, "gpt-4").length,
      );
      expect(countTextTokens(role, "o200k_base")).toBe(1);
      expect(countTextTokens(role, "cl100k_base")).toBe(1);
    });

    it("refuses a role whose framing it does not know", () => {
      expect(() => chatPromptTokensFromCounts([{ role: "tool", contentTokens: 2 }])).toThrow(/"tool" message/);
      expect(() => chatPromptTokensFromCounts([{ role: "constructor", contentTokens: 2 }])).toThrow(/constructor/);
    });

    it("adds the name's tokens plus 1, as OpenAI's cookbook rule does", () => {
      const named = [{ role: "user", name: "alice", content: "hello world" }];
      expect(countChatPromptTokens(named, "gpt-4o")).toBe(9 + countTextTokens("alice", "o200k_base") + 1);
      expect(countChatPromptTokens(named, "gpt-4o")).toBe(countChatCompletionTokens?.({ messages: named }));
    });
  });
});
