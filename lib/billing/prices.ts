// Dated model prices in integer micro-USD per 1M tokens (1 USD = 1,000,000 micro-USD, so $0.25 / 1M → 250000).
// Sources, highest precedence first: the MODEL_PRICES env variable, the committed prices/overrides.json, the
// @pydantic/genai-prices package. A source that lists a model owns that model's whole history. A model no source
// prices is "unpriced" (null): never zero, never a guess. Formats and upkeep: docs/pricing.md.
import { z } from "zod";
import overridesFile from "../../prices/overrides.json";
import { formatUsdPer1M, parseUsdPer1M } from "./money";
import { type PriceEntry, packagePriceHistory, UNDATED } from "./package-prices";

export type { PriceEntry };

export type PriceSource = "package" | "file" | "env";

/** Every unit price of a model in force on a day (PriceEntry's units, each optional), and where it came from. */
export type UnitRates = PriceEntry & {
  /** The id the price is listed under. */
  model: string;
  source: PriceSource;
};

export type ModelPrice = {
  /** The id the price is listed under, e.g. "gpt-4o-mini" for a request to "gpt-4o-mini-2024-07-18". */
  model: string;
  /** Integer micro-USD per 1M tokens. */
  inputPer1M: number;
  /** Integer micro-USD per 1M cache-read input tokens; equals inputPer1M when the model has no cache discount. */
  cachedInputPer1M: number;
  /** Integer micro-USD per 1M output tokens (reasoning tokens are billed as output). */
  outputPer1M: number;
  /** YYYY-MM-DD (UTC) from which this price is in force. */
  effectiveFrom: string;
  source: PriceSource;
};

/** Parsed overrides: model id → dated prices, oldest first. */
export type PriceOverrides = Record<string, PriceEntry[]>;

/** A decimal string of USD (at most 6 decimals, exact) → integer micro-USD; `unit` names what it is per. */
const usdSchema = (unit: string) =>
  z
    .string({
      error: (issue) =>
        `${issue.input === undefined ? "is missing: it" : ""} must be a decimal string of USD ${unit} such as "0.25"`.trim(),
    })
    .transform((text, ctx) => {
      try {
        return parseUsdPer1M(text);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `${(error as Error).message} (USD ${unit}, at most 6 decimals)` });
        return z.NEVER;
      }
    });

const usdPer1MSchema = usdSchema("per 1M tokens");

/** "1024x1024/standard": an image size and quality, as the images API names them. */
const IMAGE_VARIANT = /^(\d+x\d+|auto)\/[a-z]+$/;

const priceEntrySchema = z
  .strictObject({
    effectiveFrom: z.iso.date({ message: 'must be a date "YYYY-MM-DD"' }),
    input: usdPer1MSchema.optional(),
    cachedInput: usdPer1MSchema.optional(),
    output: usdPer1MSchema.optional(),
    audioInput: usdPer1MSchema.optional(),
    imageInput: usdPer1MSchema.optional(),
    imageOutput: usdPer1MSchema.optional(),
    audioPerMinute: usdSchema("per minute").optional(),
    perImage: z
      .record(
        z.string().regex(IMAGE_VARIANT, { message: 'an image variant is "<size>/<quality>", e.g. "1024x1024/hd"' }),
        usdSchema("per image"),
        {
          error: (issue) =>
            issue.code === "invalid_key" ? 'an image variant is "<size>/<quality>", e.g. "1024x1024/hd"' : undefined,
        },
      )
      .optional(),
    /** Why this override exists and where the price comes from; kept in the file for the next person, ignored here. */
    note: z.string().optional(),
    source: z.string().optional(),
  })
  .superRefine((entry, ctx) => {
    if ((entry.input === undefined) !== (entry.output === undefined)) {
      ctx.addIssue({ code: "custom", message: "input and output go together (text tokens)" });
    }
    if (entry.cachedInput !== undefined && entry.input === undefined) {
      ctx.addIssue({ code: "custom", message: "cachedInput needs input" });
    }
    const units = [entry.input, entry.audioInput, entry.imageInput, entry.imageOutput, entry.audioPerMinute];
    if (units.every((unit) => unit === undefined) && entry.perImage === undefined) {
      ctx.addIssue({
        code: "custom",
        message: "needs at least one price (input and output, audioPerMinute, perImage, …)",
      });
    }
  })
  .transform(({ effectiveFrom, input, cachedInput, output, note, source, ...units }): PriceEntry => {
    const entry: PriceEntry = { effectiveFrom };
    if (input !== undefined && output !== undefined) {
      Object.assign(entry, { inputPer1M: input, cachedInputPer1M: cachedInput ?? input, outputPer1M: output });
    }
    if (units.audioInput !== undefined) entry.audioInputPer1M = units.audioInput;
    if (units.imageInput !== undefined) entry.imageInputPer1M = units.imageInput;
    if (units.imageOutput !== undefined) entry.imageOutputPer1M = units.imageOutput;
    if (units.audioPerMinute !== undefined) entry.audioPerMinute = units.audioPerMinute;
    if (units.perImage !== undefined) entry.perImage = units.perImage;
    return entry;
  });

