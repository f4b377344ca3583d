import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareTestDatabase } from "@/test/database";

// Real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test runs both).
prepareTestDatabase();
const { prisma } = await import("./client");
const { beginTurn, finishTurn } = await import("./messages");
const { ABANDONED_AFTER_MS, getBudgetStatus, getConversationSpend } = await import("./ledger");
const { AppError } = await import("@/lib/errors");

const price = {
  model: "gpt-5-mini",
  inputPer1M: 250_000,
  cachedInputPer1M: 25_000,
  outputPer1M: 2_000_000,
  effectiveFrom: "2025-08-07",
  source: "package" as const,
};

async function createUser(budgetMicros: number | null) {
  return prisma.user.create({
    data: {
      email: `ledger-${randomUUID()}@example.test`,
      budgetMode: budgetMicros === null ? "unlimited" : "limited",
      monthlyBudgetMicros: budgetMicros === null ? null : BigInt(budgetMicros),
    },
  });
}

function turn(userId: string, reserveMicros: number, now = new Date()) {
  return beginTurn({
    userId,
    conversationId: randomUUID(),
    model: "gpt-5-mini",
    text: "hello",
    title: "hello",
    // Quoting takes a while (as counting a long history does), which widens the window between reading the month's
    // spend and recording the reservation: without the ledger lock, concurrent requests would all fit.
    quote: async () => {
      await new Promise((resolve) => setTimeout(resolve, 25));
      return { price, promptTokens: 100, maxOutputTokens: 4096, reserveMicros };
    },
    defaultBudgetMicros: null,
    now,
  });
}

afterAll(async () => {
  await prisma.$disconnect();
});

