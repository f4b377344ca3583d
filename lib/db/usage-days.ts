import "server-only";
import { SPEND_STATUS, utcDay } from "@/lib/billing/report";
import type { Prisma } from "./generated/client";

type Tx = Prisma.TransactionClient;

// UsageDay: the ledger's settled spend per user, UTC day (of the entry's creation, as budgets count it), model and
// flags, so the usage page sums a few rows per day instead of every entry. It must always equal a GROUP BY over the
// settled entries, so it changes only here, in the same transaction as the entry it sums (settle, sweep, re-settle),
// by increments: an INSERT … ON CONFLICT DO UPDATE that adds to the row, atomic on PostgreSQL under concurrent
// settlements and serialized on SQLite. A row whose entries all left it (an abandoned estimate replaced by its call's
// own settlement) stays, with calls 0 and every sum 0; readers skip such groups.

/** The columns of a ledger entry that decide its place and weight in the rollup. */
export type UsageOf = {
  userId: string;
  createdAt: Date;
  kind: string;
  model: string;
  status: string;
  isEstimated: boolean;
  isUnpriced: boolean;
  promptTokens: number;
  completionTokens: number;
  costMicros: bigint;
};

type UsageKey = { userId: string; day: string; kind: string; model: string; isEstimated: boolean; isUnpriced: boolean };
export type UsageChange = UsageKey & {
  calls: number;
  promptTokens: bigint;
  completionTokens: bigint;
  costMicros: bigint;
};

/** What an entry adds to the rollup (sign 1) or takes from it (-1): nothing unless it is settled. */
function contribution(entry: UsageOf, sign: 1 | -1): UsageChange[] {
  if (entry.status !== SPEND_STATUS) return [];
  const factor = BigInt(sign);
  return [
    {
      userId: entry.userId,
      day: utcDay(entry.createdAt),
      kind: entry.kind,
      model: entry.model,
      isEstimated: entry.isEstimated,
      isUnpriced: entry.isUnpriced,
      calls: sign,
      promptTokens: BigInt(entry.promptTokens) * factor,
      completionTokens: BigInt(entry.completionTokens) * factor,
      costMicros: entry.costMicros * factor,
    },
  ];
}

/** How the rollup moves when an entry goes from `before` to `after` (one entry, or the same entry's two states). */
export function usageMove({ before, after }: { before?: UsageOf; after?: UsageOf }): UsageChange[] {
  return [...(before ? contribution(before, -1) : []), ...(after ? contribution(after, 1) : [])];
}

const keyOf = (change: UsageKey) =>
  [change.userId, change.day, change.kind, change.model, change.isEstimated, change.isUnpriced].join("\u0000");

/** Changes summed per row, rows that do not move dropped, in key order (the order rows are locked in). */
export function mergeUsage(changes: UsageChange[]): UsageChange[] {
  const merged = new Map<string, UsageChange>();
  for (const change of changes) {
    const key = keyOf(change);
    const sum = merged.get(key);
    if (!sum) {
      merged.set(key, { ...change });
      continue;
    }
    sum.calls += change.calls;
    sum.promptTokens += change.promptTokens;
    sum.completionTokens += change.completionTokens;
    sum.costMicros += change.costMicros;
  }
  return [...merged]
    .filter(
      ([, sum]) => sum.calls !== 0 || sum.promptTokens !== 0n || sum.completionTokens !== 0n || sum.costMicros !== 0n,
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, sum]) => sum);
}

/**
 * Applies changes of entries to the rollup inside the caller's transaction, one atomic increment per row, rows in key
 * order so that two transactions never wait on each other's rows in a circle. Lock order in the ledger's transactions:
 * entries, then these rows, then the running totals (lib/db/ledger.ts).
 */
export async function moveUsage(tx: Tx, changes: UsageChange[]) {
  for (const c of mergeUsage(changes)) {
    await tx.$executeRaw`INSERT INTO "UsageDay"
        ("userId", "day", "kind", "model", "isEstimated", "isUnpriced", "calls", "promptTokens", "completionTokens",
         "costMicros")
      VALUES (${c.userId}, ${c.day}, ${c.kind}, ${c.model}, ${c.isEstimated}, ${c.isUnpriced}, ${c.calls},
        ${c.promptTokens}, ${c.completionTokens}, ${c.costMicros})
      ON CONFLICT ("userId", "day", "kind", "model", "isEstimated", "isUnpriced") DO UPDATE SET
        "calls" = "UsageDay"."calls" + excluded."calls",
        "promptTokens" = "UsageDay"."promptTokens" + excluded."promptTokens",
        "completionTokens" = "UsageDay"."completionTokens" + excluded."completionTokens",
        "costMicros" = "UsageDay"."costMicros" + excluded."costMicros"`;
  }
}

/** Rebuilds users' rollup rows from their settled entries (see recountSpendCounters), inside the caller's transaction. */
export async function recountUsage(tx: Tx, { userIds, entries }: { userIds: string[]; entries: UsageOf[] }) {
  await tx.usageDay.deleteMany({ where: { userId: { in: userIds } } });
  const rows = mergeUsage(entries.flatMap((entry) => usageMove({ after: entry })));
  if (rows.length > 0) await tx.usageDay.createMany({ data: rows });
}
