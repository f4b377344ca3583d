import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Settlement } from "@/lib/billing/settle";
import { prepareTestDatabase } from "@/test/database";
import { expectRollupMatchesLedger, ledgerGroups, type RollupRow, rollupRows } from "@/test/ledger-invariants";
import { GPT5_MINI_PRICE, NO_LIMITS } from "@/test/money";

// The usage rollup (UsageDay) against the ledger it sums, on a real database: SQLite by default, PostgreSQL when
// TEST_DATABASE_URL is set (npm test runs both). Each test has users of its own.
const databaseUrl = prepareTestDatabase();
const isPostgres = /^postgres/i.test(databaseUrl);
const { prisma } = await import("./client");
const { beginTurn } = await import("./messages");
const { LEASE_MS, recountSpendCounters, settleReservation, sweepAbandonedReservationsOf } = await import("./ledger");
const { listLedgerEntries, monthlyTotals, spendByDay, spendByModel } = await import("./usage");

afterAll(async () => {
  await prisma.$disconnect();
});

async function createUser() {
  return prisma.user.create({ data: { email: `usage-days-${randomUUID()}@example.test`, budgetMode: "unlimited" } });
}

function reserve(userId: string, now: Date, model = "gpt-5-mini") {
  const isPriced = model !== "llama3.2";
  return beginTurn({
    userId,
    conversationId: randomUUID(),
    message: { content: "hello", tokenCount: 1, tokenEncoding: "o200k_base" },
    title: "hello",
    quote: {
      model,
      price: isPriced ? GPT5_MINI_PRICE : null,
      promptTokens: 100,
      maxOutputTokens: 4096,
      reserveMicros: isPriced ? 8_500 : 0,
    },
    policy: NO_LIMITS,
    now,
  });
}

const spent = (costMicros: number, overrides: Partial<Settlement> = {}): Settlement => ({
  status: "settled",
  promptTokens: 100 + costMicros,
  cachedTokens: 0,
  completionTokens: costMicros % 97,
  reasoningTokens: 0,
  costMicros,
  isEstimated: false,
  ...overrides,
});

const released: Settlement = { ...spent(0), status: "released", promptTokens: 0, completionTokens: 0 };

