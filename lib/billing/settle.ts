// What a finished (or failed, or abandoned) call cost. Pure: the caller stores the result on the call's ledger entry.
import { computeCost } from "./cost";
import type { ModelPrice } from "./prices";

export type ReportedUsage = {
  promptTokens: number;
  completionTokens: number;
  cachedTokens?: number;
  reasoningTokens?: number;
};

type Rates = Pick<ModelPrice, "inputPer1M" | "cachedInputPer1M" | "outputPer1M">;

export type Settlement = {
  /** "settled": money was (or may have been) spent; "released": the upstream refused, nothing spent. */
  status: "settled" | "released";
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  /** micro-USD; 0 for an unpriced model (whose entry says so) */
  costMicros: number;
  isEstimated: boolean;
} & Partial<MediaUnits>;

/** What a transcription or an image call is billed in besides text tokens (the ledger entry's columns). */
export type MediaUnits = {
  audioSeconds: number;
  audioTokens: number;
  imageInputTokens: number;
  imageOutputTokens: number;
  images: number;
};

export type CallOutcome = {
  price: Rates | null;
  /** The upstream's usage, when it reported one (a stream that ended normally with include_usage). */
  usage?: ReportedUsage;
  /** Our count of the prompt we sent, made when reserving. */
  promptTokensEstimate: number;
  /** Our count of the reply text that arrived; used only when the upstream reported no usage. */
  completionTokensEstimate: number;
  /** The upstream answered with an error status: it generated, and billed, nothing (unless text arrived first). */
  wasRefused: boolean;
};

/**
 * Billed figures come from the upstream's usage. Without usage (stopped, cut, timed out, the chat deleted mid-reply,
 * failed after output) the call is charged our counts of what was sent and what arrived, flagged as an estimate. Only
 * a call the upstream refused before any output is released at zero. Unpriced models record their tokens with a cost
 * of 0 and the entry's isUnpriced flag.
 */
export function settleCall({
  price,
  usage,
  promptTokensEstimate,
  completionTokensEstimate,
  wasRefused,
}: CallOutcome): Settlement {
  if (usage) {
    const cachedTokens = Math.min(usage.cachedTokens ?? 0, usage.promptTokens);
    const tokens = {
      promptTokens: usage.promptTokens,
      cachedTokens,
      completionTokens: usage.completionTokens,
      reasoningTokens: usage.reasoningTokens ?? 0,
    };
    return { status: "settled", ...tokens, costMicros: price ? computeCost(tokens, price) : 0, isEstimated: false };
  }
  if (wasRefused && completionTokensEstimate === 0) {
    return {
      status: "released",
      promptTokens: 0,
      cachedTokens: 0,
      completionTokens: 0,
      reasoningTokens: 0,
      costMicros: 0,
      isEstimated: false,
    };
  }
  return estimated({ promptTokens: promptTokensEstimate, completionTokens: completionTokensEstimate, price });
}

/**
 * A call whose server stopped (crash, kill, redeploy) before settling it: its lease ran out. The prompt was sent and
 * the reply streamed as far as the server last recorded (`streamedTokens`), so that is what it is charged, flagged as
 * an estimate: a lower bound, since tokens streamed after the last record are unknown. Never released to zero: a call
 * that may have cost money is not left unrecorded.
 */
export function settleAbandoned({
  promptTokens,
  streamedTokens,
  price,
}: {
  promptTokens: number;
  streamedTokens: number;
  price: Rates | null;
}): Settlement {
  return estimated({ promptTokens, completionTokens: streamedTokens, price });
}

/**
 * A transcription or image call whose server stopped before settling it. Whether the upstream finished (and billed)
 * is unknown, and nothing streamed to count: it is charged its worst case, the amount reserved, as an estimate.
 */
export function settleAbandonedMedia({
  reservedMicros,
  promptTokens,
}: {
  reservedMicros: number;
  promptTokens: number;
}): Settlement {
  return {
    status: "settled",
    promptTokens,
    cachedTokens: 0,
    completionTokens: 0,
    reasoningTokens: 0,
    costMicros: reservedMicros,
    isEstimated: true,
  };
}

function estimated({
  promptTokens,
  completionTokens,
  price,
}: {
  promptTokens: number;
  completionTokens: number;
  price: Rates | null;
}): Settlement {
  const tokens = { promptTokens, cachedTokens: 0, completionTokens, reasoningTokens: 0 };
  return { status: "settled", ...tokens, costMicros: price ? computeCost(tokens, price) : 0, isEstimated: true };
}
