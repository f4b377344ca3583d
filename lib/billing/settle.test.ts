import { beforeAll, describe, expect, it } from "vitest";
import type { ModelPrice } from "./prices";
import { settleAbandoned, settleCall } from "./settle";
import { countTextTokens, loadTokenizer } from "./tokens";

const price: ModelPrice = {
  model: "gpt-5-mini",
  inputPer1M: 250_000,
  cachedInputPer1M: 25_000,
  outputPer1M: 2_000_000,
  effectiveFrom: "2025-08-07",
  source: "package",
};

beforeAll(async () => {
  await loadTokenizer("o200k_base");
});

describe("settleCall", () => {
  it("charges the reported usage exactly", () => {
    const result = settleCall({
      model: "gpt-5-mini",
      price,
      usage: { promptTokens: 12_345, completionTokens: 678 },
      promptTokensEstimate: 99,
      text: "whatever",
      wasRefused: false,
    });
    expect(result).toEqual({
      status: "settled",
      promptTokens: 12_345,
      cachedTokens: 0,
      completionTokens: 678,
      reasoningTokens: 0,
      costMicros: 4442,
      isEstimated: false,
    });
  });

  it("bills cached prompt tokens at the cached rate", () => {
    const result = settleCall({
      model: "gpt-5-mini",
      price,
      usage: { promptTokens: 2000, completionTokens: 30, cachedTokens: 1500, reasoningTokens: 12 },
      promptTokensEstimate: 0,
      text: "",
      wasRefused: false,
    });
    // 500 × 0.25 + 1500 × 0.025 + 30 × 2 = 125 + 37.5 + 60 = 222.5 → 223 micro-USD
    expect(result.costMicros).toBe(223);
    expect(result.reasoningTokens).toBe(12);
  });

  it("estimates a stream that ended without usage and flags it", () => {
    const text = "word1 word2 word3 word4";
    const result = settleCall({
      model: "gpt-5-mini",
      price,
      promptTokensEstimate: 1000,
      text,
      wasRefused: false,
    });
    const completion = countTextTokens(text, "o200k_base");
    expect(result.isEstimated).toBe(true);
    expect(result.completionTokens).toBe(completion);
    expect(result.costMicros).toBe(Math.round((1000 * 250_000 + completion * 2_000_000) / 1_000_000));
  });

  it("releases a call the upstream refused before any output", () => {
    const result = settleCall({ model: "gpt-5-mini", price, promptTokensEstimate: 500, text: "", wasRefused: true });
    expect(result.status).toBe("released");
    expect(result.costMicros).toBe(0);
  });

  it("records tokens but no invented cost for an unpriced model", () => {
    const result = settleCall({
      model: "llama3.2",
      price: null,
      usage: { promptTokens: 10, completionTokens: 5 },
      promptTokensEstimate: 10,
      text: "hi",
      wasRefused: false,
    });
    expect(result).toMatchObject({ status: "settled", promptTokens: 10, completionTokens: 5, costMicros: 0 });
  });
});

describe("settleAbandoned", () => {
  it("charges the counted prompt at the input price, as an estimate", () => {
    expect(settleAbandoned({ promptTokens: 12_345, price })).toEqual({
      status: "settled",
      promptTokens: 12_345,
      cachedTokens: 0,
      completionTokens: 0,
      reasoningTokens: 0,
      costMicros: 3_086, // 12,345 × $0.25 / 1M = 3,086.25 micro-USD
      isEstimated: true,
    });
  });

  it("records an unpriced call's tokens at no known cost", () => {
    expect(settleAbandoned({ promptTokens: 40, price: null })).toMatchObject({ costMicros: 0, isEstimated: true });
  });
});
