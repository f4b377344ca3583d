// Usage reports over ledger entries, pure: UTC days and months, zero-filled daily spend, totals per model and per
// month, and the CSV export. Amounts are integer micro-USD summed as BigInt and turned into numbers only at the end.
// Spend is what settled entries cost: released ones spent nothing and reserved ones are still in flight, so lib/db
// hands these functions sums of settled entries only (SPEND_STATUS), per UTC day and model (its usage rollup).
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { monthStart } from "./budget";
import { LEDGER_KINDS, type LedgerKind } from "./kinds";
import type { ModelPrice } from "./prices";

export const SPEND_STATUS = "settled";

export const usageRangeSchema = z.enum(["30d", "month", "all"]);
export type UsageRange = z.infer<typeof usageRangeSchema>;

export const DAILY_SPEND_DAYS = 30;
export const LEDGER_PAGE_SIZE = 50;

/** The usage page's ?range= and ?page=: a malformed or repeated value falls back to the default, not an error page. */
export const usagePageParamsSchema = z.object({
  range: usageRangeSchema.catch("30d"),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});
export type UsagePageParams = z.infer<typeof usagePageParamsSchema>;

/** GET /api/usage/export?range=: without one, everything (an export is "my data"); a wrong one is a 400. */
export const usageExportParamsSchema = z.object({
  range: usageRangeSchema.default("all"),
});

/** "2026-11-22" for an instant, in UTC. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** "2026-11" for an instant, in UTC. */
export function utcMonth(at: Date): string {
  return at.toISOString().slice(0, 7);
}

function utcDayStart(at: Date, offsetDays = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + offsetDays));
}

/** The `count` UTC days ending with today, oldest first, and the instants that bound them [start, end). */
export function lastUtcDays({ now, count }: { now: Date; count: number }) {
  const start = utcDayStart(now, 1 - count);
  const days = Array.from({ length: count }, (_, i) => utcDay(utcDayStart(start, i)));
  return { days, start, end: utcDayStart(now, 1) };
}

/** First instant of a range, or null for all time. "30d" is today and the 29 UTC days before it, like the chart. */
export function rangeStart({ range, now }: { range: UsageRange; now: Date }): Date | null {
  if (range === "30d") return lastUtcDays({ now, count: DAILY_SPEND_DAYS }).start;
  if (range === "month") return monthStart(now);
  return null;
}

