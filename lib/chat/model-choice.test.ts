import { describe, expect, it } from "vitest";
import type { ModelPrice } from "@/lib/billing/prices";
import { describeModelChoice, type ModelChoiceWords } from "./model-choice";

const chinese: ModelChoiceWords = {
  context: (tokens) => `上下文 ${tokens}`,
  contextUnknown: "上下文未知",
  prices: ({ input, cached, output }) => `输入 ${input} · 缓存 ${cached} · 输出 ${output} / 百万`,
  unpriced: "未定价",
};

describe("describeModelChoice", () => {
  const price: ModelPrice = {
    model: "gpt-4o",
    inputPer1M: 2_500_000,
    cachedInputPer1M: 1_250_000,
    outputPer1M: 10_000_000,
    effectiveFrom: "2026-01-01",
    source: "package",
  };

  it("says the context window and today's prices, in English by default", () => {
    expect(describeModelChoice({ model: "gpt-4o", price })).toBe(
      "gpt-4o — context 128,000 · in $2.50 · cached $1.25 · out $10.00 per 1M",
    );
    expect(describeModelChoice({ model: "fake-model", price: null })).toBe("fake-model — context unknown · unpriced");
  });

  it("speaks the interface's language", () => {
    expect(describeModelChoice({ model: "gpt-4o", price, words: chinese, locale: "zh-CN" })).toBe(
      "gpt-4o — 上下文 128,000 · 输入 $2.50 · 缓存 $1.25 · 输出 $10.00 / 百万",
    );
    expect(describeModelChoice({ model: "fake-model", price: null, words: chinese, locale: "zh-CN" })).toBe(
      "fake-model — 上下文未知 · 未定价",
    );
  });
});
