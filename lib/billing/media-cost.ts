// What transcriptions and images cost, and the most they can cost (reserved before the call), in integer micro-USD
// from integer unit prices (lib/billing/prices.ts): BigInt arithmetic, one rounding per call (half-up for a cost,
// up for a worst case), as chat costs are (./cost.ts). Every function returns null when a unit the call is billed in
// has no price: the call is unpriced, exactly as a chat model without a price, never charged 0 by accident.
import { divideCeil, divideRoundHalfUp } from "./decimal";
import { imageOutputTokens, imageVariant } from "./image-variants";
import type { UnitRates } from "./prices";

const PER_MILLION = 1_000_000n;
const SECONDS_PER_MINUTE = 60n;

/**
 * A transcription's usage as the upstream reports it: tokens (gpt-4o-transcribe models: the prompt's text tokens,
 * the audio's tokens, the transcript's tokens) or the audio's duration (whisper-1).
 */
export type TranscriptionUsage =
  | { type: "tokens"; textInputTokens: number; audioTokens: number; outputTokens: number }
  | { type: "duration"; seconds: number };

/**
 * The most audio tokens and transcript tokens a second of audio can bring. OpenAI bills user audio at about 10 tokens
 * a second (1 token per 100 ms) and speech runs at 2–5 text tokens a second; the reservation allows twice that.
 */
export const AUDIO_TOKENS_PER_SECOND_MAX = 20;
export const TRANSCRIPT_TOKENS_PER_SECOND_MAX = 10;

type Term = [count: number, rate: number | undefined];

/** Σ count × rate (rates per 1M) scaled by 10^6; null when a unit with a count has no rate. */
function scaledSum(terms: Term[]): bigint | null {
  let sum = 0n;
  for (const [count, rate] of terms) {
    const units = whole(count);
    if (units === 0n) continue;
    if (rate === undefined) return null;
    sum += units * BigInt(rate);
  }
  return sum;
}

function whole(count: number): bigint {
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`a unit count must be a whole number ≥ 0, got ${count}`);
  return BigInt(count);
}

/** Whole seconds billed for a duration: every started second (OpenAI reports whisper-1's usage in whole seconds). */
export function billedSeconds(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`a duration must be ≥ 0 seconds, got ${seconds}`);
  return Math.ceil(seconds);
}

const perMinute = (seconds: number, rate: number, divide: (value: bigint, by: bigint) => bigint) =>
  Number(divide(BigInt(billedSeconds(seconds)) * BigInt(rate), SECONDS_PER_MINUTE));

/** What a transcription cost, from its reported (or, labelled an estimate by the caller, measured) usage. */
export function transcriptionCost(usage: TranscriptionUsage, rates: UnitRates): number | null {
  if (usage.type === "duration") {
    return rates.audioPerMinute === undefined
      ? null
      : perMinute(usage.seconds, rates.audioPerMinute, divideRoundHalfUp);
  }
  const scaled = scaledSum([
    [usage.textInputTokens, rates.inputPer1M],
    [usage.audioTokens, rates.audioInputPer1M],
    [usage.outputTokens, rates.outputPer1M],
  ]);
  return scaled === null ? null : Number(divideRoundHalfUp(scaled, PER_MILLION));
}

/**
 * The most a transcription of `seconds` of audio with a `promptTokens` prompt can cost: billed by duration when the
 * model has a price per minute, by tokens when it has an audio token price (at the bounds above), the dearer of the
 * two when it has both. Null when it has neither, or lacks a text rate the token bill needs.
 */
export function transcriptionWorstCase(
  { seconds, promptTokens }: { seconds: number; promptTokens: number },
  rates: UnitRates,
): number | null {
  const billed = billedSeconds(seconds);
  const byDuration = rates.audioPerMinute === undefined ? null : perMinute(billed, rates.audioPerMinute, divideCeil);
  const scaled =
    rates.audioInputPer1M === undefined
      ? null
      : scaledSum([
          [promptTokens, rates.inputPer1M],
          [billed * AUDIO_TOKENS_PER_SECOND_MAX, rates.audioInputPer1M],
          [billed * TRANSCRIPT_TOKENS_PER_SECOND_MAX, rates.outputPer1M],
        ]);
  const byTokens = scaled === null ? null : Number(divideCeil(scaled, PER_MILLION));
  if (byDuration === null) return byTokens;
  return byTokens === null ? byDuration : Math.max(byDuration, byTokens);
}

/**
 * An image call's usage: tokens as a gpt-image model reports them (the prompt's text tokens, the tokens of images sent
 * with it, the generated images' tokens), or the number of images for a model priced per image (DALL·E).
 */
export type ImageUsage =
  | { type: "tokens"; textInputTokens: number; imageInputTokens: number; imageOutputTokens: number }
  | { type: "images"; count: number };

type Variant = { size: string; quality: string };

/** What an image call cost: by its reported tokens, or per image of its size and quality. */
export function imageCost(usage: ImageUsage, rates: UnitRates, variant: Variant): number | null {
  if (usage.type === "images") {
    const each = rates.perImage?.[imageVariant(variant)];
    return each === undefined ? null : Number(whole(usage.count) * BigInt(each));
  }
  const scaled = scaledSum([
    [usage.textInputTokens, rates.inputPer1M],
    [usage.imageInputTokens, rates.imageInputPer1M],
    [usage.imageOutputTokens, rates.imageOutputPer1M],
  ]);
  return scaled === null ? null : Number(divideRoundHalfUp(scaled, PER_MILLION));
}

/**
 * The most `count` images of a size and quality from a `promptTokens` prompt can cost: per image when the model has
 * that variant's price, else every prompt token plus each image's output tokens (image-variants.ts). Null when
 * neither is known.
 */
export function imageWorstCase(
  { promptTokens, count, ...variant }: Variant & { promptTokens: number; count: number },
  rates: UnitRates,
): number | null {
  const each = rates.perImage?.[imageVariant(variant)];
  if (each !== undefined) return Number(whole(count) * BigInt(each));
  const perImage = imageOutputTokens(variant, rates.model);
  if (perImage === null) return null;
  const scaled = scaledSum([
    [promptTokens, rates.inputPer1M],
    [count * perImage, rates.imageOutputPer1M],
  ]);
  // Without an output rate the images are unpriced however cheap the prompt.
  if (scaled === null || rates.imageOutputPer1M === undefined) return null;
  return Number(divideCeil(scaled, PER_MILLION));
}