/**
 * The JSON shape of prices/overrides.json and MODEL_PRICES: model → [{ effectiveFrom, input?, cachedInput?, output?,
 * audioInput?, imageInput?, imageOutput?, audioPerMinute?, perImage? }], USD as decimal strings (docs/pricing.md).
 */
export const priceOverridesSchema = z.record(
  z.string().trim().min(1, { message: "model id must not be empty" }),
  z
    .array(priceEntrySchema)
    .min(1, { message: "needs at least one dated price" })
    .transform((entries, ctx) => {
      const sorted = [...entries].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
      for (let i = 1; i < sorted.length; i++) {
        const date = sorted[i]?.effectiveFrom;
        if (date === sorted[i - 1]?.effectiveFrom) ctx.addIssue({ code: "custom", message: `two prices for ${date}` });
      }
      return sorted;
    }),
  { message: "must be a JSON object of model id → list of dated prices" },
);

/** Validates overrides; the error names the source, the model and the field that is wrong. */
export function parsePriceOverrides(json: unknown, sourceName = "price overrides"): PriceOverrides {
  const result = priceOverridesSchema.safeParse(json);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const [model, index, field] = issue.path;
    const where = [
      model === undefined ? undefined : `model "${String(model)}"`,
      typeof index === "number" ? `price #${index + 1}` : undefined,
      field === undefined ? undefined : String(field),
    ].filter(Boolean);
    return `  ${where.length > 0 ? `${where.join(", ")}: ` : ""}${issue.message}`;
  });
  throw new Error(`${sourceName} is invalid:\n${lines.join("\n")}\nFormat: docs/pricing.md`);
}

/** MODEL_PRICES as read from the environment (the caller passes process.env.MODEL_PRICES); unset or empty → {}. */
export function parseModelPricesEnv(value: string | undefined): PriceOverrides {
  if (value === undefined || value.trim() === "") return {};
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch (error) {
    throw new Error(
      `MODEL_PRICES is not valid JSON (${(error as Error).message}). Example: ` +
        `{"llama3.2":[{"effectiveFrom":"2026-01-01","input":"0","output":"0"}]}`,
    );
  }
  return parsePriceOverrides(json, "MODEL_PRICES");
}

let committedOverrides: PriceOverrides | undefined;

/** prices/overrides.json, validated on first use. */
export function fileOverrides(): PriceOverrides {
  committedOverrides ??= parsePriceOverrides(overridesFile, "prices/overrides.json");
  return committedOverrides;
}

type PriceQuery = {
  model: string;
  at: Date | string;
  overrides?: { env?: PriceOverrides; file?: PriceOverrides };
};

/**
 * Every unit price of `model` in force on `at` (UTC day): the entry with the latest effectiveFrom <= that day, from the
 * highest-precedence source listing the model; null when no source prices it (or did not yet then). An override
 * listed under the package's id for a dated model ("o3" for "o3-2025-04-16") applies to it too.
 */
