import "server-only";
import { entryRates } from "@/lib/billing/prices";
import {
  DAILY_SPEND_DAYS,
  LEDGER_PAGE_SIZE,
  type LedgerCsvEntry,
  lastUtcDays,
  type ModelSpendGroup,
  microsToNumber,
  rangeStart,
  snapshotPrice,
  spendPerDay,
  spendPerKind,
  spendPerModel,
  totalsPerMonth,
  type UsageRange,
  utcDay,
} from "@/lib/billing/report";
import { cursorBatches } from "./batches";
import { prisma } from "./client";
import type { Prisma } from "./generated/client";

// The usage page and export. Every function filters by the user's id. Days and months are UTC and an entry counts
// where it was created, as budgets count it. The sums (per day, per model, per month) read the usage rollup, UsageDay
// (lib/db/usage-days.ts): a few rows per day however many calls, kept equal to the settled entries' sums. The ledger
// table and the exports read the entries themselves.

/** The rollup's sums of a group, as numbers and BigInt micro-USD. */
function spendSums(sums: {
  calls: number | null;
  promptTokens: bigint | null;
  completionTokens: bigint | null;
  costMicros: bigint | null;
}) {
  return {
    calls: sums.calls ?? 0,
    promptTokens: Number(sums.promptTokens ?? 0n),
    completionTokens: Number(sums.completionTokens ?? 0n),
    costMicros: sums.costMicros ?? 0n,
  };
}

const allSums = { calls: true, promptTokens: true, completionTokens: true, costMicros: true } as const;

/** The rollup's rows of a range: ranges start at 00:00 UTC of a day (rangeStart), so whole days are exact. */
function daysWhere({ userId, range, now }: { userId: string; range: UsageRange; now: Date }) {
  const since = rangeStart({ range, now });
  return { userId, ...(since ? { day: { gte: utcDay(since) } } : {}) } satisfies Prisma.UsageDayWhereInput;
}

/** Spend per UTC day, today and the days before it, zero-filled (oldest first). */
export async function spendByDay({
  userId,
  now = new Date(),
  days = DAILY_SPEND_DAYS,
}: {
  userId: string;
  now?: Date;
  days?: number;
}) {
  const window = lastUtcDays({ now, count: days });
  const groups = await prisma.usageDay.groupBy({
    by: ["day"],
    where: { userId, day: { gte: utcDay(window.start), lt: utcDay(window.end) } },
    _sum: { calls: true, costMicros: true },
  });
  return spendPerDay(
    groups.map((group) => ({ day: group.day, calls: group._sum.calls ?? 0, costMicros: group._sum.costMicros ?? 0n })),
    window.days,
  );
}

/**
 * Spend over a range per model (dearest first, each with its kind) and per kind of call (chat, transcription, image:
 * every kind, in that order), from one read of the rollup: its rows are keyed by kind too, so neither reads the ledger.
 */
export async function spendBreakdown({
  userId,
  range,
  now = new Date(),
}: {
  userId: string;
  range: UsageRange;
  now?: Date;
}) {
  const rows = await prisma.usageDay.groupBy({
    by: ["kind", "model", "isEstimated", "isUnpriced"],
    where: daysWhere({ userId, range, now }),
    _sum: allSums,
  });
  const groups = rows.map(
    (row): ModelSpendGroup => ({
      key: row.model,
      kind: row.kind,
      ...spendSums(row._sum),
      isEstimated: row.isEstimated,
      isUnpriced: row.isUnpriced,
    }),
  );
  return { models: spendPerModel(groups), kinds: spendPerKind(groups.map((group) => ({ ...group, key: group.kind }))) };
}

/** Spend per model over a range, dearest first. */
export async function spendByModel(query: { userId: string; range: UsageRange; now?: Date }) {
  return (await spendBreakdown(query)).models;
}