/** A BigInt micro-USD sum as a number for display; past 2^53 it would silently lose micro-dollars, so it throws. */
export function microsToNumber(micros: bigint): number {
  if (micros > BigInt(Number.MAX_SAFE_INTEGER) || micros < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${micros} micro-USD is beyond exact number range`);
  }
  return Number(micros);
}

/** Exact USD decimal text with all 6 decimals and no separators, for machines: 4442n → "0.004442". */
export function microsToDecimal(micros: bigint | number): string {
  const value = BigInt(micros);
  const digits = (value < 0n ? -value : value).toString().padStart(7, "0");
  return `${value < 0n ? "-" : ""}${digits.slice(0, -6)}.${digits.slice(-6)}`;
}

export type DaySpend = { day: string; calls: number; costMicros: number };

/** Spend per UTC day over `days` (YYYY-MM-DD, in order), zero-filled: a day without spend is there with 0. */
export function spendPerDay(sums: { day: string; calls: number; costMicros: bigint }[], days: string[]): DaySpend[] {
  const totals = new Map(days.map((day) => [day, { calls: 0, costMicros: 0n }]));
  for (const sum of sums) {
    const total = totals.get(sum.day);
    if (!total) continue;
    total.calls += sum.calls;
    total.costMicros += sum.costMicros;
  }
  return days.map((day) => {
    const total = totals.get(day) ?? { calls: 0, costMicros: 0n };
    return { day, calls: total.calls, costMicros: microsToNumber(total.costMicros) };
  });
}

type Totals = {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  costMicros: number;
  /** Some calls were counted with our tokenizer (no usage reported): their cost is an estimate. */
  hasEstimated: boolean;
  /** Some calls have no known price: their cost is unknown and not in costMicros, which is then a lower bound. */
  hasUnpriced: boolean;
};

export type ModelSpend = Totals & { model: string; kind: string };
export type KindSpend = Totals & { kind: LedgerKind };
export type MonthTotals = Totals & { month: string };

/**
 * One group of spend, e.g. what lib/db reads per (model, isEstimated, isUnpriced) with groupBy. A group of no calls
 * (its entries were re-settled into another group) is no spend, and flags nothing.
 */
export type SpendGroup = {
  key: string;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  costMicros: bigint;
  isEstimated: boolean;
  isUnpriced: boolean;
};

function sumGroups(groups: SpendGroup[]): Map<string, Totals> {
  const sums = new Map<string, Omit<Totals, "costMicros"> & { costMicros: bigint }>();
  for (const group of groups) {
    if (group.calls === 0) continue;
    const sum = sums.get(group.key) ?? {
      calls: 0,
      promptTokens: 0,
      completionTokens: 0,
      costMicros: 0n,
      hasEstimated: false,
      hasUnpriced: false,
    };
    sum.calls += group.calls;
    sum.promptTokens += group.promptTokens;
    sum.completionTokens += group.completionTokens;
    sum.costMicros += group.costMicros;
    sum.hasEstimated ||= group.isEstimated;
    sum.hasUnpriced ||= group.isUnpriced;
    sums.set(group.key, sum);
  }
  return new Map([...sums].map(([key, sum]) => [key, { ...sum, costMicros: microsToNumber(sum.costMicros) }]));
}

/** A group of one model's spend, of one kind (a model's calls are of one kind, but nothing here relies on it). */
export type ModelSpendGroup = SpendGroup & { kind: string };

const KEY_SEPARATOR = "\u0000";

/** Per model and kind, dearest first (then by name, so ties keep a stable order). */
export function spendPerModel(groups: ModelSpendGroup[]): ModelSpend[] {
  const keyed = groups.map((group) => ({ ...group, key: `${group.kind}${KEY_SEPARATOR}${group.key}` }));
  return [...sumGroups(keyed)]
    .map(([key, totals]) => {
      const [kind = "", model = ""] = key.split(KEY_SEPARATOR);
      return { model, kind, ...totals };
    })
    .sort((a, b) => b.costMicros - a.costMicros || a.model.localeCompare(b.model) || a.kind.localeCompare(b.kind));
}

const NO_SPEND: Totals = {
  calls: 0,
  promptTokens: 0,
  completionTokens: 0,
  costMicros: 0,
  hasEstimated: false,
  hasUnpriced: false,
};

/**
 * Per kind of call (chat, transcription, image), every kind in LEDGER_KINDS order, those without calls at zero, so the
 * breakdown always reads the same way. `key` is the kind; a kind this version does not know is left out (it would be
 * a newer server's entry, counted in the totals elsewhere).
 */
export function spendPerKind(groups: SpendGroup[]): KindSpend[] {
  const sums = sumGroups(groups);
  return LEDGER_KINDS.map((kind) => ({ kind, ...(sums.get(kind) ?? NO_SPEND) }));
}

/**
 * A part's share of a whole in tenths of a percent (‰), rounded half-up in integers, so a share shown with one decimal
 * ("33.3%") is never rounded again in floats: 1 of 3 → 333. 0 when the whole is 0.
 */
export function sharePermille(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Number((BigInt(part) * 2_000n + BigInt(whole)) / (2n * BigInt(whole)));
}

/** A group of spend on one UTC day ("2026-11-22"). */
export type DaySpendGroup = Omit<SpendGroup, "key"> & { day: string };

/** Per UTC month ("2026-11"), newest first; only months with spend appear. */
export function totalsPerMonth(days: DaySpendGroup[]): MonthTotals[] {
  const groups = days.map(({ day, ...group }) => ({ ...group, key: day.slice(0, 7) }));
  return [...sumGroups(groups)]
    .map(([month, totals]) => ({ month, ...totals }))
    .sort((a, b) => b.month.localeCompare(a.month));
}

/** The price a ledger entry was charged at, from its snapshot; null when unpriced or never priced. */
export function snapshotPrice(entry: {
  model: string;
  inputPer1M: number | null;
  cachedInputPer1M: number | null;
  outputPer1M: number | null;
  priceDate: string | null;
}): ModelPrice | null {
  const { model, inputPer1M, cachedInputPer1M, outputPer1M, priceDate } = entry;
  if (inputPer1M === null || cachedInputPer1M === null || outputPer1M === null || priceDate === null) return null;
  // The snapshot keeps the rates, not where they came from; "package" is the source describePrice adds nothing for.
  return { model, inputPer1M, cachedInputPer1M, outputPer1M, effectiveFrom: priceDate, source: "package" };
}

export const LEDGER_CSV_COLUMNS = [
  "created_at",
  "kind",
  "status",
  "model",
  "conversation_id",
  "conversation_title",
  "prompt_tokens",
  "cached_tokens",
  "completion_tokens",
  "reasoning_tokens",
  "cost_usd",
  "cost_micros",
  "is_estimated",
  "is_unpriced",
  "price_input_per_1m_usd",
  "price_cached_input_per_1m_usd",
  "price_output_per_1m_usd",
  "price_date",
  // Transcriptions and images (appended, so existing readers of the columns above keep working).
  "audio_seconds",
  "audio_tokens",
  "image_input_tokens",
  "image_output_tokens",
  "images",
  "image_variant",
  "price_audio_input_per_1m_usd",
  "price_image_input_per_1m_usd",
  "price_image_output_per_1m_usd",
  "price_audio_per_minute_usd",
  "price_per_image_usd",
  // Where the call was asked for: "web", or a messaging channel ("telegram"). Appended too.
  "source",
] as const;

export type LedgerCsvEntry = {
  createdAt: Date;
  kind: string;
  status: string;
  model: string;
  conversationId: string | null;
  /** null when the conversation was deleted (the entry outlives it): the cell is left empty. */
  conversationTitle: string | null;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  costMicros: bigint;
  isEstimated: boolean;
  isUnpriced: boolean;
  inputPer1M: number | null;
  cachedInputPer1M: number | null;
  outputPer1M: number | null;
  priceDate: string | null;
  /** What a transcription or an image call is billed in besides text tokens (0 / null for a chat call). */
  audioSeconds: number;
  audioTokens: number;
  imageInputTokens: number;
  imageOutputTokens: number;
  images: number;
  imageVariant: string | null;
  /** Their unit prices as charged: micro-USD per 1M tokens, per minute, per image; null when not used. */
  audioInputPer1M: number | null;
  imageInputPer1M: number | null;
  imageOutputPer1M: number | null;
  audioPerMinute: number | null;
  perImageMicros: number | null;
  /** Where the call was asked for: "web", or a messaging channel ("telegram"). */
  source: string;
};

/**
 * Spreadsheets run a cell that starts with = + - @ (and, in some, tab or carriage return) as a formula, so a chat
 * titled `=HYPERLINK(...)` could act when the export is opened. Such cells get a leading apostrophe, which
 * spreadsheets show as text and hide; the value is otherwise untouched. Our own numbers are never negative, so only
 * text a user or a model name supplied can be affected.
 */
export function guardCsvFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

function ledgerCsvRow(entry: LedgerCsvEntry): string[] {
  // Unknown is not zero: an unpriced call's cost, and a reserved call's (not settled yet), are left empty.
  const isCostKnown = !entry.isUnpriced && entry.status !== "reserved";
  const usd = (micros: number | null) => (micros === null ? "" : microsToDecimal(micros));
  const row = [
    entry.createdAt.toISOString(),
    entry.kind,
    entry.status,
    entry.model,
    entry.conversationId ?? "",
    entry.conversationTitle ?? "",
    String(entry.promptTokens),
    String(entry.cachedTokens),
    String(entry.completionTokens),
    String(entry.reasoningTokens),
    isCostKnown ? microsToDecimal(entry.costMicros) : "",
    isCostKnown ? entry.costMicros.toString() : "",
    String(entry.isEstimated),
    String(entry.isUnpriced),
    usd(entry.inputPer1M),
    usd(entry.cachedInputPer1M),
    usd(entry.outputPer1M),
    entry.priceDate ?? "",
    String(entry.audioSeconds),
    String(entry.audioTokens),
    String(entry.imageInputTokens),
    String(entry.imageOutputTokens),
    String(entry.images),
    entry.imageVariant ?? "",
    usd(entry.audioInputPer1M),
    usd(entry.imageInputPer1M),
    usd(entry.imageOutputPer1M),
    usd(entry.audioPerMinute),
    usd(entry.perImageMicros),
    entry.source,
  ];
  return row.map(guardCsvFormula);
}

/**
 * Ledger entries as RFC 4180 CSV (CRLF, quoted where needed, by csv-stringify). `header` starts the file: a UTF-8
 * byte-order mark, so Excel reads non-ASCII titles as UTF-8 rather than the local code page, then the column names.
 * Callers streaming in batches pass `header` for the first batch only.
 */
export function ledgerCsv(entries: LedgerCsvEntry[], { header }: { header: boolean }): string {
  return stringify(entries.map(ledgerCsvRow), {
    bom: header,
    header,
    columns: [...LEDGER_CSV_COLUMNS],
    record_delimiter: "windows",
    // csv-stringify quotes a field holding the record delimiter (CRLF) but not a lone LF or CR, which would still
    // break the row in most readers: a title with a line break must be quoted too.
    quoted_match: /[\r\n]/,
  });
}
