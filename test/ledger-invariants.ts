// What must hold between the ledger and the tables kept from it, checked by the money path's database tests: the
// running totals (SpendCounter) equal the ledger's sums per month, and the usage rollup (UsageDay) equals a GROUP BY
// (UTC day, kind, model, flags) over the settled entries.
import { expect } from "vitest";
import type { prisma as appPrisma } from "@/lib/db/client";

type Db = typeof appPrisma;

/** The running totals of a user must always equal the ledger's sums, month by month. */
export async function expectTotalsMatchLedger(prisma: Db, userId: string) {
  const entries = await prisma.ledgerEntry.findMany({ where: { userId } });
  const expected = new Map<string, { settled: number; reserved: number }>();
  for (const entry of entries) {
    const month = entry.createdAt.toISOString().slice(0, 7);
    const total = expected.get(month) ?? { settled: 0, reserved: 0 };
    if (entry.status === "settled") total.settled += Number(entry.costMicros);
    if (entry.status === "reserved") total.reserved += Number(entry.reservedMicros);
    expected.set(month, total);
  }
  const counters = await prisma.spendCounter.findMany({ where: { scope: `user:${userId}` } });
  const actual = new Map(
    counters.map((row) => [row.month, { settled: Number(row.settledMicros), reserved: Number(row.reservedMicros) }]),
  );
  for (const [month, total] of expected) expect(actual.get(month) ?? { settled: 0, reserved: 0 }).toEqual(total);
}

export type RollupRow = {
  day: string;
  kind: string;
  model: string;
  isEstimated: boolean;
  isUnpriced: boolean;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  costMicros: number;
};

const keyOf = (row: RollupRow) => `${row.day} ${row.kind} ${row.model} ${row.isEstimated} ${row.isUnpriced}`;
const sorted = (rows: RollupRow[]) => [...rows].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));

/** GROUP BY (UTC day of creation, kind, model, flags) over the user's settled entries, computed here from the rows. */
export async function ledgerGroups(prisma: Db, userId: string): Promise<RollupRow[]> {
  const entries = await prisma.ledgerEntry.findMany({ where: { userId, status: "settled" } });
  const groups = new Map<string, RollupRow>();
  for (const entry of entries) {
    const key: RollupRow = {
      day: entry.createdAt.toISOString().slice(0, 10),
      kind: entry.kind,
      model: entry.model,
      isEstimated: entry.isEstimated,
      isUnpriced: entry.isUnpriced,
      calls: 0,
      promptTokens: 0,
      completionTokens: 0,
      costMicros: 0,
    };
    const group = groups.get(keyOf(key)) ?? key;
    group.calls += 1;
    group.promptTokens += entry.promptTokens;
    group.completionTokens += entry.completionTokens;
    group.costMicros += Number(entry.costMicros);
    groups.set(keyOf(key), group);
  }
  return sorted([...groups.values()]);
}

/** The user's rollup rows, all of them (with calls 0 too). */
export async function rollupRows(prisma: Db, userId: string): Promise<RollupRow[]> {
  const rows = await prisma.usageDay.findMany({ where: { userId } });
  return sorted(
    rows.map(({ userId: _, ...row }) => ({
      ...row,
      promptTokens: Number(row.promptTokens),
      completionTokens: Number(row.completionTokens),
      costMicros: Number(row.costMicros),
    })),
  );
}

/** The rollup equals the ledger's GROUP BY; rows emptied by re-settlements hold zeros only. Returns the empty ones. */
export async function expectRollupMatchesLedger(prisma: Db, userId: string) {
  const rows = await rollupRows(prisma, userId);
  expect(rows.filter((row) => row.calls !== 0)).toEqual(await ledgerGroups(prisma, userId));
  const empty = rows.filter((row) => row.calls === 0);
  for (const row of empty) expect(row).toMatchObject({ promptTokens: 0, completionTokens: 0, costMicros: 0 });
  return empty;
}