/** Spend per kind of call over a range: chat, transcription, image. */
export async function spendByKind(query: { userId: string; range: UsageRange; now?: Date }) {
  return (await spendBreakdown(query)).kinds;
}

/** Totals per UTC month with spend, newest first. */
export async function monthlyTotals({ userId }: { userId: string }) {
  const groups = await prisma.usageDay.groupBy({
    by: ["day", "isEstimated", "isUnpriced"],
    where: { userId },
    _sum: allSums,
  });
  return totalsPerMonth(
    groups.map((group) => ({
      day: group.day,
      ...spendSums(group._sum),
      isEstimated: group.isEstimated,
      isUnpriced: group.isUnpriced,
    })),
  );
}

const ledgerSelect = {
  id: true,
  createdAt: true,
  kind: true,
  source: true,
  status: true,
  model: true,
  conversationId: true,
  promptTokens: true,
  cachedTokens: true,
  completionTokens: true,
  reasoningTokens: true,
  reservedMicros: true,
  costMicros: true,
  isEstimated: true,
  isUnpriced: true,
  inputPer1M: true,
  cachedInputPer1M: true,
  outputPer1M: true,
  priceDate: true,
  audioSeconds: true,
  audioTokens: true,
  imageInputTokens: true,
  imageOutputTokens: true,
  images: true,
  imageVariant: true,
  audioInputPer1M: true,
  imageInputPer1M: true,
  imageOutputPer1M: true,
  audioPerMinute: true,
  perImageMicros: true,
} satisfies Prisma.LedgerEntrySelect;

type SelectedEntry = Prisma.LedgerEntryGetPayload<{ select: typeof ledgerSelect }>;

function rangeWhere({ userId, range, now }: { userId: string; range: UsageRange; now: Date }) {
  const since = rangeStart({ range, now });
  return { userId, ...(since ? { createdAt: { gte: since } } : {}) } satisfies Prisma.LedgerEntryWhereInput;
}

/**
 * Titles of this user's conversations among the entries'. An entry's conversation may be deleted (entries outlive
 * it) and its id is not a foreign key, so the lookup is by id AND user: a missing title means "deleted chat".
 */
async function conversationTitles(userId: string, entries: { conversationId: string | null }[]) {
  const ids = [...new Set(entries.flatMap((entry) => (entry.conversationId ? [entry.conversationId] : [])))];
  if (ids.length === 0) return new Map<string, string>();
  const conversations = await prisma.conversation.findMany({
    where: { userId, id: { in: ids } },
    select: { id: true, title: true },
  });
  return new Map(conversations.map((c) => [c.id, c.title]));
}

function titleOf(titles: Map<string, string>, entry: SelectedEntry) {
  return entry.conversationId ? (titles.get(entry.conversationId) ?? null) : null;
}

/** A ledger entry as the usage page and the archive show it: amounts as numbers, and the price it was charged. */
export function ledgerRow(entry: SelectedEntry & { conversationTitle: string | null }) {
  return {
    id: entry.id,
    createdAt: entry.createdAt,
    kind: entry.kind,
    /** Where the call was asked for: "web", or a messaging channel ("telegram"). */
    source: entry.source,
    status: entry.status,
    model: entry.model,
    conversationId: entry.conversationId,
    conversationTitle: entry.conversationTitle,
    promptTokens: entry.promptTokens,
    cachedTokens: entry.cachedTokens,
    completionTokens: entry.completionTokens,
    reasoningTokens: entry.reasoningTokens,
    /** A transcription's or an image call's own units (0 / null for a chat call). */
    audioSeconds: entry.audioSeconds,
    audioTokens: entry.audioTokens,
    imageInputTokens: entry.imageInputTokens,
    imageOutputTokens: entry.imageOutputTokens,
    images: entry.images,
    imageVariant: entry.imageVariant,
    /** micro-USD; 0 while reserved and when unpriced (unknown, not free: see isUnpriced). */
    costMicros: microsToNumber(entry.costMicros),
    /** micro-USD held against the budget while the call is in flight. */
    reservedMicros: microsToNumber(entry.reservedMicros),
    isEstimated: entry.isEstimated,
    isUnpriced: entry.isUnpriced,
    /** The chat price charged (text tokens); null for an entry billed in other units, or unpriced. */
    price: snapshotPrice(entry),
    /** Every unit price charged, chat or media (describeRates says them); null when unpriced. */
    rates: entryRates(entry),
  };
}

