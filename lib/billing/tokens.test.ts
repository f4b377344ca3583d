import * as cl100k from "gpt-tokenizer/encoding/cl100k_base";
import * as o200k from "gpt-tokenizer/encoding/o200k_base";
import { modelToEncodingMap } from "gpt-tokenizer/mapping";
import { countChatCompletionTokens } from "gpt-tokenizer/model/gpt-4o";
import { chatEnabledModels } from "gpt-tokenizer/modelsChatEnabled.gen";
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  type ChatMessage,
  countChatPromptTokens,
  countTextTokens,
  encodingForModel,
  estimateCompletionTokens,
  hasKnownEncoding,
  loadTokenizer,
} from "./tokens";

const CHINESE_PARAGRAPH =
  "人工智能正在改变世界。机器学习是人工智能的一个重要分支，它让计算机能够从数据中学习规律，而不需要明确的编程。";

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

    it("adds the name's tokens plus 1, as OpenAI's cookbook rule does", () => {
      const named = [{ role: "user", name: "alice", content: "hello world" }];
      expect(countChatPromptTokens(named, "gpt-4o")).toBe(9 + countTextTokens("alice", "o200k_base") + 1);
      expect(countChatPromptTokens(named, "gpt-4o")).toBe(countChatCompletionTokens?.({ messages: named }));
    });
  });

  it("estimateCompletionTokens counts the received text with the model's tokenizer", () => {
    expect(estimateCompletionTokens(CHINESE_PARAGRAPH, "gpt-4o-mini")).toBe(34);
    expect(estimateCompletionTokens(CHINESE_PARAGRAPH, "gpt-3.5-turbo")).toBe(59);
  });
});
