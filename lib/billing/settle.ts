// What a finished (or failed) chat call cost. Pure: the caller stores the result on the call's ledger entry.
import { computeCost } from "./cost";
import type { ModelPrice } from "./prices";
import { estimateCompletionTokens } from "./tokens";

export type ReportedUsage = {
  promptTokens: number;
  completionTokens: number;
  cachedTokens?: number;
  reasoningTokens?: number;
};

export type CallOutcome = {
  model: string;
  price: ModelPrice | null;
  /** The upstream's usage, when it reported one (a stream that ended normally with include_usage). */
  usage?: ReportedUsage;
  /** Our count of the prompt we sent, made when reserving. */
  promptTokensEstimate: number;
  /** The reply text that arrived. */
  text: string;
  /** The upstream answered with an error status before generating anything: nothing was spent. */
  wasRefused: boolean;
};

/**
 * Billed figures come from the upstream's usage. Without usage (stopped, cut, failed after output), the call is
 * estimated with the tokenizer from what was sent and received, and flagged. Only a call the upstream refused outright
 * is released at zero. Unpriced models record their tokens with a cost of 0 and the entry's isUnpriced flag.
 * The tokenizer for `model` must be loaded (loadTokenizer) before an estimate is needed.
 */
export function settleCall({ model, price, usage, promptTokensEstimate, text, wasRefused }: CallOutcome) {
  if (usage) {
    const cachedTokens = Math.min(usage.cachedTokens ?? 0, usage.promptTokens);
    const tokens = {
      promptTokens: usage.promptTokens,
      cachedTokens,
      completionTokens: usage.completionTokens,
      reasoningTokens: usage.reasoningTokens ?? 0,
    };
    return {
      status: "settled" as const,
      ...tokens,
      costMicros: price ? computeCost(tokens, price) : 0,
      isEstimated: false,
    };
  }
  if (wasRefused && text === "") {
    return {
      status: "released" as const,
      promptTokens: 0,
      cachedTokens: 0,
      completionTokens: 0,
      reasoningTokens: 0,
      costMicros: 0,
      isEstimated: false,
    };
  }
  const tokens = {
    promptTokens: promptTokensEstimate,
    cachedTokens: 0,
    completionTokens: estimateCompletionTokens(text, model),
    reasoningTokens: 0,
  };
  return {
    status: "settled" as const,
    ...tokens,
    costMicros: price ? computeCost(tokens, price) : 0,
    isEstimated: true,
  };
}

/**
 * A call whose server stopped (crash, redeploy) before settling it: nothing says whether or how much the upstream
 * answered, but the prompt may have been sent, so the reservation settles to the counted prompt at the input price,
 * flagged as an estimate. Never released to zero: a call that may have cost money is not left unrecorded.
 */
export function settleAbandoned({
  promptTokens,
  price,
}: {
  promptTokens: number;
  price: Pick<ModelPrice, "inputPer1M" | "cachedInputPer1M" | "outputPer1M"> | null;
}) {
  const tokens = { promptTokens, cachedTokens: 0, completionTokens: 0, reasoningTokens: 0 };
  return {
    status: "settled" as const,
    ...tokens,
    costMicros: price ? computeCost(tokens, price) : 0,
    isEstimated: true,
  };
}