/** The statuses of entries that are not spend, which the rollup does not count: in flight, refused. */
const NOT_SPEND_STATUSES = ["reserved", "released"];

/**
 * How many entries a range holds: the settled ones summed from the rollup (counting a quarter of a million index
 * entries would take longer than the rest of the page), the others, few, counted from the ledger. Two reads, like the
 * count and the page: an entry settling between them may be counted in both for that one request.
 */
async function countEntries({ userId, range, now }: { userId: string; range: UsageRange; now: Date }) {
  const [settled, others] = await Promise.all([
    prisma.usageDay.aggregate({ where: daysWhere({ userId, range, now }), _sum: { calls: true } }),
    prisma.ledgerEntry.count({ where: { ...rangeWhere({ userId, range, now }), status: { in: NOT_SPEND_STATUSES } } }),
  ]);
  return (settled._sum.calls ?? 0) + others;
}

/** One page of the user's ledger over a range, newest first; a page past the end shows the last one. */
export async function listLedgerEntries({
  userId,
  range,
  page,
  pageSize = LEDGER_PAGE_SIZE,
  now = new Date(),
}: {
  userId: string;
  range: UsageRange;
  page: number;
  pageSize?: number;
  now?: Date;
}) {
  const where = rangeWhere({ userId, range, now });
  const pageAt = (number: number) =>
    prisma.ledgerEntry.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (number - 1) * pageSize,
      take: pageSize,
      select: ledgerSelect,
    });
  // The page asked for is read beside the count (one round trip less on PostgreSQL); only a page past the end, known
  // from the count, is read again as the last one.
  const asked = Math.max(1, page);
  const [total, askedEntries] = await Promise.all([countEntries({ userId, range, now }), pageAt(asked)]);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(asked, pageCount);
  const entries = current === asked ? askedEntries : await pageAt(current);
  const titles = await conversationTitles(userId, entries);
  return {
    entries: entries.map((entry) => ledgerRow({ ...entry, conversationTitle: titleOf(titles, entry) })),
    total,
    page: current,
    pageCount,
    pageSize,
  };
}

export type LedgerPage = Awaited<ReturnType<typeof listLedgerEntries>>;
export type LedgerRow = LedgerPage["entries"][number];

/** A ledger entry as exports give it: the CSV's columns, plus what the JSON archive adds (ids, settlement time). */
export type ExportedLedgerEntry = LedgerCsvEntry &
  SelectedEntry & {
    messageId: string | null;
    settledAt: Date | null;
  };

/**
 * The user's ledger over a range for the exports (CSV, and the JSON archive), oldest first, in batches of `batchSize`
 * read with a cursor, so an export of any length holds one batch in memory at a time.
 */
export async function* exportLedgerEntries({
  userId,
  range,
  now = new Date(),
  batchSize = 1000,
}: {
  userId: string;
  range: UsageRange;
  now?: Date;
  batchSize?: number;
}): AsyncGenerator<ExportedLedgerEntry[]> {
  const where = rangeWhere({ userId, range, now });
  const batches = cursorBatches(
    (page) =>
      prisma.ledgerEntry.findMany({
        where,
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        ...page,
        select: { ...ledgerSelect, messageId: true, settledAt: true },
      }),
    batchSize,
  );
  for await (const entries of batches) {
    const titles = await conversationTitles(userId, entries);
    yield entries.map((entry) => ({ ...entry, conversationTitle: titleOf(titles, entry) }));
  }
}