export function findRates({ model, at, overrides = {} }: PriceQuery): UnitRates | null {
  const id = model.trim();
  if (id === "") return null;
  const day = utcDay(at);
  const fromPackage = packagePriceHistory(id);
  const ids = fromPackage && fromPackage.id !== id ? [id, fromPackage.id] : [id];
  const sources: [PriceSource, PriceOverrides][] = [
    ["env", overrides.env ?? {}],
    ["file", overrides.file ?? fileOverrides()],
  ];
  for (const [source, table] of sources) {
    for (const listed of ids) {
      const entries = Object.hasOwn(table, listed) ? table[listed] : undefined;
      if (entries) return rateOn({ model: listed, entries, day, source });
    }
  }
  return fromPackage ? rateOn({ model: fromPackage.id, entries: fromPackage.entries, day, source: "package" }) : null;
}

/**
 * The chat price of `model` on `at`: its text token rates, or null when the model is unpriced for chat (no price,
 * or only prices in other units, like whisper-1's per minute).
 */
export function findPrice(query: PriceQuery): ModelPrice | null {
  const rates = findRates(query);
  if (rates?.inputPer1M === undefined || rates.outputPer1M === undefined) return null;
  const { model, effectiveFrom, source, inputPer1M, outputPer1M } = rates;
  return {
    model,
    inputPer1M,
    cachedInputPer1M: rates.cachedInputPer1M ?? inputPer1M,
    outputPer1M,
    effectiveFrom,
    source,
  };
}

function rateOn({
  model,
  entries,
  day,
  source,
}: {
  model: string;
  entries: PriceEntry[];
  day: string;
  source: PriceSource;
}): UnitRates | null {
  const inForce = entries.filter((entry) => entry.effectiveFrom <= day).at(-1);
  return inForce ? { model, ...inForce, source } : null;
}

function utcDay(at: Date | string): string {
  if (typeof at === "string" && /^\d{4}-\d{2}-\d{2}$/.test(at)) return at;
  const date = typeof at === "string" ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) throw new RangeError(`findPrice: "${String(at)}" is not a date`);
  return date.toISOString().slice(0, 10);
}

const SOURCE_NAMES: Record<PriceSource, string> = {
  package: "",
  file: " from prices/overrides.json",
  env: " from MODEL_PRICES",
};

const sinceText = ({ effectiveFrom, source }: { effectiveFrom: string; source: PriceSource }) =>
  `${effectiveFrom === UNDATED ? "undated prices" : `prices of ${effectiveFrom}`}${SOURCE_NAMES[source]}`;

/** "gpt-5-mini: $0.25 / 1M input, $0.025 / 1M cached, $2.00 / 1M output, prices of 2025-08-07". */
export function describePrice(price: ModelPrice): string {
  return (
    `${price.model}: ${formatUsdPer1M(price.inputPer1M)} / 1M input, ` +
    `${formatUsdPer1M(price.cachedInputPer1M)} / 1M cached, ${formatUsdPer1M(price.outputPer1M)} / 1M output, ` +
    sinceText(price)
  );
}

const hasMediaUnits = (rates: PriceEntry) =>
  rates.audioInputPer1M !== undefined ||
  rates.imageInputPer1M !== undefined ||
  rates.imageOutputPer1M !== undefined ||
  rates.audioPerMinute !== undefined ||
  (rates.perImage !== undefined && Object.keys(rates.perImage).length > 0);

/**
 * Every unit price of `rates` in words: a chat price as describePrice says it; a media price by its own units,
 * "gpt-image-1: $5.00 / 1M text in, $10.00 / 1M image in, $40.00 / 1M image out, prices of 2025-04-23",
 * "whisper-1: $0.006 / minute, …", "dall-e-3: $0.08 / image 1024x1024 hd, …". An image model's output is its images,
 * so its text output rate (the package lists the image output rate there too) is not repeated.
 */
