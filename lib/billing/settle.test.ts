import { describe, expect, it } from "vitest";
import { GPT5_MINI_PRICE as price } from "@/test/money";
import { settleAbandoned, settleCall } from "./settle";

describe("settleCall", () => {
  it("charges the reported usage exactly", () => {
    const result = settleCall({
      price,
      usage: { promptTokens: 12_345, completionTokens: 678 },
      promptTokensEstimate: 99,
      completionTokensEstimate: 3,
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
      price,
      usage: { promptTokens: 2000, completionTokens: 30, cachedTokens: 1500, reasoningTokens: 12 },
      promptTokensEstimate: 0,
      completionTokensEstimate: 0,
      wasRefused: false,
    });
    // 500 × 0.25 + 1500 × 0.025 + 30 × 2 = 125 + 37.5 + 60 = 222.5 → 223 micro-USD
    expect(result.costMicros).toBe(223);
    expect(result.reasoningTokens).toBe(12);
  });

  it("estimates a stream that ended without usage from our counts, and flags it", () => {
    const result = settleCall({ price, promptTokensEstimate: 1000, completionTokensEstimate: 8, wasRefused: false });
    // 1,000 × $0.25 / 1M + 8 × $2.00 / 1M = 250 + 16 micro-USD
    expect(result).toEqual({
      status: "settled",
      promptTokens: 1000,
      cachedTokens: 0,
      completionTokens: 8,
      reasoningTokens: 0,
      costMicros: 266,
      isEstimated: true,
    });
  });

  it("releases a call the upstream refused before any output, and charges one refused after output", () => {
    const refused = settleCall({ price, promptTokensEstimate: 500, completionTokensEstimate: 0, wasRefused: true });
    expect(refused).toMatchObject({ status: "released", costMicros: 0 });
    const late = settleCall({ price, promptTokensEstimate: 500, completionTokensEstimate: 4, wasRefused: true });
    expect(late).toMatchObject({ status: "settled", isEstimated: true, costMicros: 133 });
  });

  it("records tokens but no invented cost for an unpriced model", () => {
    const result = settleCall({
      price: null,
      usage: { promptTokens: 10, completionTokens: 5 },
      promptTokensEstimate: 10,
      completionTokensEstimate: 1,
      wasRefused: false,
    });
    expect(result).toMatchObject({ status: "settled", promptTokens: 10, completionTokens: 5, costMicros: 0 });
  });
});

describe("settleAbandoned", () => {
  it("charges the counted prompt and what was streamed before the server stopped, as an estimate", () => {
    expect(settleAbandoned({ promptTokens: 12_345, streamedTokens: 0, price })).toEqual({
      status: "settled",
      promptTokens: 12_345,
      cachedTokens: 0,
      completionTokens: 0,
      reasoningTokens: 0,
      costMicros: 3_086, // 12,345 × $0.25 / 1M = 3,086.25 micro-USD
      isEstimated: true,
    });
    // + 500 streamed × $2.00 / 1M = 1,000 micro-USD
    expect(settleAbandoned({ promptTokens: 12_345, streamedTokens: 500, price })).toMatchObject({
      completionTokens: 500,
      costMicros: 4_086,
    });
  });

  it("records an unpriced call's tokens at no known cost", () => {
    expect(settleAbandoned({ promptTokens: 40, streamedTokens: 3, price: null })).toMatchObject({
      costMicros: 0,
      isEstimated: true,
    });
  });
});
