import "server-only";
import {
  DAILY_SPEND_DAYS,
  LEDGER_PAGE_SIZE,
  type LedgerCsvEntry,
  lastUtcDays,
  microsToNumber,
  rangeStart,
  SPEND_STATUS,
  type SpendGroup,
  snapshotPrice,
  spendPerDay,
  spendPerModel,
  totalsPerMonth,
  type UsageRange,
} from "@/lib/billing/report";
import { cursorBatches } from "./batches";
import { prisma } from "./client";
import type { Prisma } from "./generated/client";

// The usage page and export, read from the ledger. Every function filters by the user's id. Days and months are UTC
// and an entry counts where it was created, as budgets count it. Grouping by day or month is done in TypeScript over
// only the columns it needs, because date truncation differs between SQLite and PostgreSQL; grouping by model is
// portable, so the database does it.

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
  const entries = await prisma.ledgerEntry.findMany({
    where: { userId, status: SPEND_STATUS, createdAt: { gte: window.start, lt: window.end } },
    select: { createdAt: true, costMicros: true },
  });
  return spendPerDay(entries, window.days);
}

/** Spend per model over a range, dearest first. */
export async function spendByModel({
  userId,
  range,
  now = new Date(),
}: {
  userId: string;
  range: UsageRange;
  now?: Date;
}) {
  const since = rangeStart({ range, now });
  const groups = await prisma.ledgerEntry.groupBy({
    by: ["model", "isEstimated", "isUnpriced"],
    where: { userId, status: SPEND_STATUS, ...(since ? { createdAt: { gte: since } } : {}) },
    _count: { _all: true },
    _sum: { promptTokens: true, completionTokens: true, costMicros: true },
  });
  return spendPerModel(
    groups.map(
      (group): SpendGroup => ({
        key: group.model,
        calls: group._count._all,
        promptTokens: group._sum.promptTokens ?? 0,
        completionTokens: group._sum.completionTokens ?? 0,
        costMicros: group._sum.costMicros ?? 0n,
        isEstimated: group.isEstimated,
        isUnpriced: group.isUnpriced,
      }),
    ),
  );
}

/** Totals per UTC month with spend, newest first. */
export async function monthlyTotals({ userId }: { userId: string }) {
  const entries = await prisma.ledgerEntry.findMany({
    where: { userId, status: SPEND_STATUS },
    select: {
      createdAt: true,
      promptTokens: true,
      completionTokens: true,
      costMicros: true,
      isEstimated: true,
      isUnpriced: true,
    },
  });
  return totalsPerMonth(entries);
}

const ledgerSelect = {
  id: true,
  createdAt: true,
  kind: true,
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
    status: entry.status,
    model: entry.model,
    conversationId: entry.conversationId,
    conversationTitle: entry.conversationTitle,
    promptTokens: entry.promptTokens,
    cachedTokens: entry.cachedTokens,
    completionTokens: entry.completionTokens,
    reasoningTokens: entry.reasoningTokens,
    /** micro-USD; 0 while reserved and when unpriced (unknown, not free: see isUnpriced). */
    costMicros: microsToNumber(entry.costMicros),
    /** micro-USD held against the budget while the call is in flight. */
    reservedMicros: microsToNumber(entry.reservedMicros),
    isEstimated: entry.isEstimated,
    isUnpriced: entry.isUnpriced,
    price: snapshotPrice(entry),
  };
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
  const total = await prisma.ledgerEntry.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pageCount);
  const entries = await prisma.ledgerEntry.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (current - 1) * pageSize,
    take: pageSize,
    select: ledgerSelect,
  });
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
