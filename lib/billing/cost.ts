// Message costs. Amounts are integer micro-USD (1 USD = 1,000,000); prices are integer micro-USD per 1M tokens, so
// tokens × price is micro-USD × 10^6 and one division by 10^6 (in BigInt) gives the cost exactly. Parsing and showing
// amounts: ./money.ts.
import { divideCeil, divideRoundHalfUp } from "./decimal";
import type { ModelPrice } from "./prices";

const PER_MILLION = 1_000_000n;

export type TokenUsage = {
  /** As the upstream reports it: OpenAI's prompt_tokens INCLUDES the cached ones. */
  promptTokens: number;
  /** Cache-read prompt tokens (prompt_tokens_details.cached_tokens); 0 when none. */
  cachedTokens: number;
  /** completion_tokens, which already include reasoning tokens: they are not added again. */
  completionTokens: number;
};

type Rates = Pick<ModelPrice, "inputPer1M" | "cachedInputPer1M" | "outputPer1M">;

/**
 * Cost of one message in micro-USD: (prompt − cached)·input + cached·cachedInput + completion·output, summed exactly
 * and rounded half-up to a whole micro-USD once per message (never per token class), so a ledger of messages sums
 * to what each message shows.
 */
export function computeCost({ promptTokens, cachedTokens, completionTokens }: TokenUsage, price: Rates): number {
  const prompt = tokens(promptTokens, "promptTokens");
  const cached = tokens(cachedTokens, "cachedTokens");
  const completion = tokens(completionTokens, "completionTokens");
  if (cached > prompt) {
    throw new RangeError(
      `cachedTokens (${cached}) exceeds promptTokens (${prompt}): prompt tokens include cached ones`,
    );
  }
  const scaled =
    (prompt - cached) * BigInt(price.inputPer1M) +
    cached * BigInt(price.cachedInputPer1M) +
    completion * BigInt(price.outputPer1M);
  return Number(divideRoundHalfUp(scaled, PER_MILLION));
}

/**
 * The most a request can cost, in micro-USD, to reserve against a budget before sending it: every prompt token at
 * the dearer of the input rates (no cache hit assumed), every allowed output token, rounded UP.
 */
export function worstCaseCost(
  { promptTokens, maxOutputTokens }: { promptTokens: number; maxOutputTokens: number },
  price: Rates,
): number {
  const inputRate = BigInt(Math.max(price.inputPer1M, price.cachedInputPer1M));
  const scaled =
    tokens(promptTokens, "promptTokens") * inputRate +
    tokens(maxOutputTokens, "maxOutputTokens") * BigInt(price.outputPer1M);
  return Number(divideCeil(scaled, PER_MILLION));
}

function tokens(count: number, name: string): bigint {
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`${name} must be a whole number ≥ 0, got ${count}`);
  return BigInt(count);
}

/**
 * The most a legacy completions call can cost: the prompt billed once, and each of its `n` choices up to its own
 * output limit (OpenAI bills the completion tokens of every choice, the prompt once), rounded up.
 */
export function completionWorstCase(
  { promptTokens, maxTokens, n }: { promptTokens: number; maxTokens: number; n: number },
  price: Rates,
): number {
  return worstCaseCost({ promptTokens, maxOutputTokens: n * maxTokens }, price);
}