export function describeRates(rates: UnitRates): string {
  const { inputPer1M, outputPer1M, cachedInputPer1M } = rates;
  if (!hasMediaUnits(rates) && inputPer1M !== undefined && outputPer1M !== undefined) {
    return describePrice({ ...rates, inputPer1M, outputPer1M, cachedInputPer1M: cachedInputPer1M ?? inputPer1M });
  }
  const per1M = (micros: number | undefined, unit: string) =>
    micros === undefined ? [] : [`${formatUsdPer1M(micros)} / 1M ${unit}`];
  const units = [
    ...per1M(inputPer1M, "text in"),
    ...per1M(rates.audioInputPer1M, "audio in"),
    ...per1M(rates.imageInputPer1M, "image in"),
    ...(rates.imageOutputPer1M === undefined ? per1M(outputPer1M, "text out") : []),
    ...per1M(rates.imageOutputPer1M, "image out"),
    ...(rates.audioPerMinute === undefined ? [] : [`${formatUsdPer1M(rates.audioPerMinute)} / minute`]),
    ...Object.entries(rates.perImage ?? {}).map(
      ([variant, micros]) => `${formatUsdPer1M(micros)} / image ${variant.replace("/", " ")}`,
    ),
  ];
  return `${rates.model}: ${[...units, sinceText(rates)].join(", ")}`;
}

/** The copy of a price a ledger entry was charged at (its own columns), or null when the entry is unpriced. */
export type EntryPriceColumns = {
  model: string;
  isUnpriced: boolean;
  inputPer1M: number | null;
  cachedInputPer1M: number | null;
  outputPer1M: number | null;
  priceDate: string | null;
};

/** The copies of the unit prices a transcription or image entry was charged at, and the images' variant. */
export type EntryRateColumns = EntryPriceColumns & {
  audioInputPer1M: number | null;
  imageInputPer1M: number | null;
  imageOutputPer1M: number | null;
  audioPerMinute: number | null;
  perImageMicros: number | null;
  imageVariant: string | null;
};

/**
 * Every unit price an entry was charged at, from its own copies (entryPrice is its chat price alone); null when the
 * entry is unpriced or holds no price. A per-image price is the one of the entry's own "<size>/<quality>".
 */
export function entryRates(entry: EntryRateColumns): UnitRates | null {
  if (entry.isUnpriced) return null;
  const rates: UnitRates = { model: entry.model, effectiveFrom: entry.priceDate ?? UNDATED, source: "package" };
  const units = {
    inputPer1M: entry.inputPer1M,
    cachedInputPer1M: entry.cachedInputPer1M,
    outputPer1M: entry.outputPer1M,
    audioInputPer1M: entry.audioInputPer1M,
    imageInputPer1M: entry.imageInputPer1M,
    imageOutputPer1M: entry.imageOutputPer1M,
    audioPerMinute: entry.audioPerMinute,
  };
  let priced = false;
  for (const [unit, micros] of Object.entries(units)) {
    if (micros === null) continue;
    rates[unit as keyof typeof units] = micros;
    priced = true;
  }
  if (entry.perImageMicros !== null && entry.imageVariant !== null) {
    rates.perImage = { [entry.imageVariant]: entry.perImageMicros };
    priced = true;
  }
  return priced ? rates : null;
}

/** Rebuilds the price an entry was charged at from its own copy: history never changes when prices do. */
export function entryPrice(entry: EntryPriceColumns): ModelPrice | null {
  const { isUnpriced, inputPer1M, cachedInputPer1M, outputPer1M } = entry;
  if (isUnpriced || inputPer1M === null || cachedInputPer1M === null || outputPer1M === null) return null;
  return {
    model: entry.model,
    inputPer1M,
    cachedInputPer1M,
    outputPer1M,
    effectiveFrom: entry.priceDate ?? UNDATED,
    // The entry keeps the amounts, not where they came from.
    source: "package",
  };
}