describe("budget reservations", () => {
  let userId: string;
  beforeAll(async () => {
    userId = (await createUser(10_000)).id;
  });

  it("never let 20 simultaneous requests near the limit take spend past the budget", async () => {
    // $0.01 budget, each request reserves a worst case of $0.00095: at most 10 fit (9,500 ≤ 10,000 < 10,450).
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => turn(userId, 950)));
    const accepted = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    expect(accepted).toHaveLength(10);
    expect(refused).toHaveLength(10);
    for (const r of refused) {
      const reason = (r as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(AppError);
      expect(reason.code).toBe("budget_exceeded");
      expect(reason.message).toMatch(/could cost up to \$0\.000950 .* only \$0\.000500 of your \$0\.01 monthly budget/);
    }
    const status = await getBudgetStatus({ userId, defaultBudgetMicros: null });
    expect(status.reservedMicros).toBe(9_500);
    expect(status.spentMicros).toBe(0);

    // Refused requests wrote nothing: no conversation, no message, no ledger entry.
    expect(await prisma.conversation.count({ where: { userId } })).toBe(10);
    expect(await prisma.ledgerEntry.count({ where: { userId } })).toBe(10);

    // Settling each to its (smaller) actual cost frees the rest of the reservation.
    for (const r of accepted) {
      const { reservationId } = (r as PromiseFulfilledResult<Awaited<ReturnType<typeof turn>>>).value;
      const entry = await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: reservationId } });
      await finishTurn({
        conversationId: entry.conversationId ?? "",
        content: "hi",
        status: "complete",
        model: "gpt-5-mini",
        usage: { promptTokens: 100, completionTokens: 10 },
        reservationId,
        settlement: {
          status: "settled",
          promptTokens: 100,
          cachedTokens: 0,
          completionTokens: 10,
          reasoningTokens: 0,
          costMicros: 45,
          isEstimated: false,
        },
      });
    }
    const settled = await getBudgetStatus({ userId, defaultBudgetMicros: null });
    expect(settled).toMatchObject({ spentMicros: 450, reservedMicros: 0, limitMicros: 10_000, level: "ok" });
    expect(await prisma.message.count({ where: { conversation: { userId } } })).toBe(20);
  });

  it("refuses an unpriced model while a budget applies, and allows it when unlimited", async () => {
    const limited = await createUser(1_000_000);
    const attempt = (id: string) =>
      beginTurn({
        userId: id,
        conversationId: randomUUID(),
        model: "llama3.2",
        text: "hi",
        title: "hi",
        quote: () => ({ price: null, promptTokens: 5, maxOutputTokens: 4096, reserveMicros: 0 }),
        defaultBudgetMicros: null,
        now: new Date(),
      });
    await expect(attempt(limited.id)).rejects.toThrow(/llama3\.2 has no known price/);
    const unlimited = await createUser(null);
    const ok = await attempt(unlimited.id);
    const entry = await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: ok.reservationId } });
    expect(entry.isUnpriced).toBe(true);
  });

  it("counts only this month, and sums a chat's spend from the ledger", async () => {
    const user = await createUser(1000);
    // Last month's spend does not count against this month.
    await prisma.ledgerEntry.create({
      data: {
        userId: user.id,
        kind: "chat",
        status: "settled",
        model: "gpt-5-mini",
        costMicros: 5_000n,
        createdAt: new Date(Date.UTC(2020, 0, 15)),
      },
    });
    const { reservationId, history } = await turn(user.id, 900);
    expect(history).toEqual([{ role: "user", content: "hello" }]);
    const entry = await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: reservationId } });
    const status = await getBudgetStatus({ userId: user.id, defaultBudgetMicros: null });
    expect(status).toMatchObject({ spentMicros: 0, reservedMicros: 900, level: "warning" });

    await finishTurn({
      conversationId: entry.conversationId ?? "",
      content: "",
      status: "error",
      error: "refused",
      model: "gpt-5-mini",
      reservationId,
      settlement: {
        status: "released",
        promptTokens: 0,
        cachedTokens: 0,
        completionTokens: 0,
        reasoningTokens: 0,
        costMicros: 0,
        isEstimated: false,
      },
    });
    expect(await getBudgetStatus({ userId: user.id, defaultBudgetMicros: null })).toMatchObject({
      spentMicros: 0,
      reservedMicros: 0,
    });
    const spend = await getConversationSpend({ userId: user.id, conversationId: entry.conversationId ?? "" });
    expect(spend).toMatchObject({ costMicros: 0, calls: 0 });
  });

  it("settles a reservation its server abandoned to the counted prompt, estimated, and frees the rest", async () => {
    const user = await createUser(10_000);
    // Mid-month, so an hour later is still the same budget month.
    const now = new Date(Date.UTC(2026, 5, 15, 12));
    const reservation = (ageMs: number) =>
      prisma.ledgerEntry.create({
        data: {
          userId: user.id,
          kind: "chat",
          status: "reserved",
          model: "gpt-5-mini",
          promptTokens: 1_000,
          reservedMicros: 8_443n,
          inputPer1M: price.inputPer1M,
          cachedInputPer1M: price.cachedInputPer1M,
          outputPer1M: price.outputPer1M,
          priceDate: price.effectiveFrom,
          createdAt: new Date(now.getTime() - ageMs),
        },
      });
    const abandoned = await reservation(ABANDONED_AFTER_MS + 60_000);
    const inFlight = await reservation(10 * 60_000);

    // The abandoned one no longer holds its worst case: 1,000 prompt tokens at $0.25 / 1M = 250 micro-USD, spent.
    expect(await getBudgetStatus({ userId: user.id, defaultBudgetMicros: null, now })).toMatchObject({
      spentMicros: 250,
      reservedMicros: 8_443,
    });
    expect(await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: abandoned.id } })).toMatchObject({
      status: "settled",
      costMicros: 250n,
      reservedMicros: 0n,
      isEstimated: true,
      completionTokens: 0,
    });
    expect(await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: inFlight.id } })).toMatchObject({
      status: "reserved",
      reservedMicros: 8_443n,
    });

    // A reservation sweeps too, under the ledger lock: once the second one is abandoned, a request that needs its
    // room fits (250 + 250 spent + 9,000 ≤ 10,000), and it would not have while the worst case was held.
    const later = new Date(now.getTime() + ABANDONED_AFTER_MS);
    await expect(turn(user.id, 9_000, later)).resolves.toMatchObject({ promptTokens: 100 });
    expect(await getBudgetStatus({ userId: user.id, defaultBudgetMicros: null, now: later })).toMatchObject({
      spentMicros: 500,
      reservedMicros: 9_000,
    });
  });
});