describe("the usage rollup", () => {
  it("equals a GROUP BY over the ledger after concurrent settles, releases, sweeps and late settlements", async () => {
    const user = await createUser();
    // Either side of midnight UTC, and a month of its own for one call settled by the sweep, then by itself.
    const beforeMidnight = new Date("2030-07-01T23:59:59.999Z");
    const afterMidnight = new Date("2030-07-02T00:00:00.000Z");
    const nextMonth = new Date("2030-08-01T10:00:00.000Z");
    const reserveAll = (count: number, now: Date, model?: string) =>
      Promise.all(Array.from({ length: count }, () => reserve(user.id, now, model)));
    const a = await reserveAll(12, beforeMidnight);
    const b = await reserveAll(12, afterMidnight, "gpt-5");
    const c = await reserveAll(3, afterMidnight, "llama3.2");
    const [d] = await reserveAll(1, nextMonth);
    const id = (entries: { id: string }[], index: number) => entries[index]?.id ?? "";

    // Calls ending normally, all at once: nine settled (some estimated), one refused.
    await Promise.all([
      ...a
        .slice(0, 9)
        .map(({ id }, i) =>
          settleReservation({ entryId: id, settlement: spent(1_000 + i, { isEstimated: i % 3 === 0 }) }),
        ),
      settleReservation({ entryId: id(a, 9), settlement: released }),
      ...b.slice(0, 6).map(({ id }, i) => settleReservation({ entryId: id, settlement: spent(5_000 + i) })),
    ]);
    expect(await expectRollupMatchesLedger(prisma, user.id)).toEqual([]);

    // The rest's server stops renewing; one of them streamed 300 tokens first. The sweep settles them as abandoned
    // while one of them settles by itself at the same moment (whichever comes second sees the other's outcome).
    await prisma.ledgerEntry.update({ where: { id: id(b, 7) }, data: { streamedTokens: 300 } });
    const lapsed = new Date(nextMonth.getTime() + LEASE_MS + 1_000);
    const [swept] = await Promise.all([
      sweepAbandonedReservationsOf(user.id, lapsed),
      settleReservation({ entryId: id(b, 6), settlement: spent(7_000) }),
    ]);
    expect(swept).toBeGreaterThanOrEqual(11);
    expect(await prisma.ledgerEntry.count({ where: { userId: user.id, status: "reserved" } })).toBe(0);
    await expectRollupMatchesLedger(prisma, user.id);

    // The "crashed" calls were only slow: their own settlements arrive, replacing the estimates, all at once, one of
    // them twice, one a refusal (the estimate leaves the rollup and nothing takes its place).
    await Promise.all([
      settleReservation({ entryId: id(a, 10), settlement: spent(2_000) }),
      settleReservation({ entryId: id(a, 10), settlement: spent(2_000) }),
      settleReservation({ entryId: id(b, 7), settlement: spent(900, { isEstimated: false }) }),
      settleReservation({ entryId: id(b, 8), settlement: spent(901, { isEstimated: true }) }),
      settleReservation({ entryId: id(c, 0), settlement: released }),
      settleReservation({ entryId: d?.id ?? "", settlement: spent(3_000) }),
    ]);
    const empty = await expectRollupMatchesLedger(prisma, user.id);
    // The next month's only estimate was replaced: its row is empty, and nothing shows it as estimated.
    expect(empty).toContainEqual(expect.objectContaining({ day: "2030-08-01", isEstimated: true }));
    expect((await monthlyTotals({ userId: user.id }))[0]).toMatchObject({
      month: "2030-08",
      calls: 1,
      costMicros: 3_000,
      hasEstimated: false,
    });

    // What the usage page shows is the ledger's sums.
    const groups = await ledgerGroups(prisma, user.id);
    const sum = (rows: RollupRow[], field: "calls" | "costMicros") =>
      rows.reduce((total, row) => total + row[field], 0);
    const days = await spendByDay({ userId: user.id, now: afterMidnight });
    for (const day of ["2030-07-01", "2030-07-02"]) {
      const ofDay = groups.filter((group) => group.day === day);
      expect(days.find((d) => d.day === day)).toEqual({
        day,
        calls: sum(ofDay, "calls"),
        costMicros: sum(ofDay, "costMicros"),
      });
    }
    const models = await spendByModel({ userId: user.id, range: "all", now: nextMonth });
    expect(models.map((m) => [m.model, m.calls, m.costMicros]).sort()).toEqual(
      ["gpt-5", "gpt-5-mini", "llama3.2"]
        .map((model) => {
          const ofModel = groups.filter((group) => group.model === model);
          return [model, sum(ofModel, "calls"), sum(ofModel, "costMicros")];
        })
        .sort(),
    );
    const ledger = await listLedgerEntries({ userId: user.id, range: "all", page: 1, now: nextMonth });
    expect(ledger.total).toBe(await prisma.ledgerEntry.count({ where: { userId: user.id } }));
  });

  it("adds up settlements of one day and model that all arrive at once, on a row none of them found", async () => {
    const user = await createUser();
    const now = new Date("2030-09-09T09:00:00.000Z");
    const reservations = await Promise.all(Array.from({ length: 30 }, () => reserve(user.id, now)));
    await Promise.all(
      reservations.map(({ id }, i) => settleReservation({ entryId: id, settlement: spent(100 + i), now })),
    );
    expect(await rollupRows(prisma, user.id)).toEqual([
      {
        day: "2030-09-09",
        kind: "chat",
        model: "gpt-5-mini",
        isEstimated: false,
        isUnpriced: false,
        calls: 30,
        // Costs 100 … 129 (sum 3,435); prompts 100 more each; completions cost % 97: 3 … 32 (sum 525).
        promptTokens: 6_435,
        completionTokens: 525,
        costMicros: 3_435,
      },
    ]);
    await expectRollupMatchesLedger(prisma, user.id);
  });

  it("is rebuilt from the ledger by recountSpendCounters, and goes with its user", async () => {
    const user = await createUser();
    const now = new Date("2030-10-10T10:00:00.000Z");
    for (const [i, { id }] of (await Promise.all([reserve(user.id, now), reserve(user.id, now, "gpt-5")])).entries()) {
      await settleReservation({ entryId: id, settlement: spent(10 + i) });
    }
    const kept = await rollupRows(prisma, user.id);
    await prisma.usageDay.updateMany({ where: { userId: user.id }, data: { calls: 99, costMicros: 1n } });
    await recountSpendCounters({ userIds: [user.id] });
    expect(await rollupRows(prisma, user.id)).toEqual(kept);
    await prisma.user.delete({ where: { id: user.id } });
    expect(await prisma.usageDay.count({ where: { userId: user.id } })).toBe(0);
  });

  it("is backfilled by its migration from the entries settled before it", async () => {
    const user = await createUser();
    const at = (iso: string) => new Date(iso);
    for (const [i, now] of [
      at("2029-12-31T23:59:59.999Z"),
      at("2030-01-01T00:00:00.000Z"),
      at("2030-01-01T05:00:00Z"),
    ].entries()) {
      const { id } = await reserve(user.id, now, i === 2 ? "llama3.2" : "gpt-5-mini");
      await settleReservation({ entryId: id, settlement: spent(i === 2 ? 0 : 40 + i, { isEstimated: i === 1 }) });
    }
    await settleReservation({ entryId: (await reserve(user.id, at("2030-01-01T06:00:00Z"))).id, settlement: released });
    await reserve(user.id, at("2030-01-01T07:00:00Z"));

    // The migration's own statement, for this user's entries only (the others already have their rows), on rows
    // the app kept first: with those gone, it must put back exactly what the app had.
    const kept = await rollupRows(prisma, user.id);
    expect(kept).toEqual(await ledgerGroups(prisma, user.id));
    const folder = path.join(process.cwd(), "prisma", "migrations", isPostgres ? "postgresql" : "sqlite");
    const migration = fs.readdirSync(folder).find((name) => name.endsWith("_usage_days")) ?? "";
    const sql = fs.readFileSync(path.join(folder, migration, "migration.sql"), "utf8");
    const backfill = sql
      .slice(sql.indexOf("-- Backfill"))
      .replace(`WHERE "status" = 'settled'`, `WHERE "status" = 'settled' AND "userId" = ${isPostgres ? "$1" : "?"}`);
    expect(backfill).toMatch(/INSERT INTO "UsageDay"[^;]*AND "userId" = [^;]*GROUP BY/);
    await prisma.usageDay.deleteMany({ where: { userId: user.id } });
    await prisma.$executeRawUnsafe(backfill, user.id);
    const backfilled = await rollupRows(prisma, user.id);
    expect(backfilled.map((row) => row.day)).toEqual(["2029-12-31", "2030-01-01", "2030-01-01"]);
    expect(backfilled).toEqual(kept);
  });
});
