// Reads OpenAI list prices from @pydantic/genai-prices (a maintained, dated price history; `npm update` brings new
// prices). Only what the package states exactly is taken: anything our flat unit prices cannot represent
// (context-length tiers, cache-write charges, time-of-day prices, sub-micro-dollar rates) leaves the model unpriced
// rather than approximated.
import { calcPrice, type ModelInfo, type ModelPrice as PackagePrice } from "@pydantic/genai-prices";
import { parseScaledDecimal } from "./decimal";

/**
 * One dated price. Every unit is optional: a chat model has the text token rates, whisper-1 only a price per minute,
 * DALL·E only prices per image. A call that needs a unit its price lacks is unpriced (lib/billing/media-cost.ts).
 */
export type PriceEntry = {
  effectiveFrom: string;
  /** Text tokens, integer micro-USD per 1M. cachedInputPer1M equals inputPer1M when there is no cache discount. */
  inputPer1M?: number;
  cachedInputPer1M?: number;
  outputPer1M?: number;
  /** Audio input tokens (gpt-4o-transcribe models), micro-USD per 1M. */
  audioInputPer1M?: number;
  /** Image tokens sent to an image model, and image tokens it generates, micro-USD per 1M. */
  imageInputPer1M?: number;
  imageOutputPer1M?: number;
  /** Audio billed by duration (whisper-1), micro-USD per minute. */
  audioPerMinute?: number;
  /** Images billed per image (DALL·E): "<size>/<quality>" → micro-USD per image. */
  perImage?: Record<string, number>;
};

/** effectiveFrom of a package price with no start date and no dated snapshot to anchor it. */
export const UNDATED = "0001-01-01";

/** The package lists model ids, so we look only at its OpenAI provider: other upstreams are priced by override. */
const PROVIDER_ID = "openai";
const DATED_SNAPSHOT = /-(\d{4}-\d{2}-\d{2})$/;

/**
 * The model's price history as the package has it, under the package's own id for it (its match rules map e.g.
 * "gpt-4o-mini-2024-07-18" to "gpt-4o-mini"); null when the package has no exact flat price for it.
 */
export function packagePriceHistory(model: string): { id: string; entries: PriceEntry[] } | null {
  const info = calcPrice({}, model, { providerId: PROVIDER_ID })?.model;
  if (!info) return null;
  const conditional = Array.isArray(info.prices) ? info.prices : [{ prices: info.prices }];
  const starts = conditional.flatMap(({ constraint }) =>
    constraint?.type === "start_date" ? [constraint.start_date] : [],
  );
  const snapshot = firstSnapshotDate(info);
  // A snapshot date is only an anchor if it comes before every dated price.
  const firstStart = starts.every((start) => snapshot < start) ? snapshot : UNDATED;
  const entries: PriceEntry[] = [];
  for (const { constraint, prices } of conditional) {
    if (constraint && constraint.type !== "start_date") return null;
    const entry = toEntry(prices, constraint?.start_date ?? firstStart);
    if (!entry) return null;
    entries.push(entry);
  }
  return { id: info.id, entries };
}

/**
 * The package gives the first price no start date. A dated snapshot id it lists for the model
 * ("gpt-5-mini-2025-08-07") is OpenAI's release date of that price, so it anchors the history; without one the
 * price is UNDATED (in force for any date).
 */
function firstSnapshotDate(info: ModelInfo): string {
  const dates = matchedIds(info.match)
    .map((id) => DATED_SNAPSHOT.exec(id)?.[1])
    .filter((date): date is string => date !== undefined)
    .sort();
  return dates[0] ?? UNDATED;
}

function matchedIds(match: ModelInfo["match"]): string[] {
  if ("equals" in match) return [match.equals];
  if ("or" in match) return match.or.flatMap(matchedIds);
  return [];
}

function toEntry(prices: PackagePrice, effectiveFrom: string): PriceEntry | null {
  const { cache_write_mtok: cacheWrite, input_mtok: input } = prices;
  if (cacheWrite !== undefined && cacheWrite !== input) return null;
  const units = {
    inputPer1M: prices.input_mtok,
    cachedInputPer1M: prices.cache_read_mtok ?? input,
    outputPer1M: prices.output_mtok,
    audioInputPer1M: prices.input_audio_mtok,
    imageInputPer1M: prices.input_image_mtok,
    // An image model's output is images: the package lists their rate as output_mtok when it has no separate text
    // output rate (gpt-image-1: $40 / 1M, OpenAI's image output price); output_image_mtok when it has both.
    imageOutputPer1M:
      prices.output_image_mtok ?? (prices.input_image_mtok === undefined ? undefined : prices.output_mtok),
  };
  const entry: PriceEntry = { effectiveFrom };
  for (const [unit, value] of Object.entries(units) as [keyof typeof units, PackagePrice[string]][]) {
    if (value === undefined) continue;
    const micros = toMicros(value);
    if (micros === null) return null;
    entry[unit] = micros;
  }
  const perHour = prices.input_audio_hours ?? prices.audio_hours;
  if (perHour !== undefined) {
    const micros = toMicros(perHour);
    // Per minute exactly, or not at all: $0.36 an hour is $0.006 a minute.
    if (micros === null || micros % 60 !== 0) return null;
    entry.audioPerMinute = micros / 60;
  }
  return Object.keys(entry).length > 1 ? entry : null;
}

/**
 * The package stores USD per 1M (per hour for audio) as JS numbers written as decimals in its source (0.025).
 * String(n) gives that shortest decimal back exactly, which we then parse without floating-point arithmetic.
 */
function toMicros(value: PackagePrice[string]): number | null {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return null;
  try {
    return Number(parseScaledDecimal(String(value), 6));
  } catch {
    // An exponent form (1e-7) or more than 6 decimals: not a whole micro-dollar per 1M tokens.
    return null;
  }
}
