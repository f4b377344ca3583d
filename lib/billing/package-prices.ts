// Reads OpenAI list prices from @pydantic/genai-prices (a maintained, dated price history; `npm update` brings new
// prices). Only what the package states exactly is taken: anything our flat input/cached/output price cannot
// represent (context-length tiers, cache-write charges, time-of-day prices, sub-micro-dollar rates) leaves the model
// unpriced rather than approximated.
import { calcPrice, type ModelInfo, type ModelPrice as PackagePrice } from "@pydantic/genai-prices";
import { parseScaledDecimal } from "./decimal";

/** One dated price, integer micro-USD per 1M tokens. */
export type PriceEntry = {
  effectiveFrom: string;
  inputPer1M: number;
  cachedInputPer1M: number;
  outputPer1M: number;
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
  const { input_mtok: input, cache_read_mtok: cachedInput, output_mtok: output, cache_write_mtok: cacheWrite } = prices;
  if (cacheWrite !== undefined && cacheWrite !== input) return null;
  const inputPer1M = toMicros(input);
  const outputPer1M = toMicros(output);
  const cachedInputPer1M = cachedInput === undefined ? inputPer1M : toMicros(cachedInput);
  if (inputPer1M === null || outputPer1M === null || cachedInputPer1M === null) return null;
  return { effectiveFrom, inputPer1M, cachedInputPer1M, outputPer1M };
}

/**
 * The package stores USD per 1M as JS numbers written as decimals in its source (0.025). String(n) gives that
 * shortest decimal back exactly, which we then parse without floating-point arithmetic.
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
