import { describe, expect, it } from "vitest";
import { completionWorstCase, computeCost, worstCaseCost } from "./cost";

// Rates in integer micro-USD per 1M tokens.
const gpt5Mini = { inputPer1M: 250_000, cachedInputPer1M: 25_000, outputPer1M: 2_000_000 };
const halfMicroPerToken = { inputPer1M: 500_000, cachedInputPer1M: 500_000, outputPer1M: 500_000 };

describe("computeCost", () => {
  it("12,345 prompt + 678 completion tokens at $0.25 / $2.00 per 1M is 4442.25 → 4442 micro-USD", () => {
    expect(computeCost({ promptTokens: 12_345, cachedTokens: 0, completionTokens: 678 }, gpt5Mini)).toBe(4442);
  });

  it("bills cached tokens at the cached rate and the rest of the prompt at the input rate", () => {
    // (10,000 − 8,000)·0.25 + 8,000·0.025 = 500 + 200 micro-USD
    expect(computeCost({ promptTokens: 10_000, cachedTokens: 8_000, completionTokens: 0 }, gpt5Mini)).toBe(700);
  });

  it("rounds half-up once per message", () => {
    const cost = (promptTokens: number) =>
      computeCost({ promptTokens, cachedTokens: 0, completionTokens: 0 }, halfMicroPerToken);
    expect(cost(1)).toBe(1); // 0.5
    expect(cost(3)).toBe(2); // 1.5
    expect(cost(0)).toBe(0);
    // Two token classes each worth 0.5 micro-USD make 1, not 1 + 1 as per-class rounding would.
    expect(computeCost({ promptTokens: 1, cachedTokens: 0, completionTokens: 1 }, halfMicroPerToken)).toBe(1);
    expect(computeCost({ promptTokens: 1, cachedTokens: 0, completionTokens: 0 }, { ...gpt5Mini })).toBe(0); // 0.25
  });

  it("does not add reasoning tokens again: they are inside completion tokens", () => {
    const usage = { promptTokens: 100, cachedTokens: 0, completionTokens: 1_000, reasoningTokens: 900 };
    expect(computeCost(usage, gpt5Mini)).toBe(2025); // 100·0.25 + 1,000·2
  });

  it("stays exact past 2^53", () => {
    // 999,999,999 tokens × 10,000,000 micro-USD per 1M ≈ 10^16 before the division.
    const price = { inputPer1M: 10_000_000, cachedInputPer1M: 10_000_000, outputPer1M: 10_000_000 };
    expect(computeCost({ promptTokens: 0, cachedTokens: 0, completionTokens: 999_999_999 }, price)).toBe(9_999_999_990);
  });

  it("refuses usage that cannot be right", () => {
    expect(() => computeCost({ promptTokens: 10, cachedTokens: 11, completionTokens: 0 }, gpt5Mini)).toThrow(
      /cachedTokens \(11\) exceeds promptTokens \(10\)/,
    );
    expect(() => computeCost({ promptTokens: -1, cachedTokens: 0, completionTokens: 0 }, gpt5Mini)).toThrow();
    expect(() => computeCost({ promptTokens: 1.5, cachedTokens: 0, completionTokens: 0 }, gpt5Mini)).toThrow();
    expect(() => computeCost({ promptTokens: Number.NaN, cachedTokens: 0, completionTokens: 0 }, gpt5Mini)).toThrow();
  });
});

describe("worstCaseCost", () => {
  it("reserves every prompt token at the input rate plus the full output allowance, rounded up", () => {
    // 12,345·0.25 + 4,096·2 = 11,278.25 → 11,279
    expect(worstCaseCost({ promptTokens: 12_345, maxOutputTokens: 4096 }, gpt5Mini)).toBe(11_279);
    expect(worstCaseCost({ promptTokens: 1, maxOutputTokens: 0 }, halfMicroPerToken)).toBe(1);
    expect(worstCaseCost({ promptTokens: 0, maxOutputTokens: 0 }, gpt5Mini)).toBe(0);
  });

  it("never reserves less than the message can cost", () => {
    const dearCache = { inputPer1M: 100_000, cachedInputPer1M: 300_000, outputPer1M: 0 };
    const worst = worstCaseCost({ promptTokens: 1_000, maxOutputTokens: 0 }, dearCache);
    expect(worst).toBe(300);
    expect(computeCost({ promptTokens: 1_000, cachedTokens: 1_000, completionTokens: 0 }, dearCache)).toBe(worst);
  });
});

describe("completionWorstCase (gpt-3.5-turbo-instruct: $1.50 in, $2.00 out per 1M)", () => {
  const instruct = { inputPer1M: 1_500_000, cachedInputPer1M: 1_500_000, outputPer1M: 2_000_000 };

  it("bills the prompt once and every choice's output limit: 1,001 prompt + 3 × 257 → 3,043.5 → 3,044 micro-USD", () => {
    // 1,001 × 1.5 = 1,501.5; 771 × 2 = 1,542; 3,043.5 rounded up.
    expect(completionWorstCase({ promptTokens: 1_001, maxTokens: 257, n: 3 }, instruct)).toBe(3_044);
    expect(completionWorstCase({ promptTokens: 1_001, maxTokens: 257, n: 1 }, instruct)).toBe(2_016); // 2,015.5
  });

  it("settles to the usage to the micro-dollar: 7 prompt + 5 completion tokens is 20.5 → 21 micro-USD", () => {
    expect(computeCost({ promptTokens: 7, cachedTokens: 0, completionTokens: 5 }, instruct)).toBe(21);
  });
});
