import { describe, expect, it } from "vitest";
import { findPrice } from "@/lib/billing/prices";
import { modelCosts, modelsByEncoding, type TokenizerModel, type TokenizerPrice } from "./model-costs";

/** A price as the page's server part passes it. */
const price = (inputPer1M: number, outputPer1M: number): TokenizerPrice => ({
  inputPer1M,
  cachedInputPer1M: inputPer1M,
  outputPer1M,
  listedAs: "m",
  since: "2025-01-01",
});

const MODELS: TokenizerModel[] = [
  { model: "gpt-5-mini", encoding: "o200k_base", isKnownEncoding: true, price: price(250_000, 2_000_000) },
  { model: "gpt-4", encoding: "cl100k_base", isKnownEncoding: true, price: price(30_000_000, 60_000_000) },
  { model: "llama3", encoding: "o200k_base", isKnownEncoding: false, price: null },
];

describe("modelCosts", () => {
  it("prices each model's own count as input and as output, to the micro-dollar", () => {
    const costs = modelCosts(MODELS, { o200k_base: 1_234, cl100k_base: 1_501 });
    expect(
      costs.map(({ model, tokens, inputMicros, outputMicros }) => [model, tokens, inputMicros, outputMicros]),
    ).toEqual([
      // 1,234 × $0.25 / 1M = 308.5 µ$ → 309 (half up); × $2 / 1M = 2,468 µ$.
      ["gpt-5-mini", 1_234, 309, 2_468],
      // 1,501 × $30 / 1M = 45,030 µ$; × $60 / 1M = 90,060 µ$.
      ["gpt-4", 1_501, 45_030, 90_060],
      ["llama3", 1_234, null, null],
    ]);
  });

  it("rounds half-up once, below a micro-dollar too", () => {
    const [cheap] = modelCosts(
      [{ model: "nano", encoding: "o200k_base", isKnownEncoding: true, price: price(50_000, 400_000) }],
      { o200k_base: 9, cl100k_base: 0 },
    );
    // 9 × 0.05 = 0.45 µ$ → 0; 9 × 0.4 = 3.6 µ$ → 4.
    expect([cheap?.inputMicros, cheap?.outputMicros]).toEqual([0, 4]);
    const [half] = modelCosts(
      [{ model: "nano", encoding: "o200k_base", isKnownEncoding: true, price: price(50_000, 400_000) }],
      { o200k_base: 10, cl100k_base: 0 },
    );
    expect(half?.inputMicros).toBe(1);
  });

  it("uses the input rate, never the cached one: a pasted text is not a cache hit", () => {
    const known = findPrice({ model: "gpt-4o-mini", at: new Date("2026-01-01") });
    if (!known) throw new Error("gpt-4o-mini has a price");
    expect(known.cachedInputPer1M).toBeLessThan(known.inputPer1M);
    const [cost] = modelCosts(
      [
        {
          model: "gpt-4o-mini",
          encoding: "o200k_base",
          isKnownEncoding: true,
          price: { ...known, listedAs: known.model, since: known.effectiveFrom },
        },
      ],
      { o200k_base: 1_000_000, cl100k_base: 0 },
    );
    expect([cost?.inputMicros, cost?.outputMicros]).toEqual([known.inputPer1M, known.outputPer1M]);
  });

  it("counts nothing as nothing", () => {
    expect(modelCosts(MODELS, { o200k_base: 0, cl100k_base: 0 }).map((cost) => cost.inputMicros)).toEqual([0, 0, null]);
  });
});

describe("modelsByEncoding", () => {
  it("lists the models of each encoding in the configured order", () => {
    const { o200k_base, cl100k_base } = modelsByEncoding(MODELS);
    expect(o200k_base.map((model) => model.model)).toEqual(["gpt-5-mini", "llama3"]);
    expect(cl100k_base.map((model) => model.model)).toEqual(["gpt-4"]);
  });
});
