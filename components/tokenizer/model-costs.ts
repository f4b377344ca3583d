import { computeCost } from "@/lib/billing/cost";
import type { ModelPrice } from "@/lib/billing/prices";
import type { Encoding } from "@/lib/billing/tokens";

/** A model's price today, as much of it as the page shows. */
export type TokenizerPrice = Pick<ModelPrice, "inputPer1M" | "cachedInputPer1M" | "outputPer1M"> & {
  /** The id the price is listed under ("gpt-4o-mini" for "gpt-4o-mini-2024-07-18"). */
  listedAs: string;
  /** YYYY-MM-DD from which it is in force; null for a price the sources give no date for. */
  since: string | null;
};

/** A configured model as the tokenizer page gets it from the server. */
export type TokenizerModel = {
  model: string;
  encoding: Encoding;
  /** False when the model's tokenizer is unknown and o200k_base stands in (lib/billing/tokens.ts). */
  isKnownEncoding: boolean;
  /** Today's price; null when no source prices the model. */
  price: TokenizerPrice | null;
};

export type ModelCost = TokenizerModel & {
  /** The text's tokens in the model's encoding. */
  tokens: number;
  /** micro-USD of those tokens as input (none cached) and as output; null for an unpriced model. */
  inputMicros: number | null;
  outputMicros: number | null;
};

/**
 * What the text costs each model, sent as input or received as output, at its price: computeCost's rule (exact,
 * rounded half-up to a whole micro-USD), the one every ledger entry is charged by.
 */
export function modelCosts(models: readonly TokenizerModel[], counts: Record<Encoding, number>): ModelCost[] {
  return models.map((model) => {
    const tokens = counts[model.encoding];
    const { price } = model;
    return {
      ...model,
      tokens,
      inputMicros: price && computeCost({ promptTokens: tokens, cachedTokens: 0, completionTokens: 0 }, price),
      outputMicros: price && computeCost({ promptTokens: 0, cachedTokens: 0, completionTokens: tokens }, price),
    };
  });
}

/** Which configured models count with each encoding, in the configured order. */
export function modelsByEncoding(models: readonly TokenizerModel[]): Record<Encoding, TokenizerModel[]> {
  return {
    o200k_base: models.filter((model) => model.encoding === "o200k_base"),
    cl100k_base: models.filter((model) => model.encoding === "cl100k_base"),
  };
}
