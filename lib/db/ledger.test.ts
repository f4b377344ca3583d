import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { Settlement } from "@/lib/billing/settle";
import { prepareTestDatabase } from "@/test/database";
import { expectTotalsMatchLedger } from "@/test/ledger-invariants";
import { GPT5_MINI_PRICE, NO_LIMITS } from "@/test/money";

// Real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test runs both). Tests of the
// server-wide budget use a month of their own, since other test files share the database's global totals.
const databaseUrl = prepareTestDatabase();
const { prisma } = await import("./client");
const { beginTurn, storeReply } = await import("./messages");
const { LEASE_MS, getBudgetStatus, getConversationSpend, getGlobalBudgetStatus, renewLeases, settleReservation } =
  await import("./ledger");
const { AppError } = await import("@/lib/errors");

const price = GPT5_MINI_PRICE;

async function createUser(budgetMicros: number | null, extra: { isBudgetSetByAdmin?: boolean } = {}) {
  return prisma.user.create({
    data: {
      email: `ledger-${randomUUID()}@example.test`,
      budgetMode: budgetMicros === null ? "unlimited" : "limited",
      monthlyBudgetMicros: budgetMicros === null ? null : BigInt(budgetMicros),
      ...extra,
    },
  });
}

function turn(
  userId: string,
  reserveMicros: number,
  { now = new Date(), policy = NO_LIMITS, model = "gpt-5-mini", priced = true } = {},
) {
  return beginTurn({
    userId,
    conversationId: randomUUID(),
    message: { content: "hello", tokenCount: 1, tokenEncoding: "o200k_base" },
    title: "hello",
    quote: { model, price: priced ? price : null, promptTokens: 100, maxOutputTokens: 4096, reserveMicros },
    policy,
    now,
  });
}

const spent = (costMicros: number, overrides: Partial<Settlement> = {}): Settlement => ({
  status: "settled",
  promptTokens: 100,
  cachedTokens: 0,
  completionTokens: 10,
  reasoningTokens: 0,
  costMicros,
  isEstimated: false,
  ...overrides,
});

const released: Settlement = { ...spent(0), status: "released", promptTokens: 0, completionTokens: 0 };

afterAll(async () => {
  await prisma.$disconnect();
});

describe("reservations", () => {
  it("never let 20 simultaneous requests near the limit take spend past the budget", async () => {
    const user = await createUser(10_000);
    // $0.01 budget, each request reserves a worst case of $0.00095: at most 10 fit (9,500 ≤ 10,000 < 10,450).
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => turn(user.id, 950)));
    const accepted = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(accepted).toHaveLength(10);
    expect(refused).toHaveLength(10);
    for (const reason of refused) {
      expect(reason).toBeInstanceOf(AppError);
      expect(reason.code).toBe("budget_exceeded");
      expect(reason.message).toMatch(/could cost up to \$0\.000950 .* only \$0\.000500 of your \$0\.01 monthly budget/);
    }
    expect(await getBudgetStatus({ userId: user.id, policy: NO_LIMITS })).toMatchObject({
      reservedMicros: 9_500,
      spentMicros: 0,
    });
    // Refused requests wrote nothing: no conversation, no message, no ledger entry.
    expect(await prisma.conversation.count({ where: { userId: user.id } })).toBe(10);
    expect(await prisma.ledgerEntry.count({ where: { userId: user.id } })).toBe(10);

    // Settling each to its (smaller) actual cost frees the rest of the reservation.
    await Promise.all(accepted.map(({ id }) => settleReservation({ entryId: id, settlement: spent(45) })));
    expect(await getBudgetStatus({ userId: user.id, policy: NO_LIMITS })).toMatchObject({
      spentMicros: 450,
      reservedMicros: 0,
      limitMicros: 10_000,
      level: "ok",
    });
    await expectTotalsMatchLedger(prisma, user.id);
  });

  it("refuses an unpriced model while a budget applies, and allows it when unlimited", async () => {
    const limited = await createUser(1_000_000);
    await expect(turn(limited.id, 0, { model: "llama3.2", priced: false })).rejects.toThrow(
      /llama3\.2 has no known price/,
    );
    const unlimited = await createUser(null);
    const ok = await turn(unlimited.id, 0, { model: "llama3.2", priced: false });
    expect(await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: ok.id } })).toMatchObject({ isUnpriced: true });
    // A server-wide budget cannot check an unpriced model either.
    await expect(
      turn(unlimited.id, 0, { model: "llama3.2", priced: false, policy: { ...NO_LIMITS, globalMicros: 10 ** 9 } }),
    ).rejects.toThrow(/this server's monthly budget/);
  });

  it("caps a user's own budget at the operator's maximum, but not one an administrator set", async () => {
    const policy = { ...NO_LIMITS, maxUserMicros: 1_000 };
    const own = await createUser(null); // "unlimited", chosen by the user
    await expect(turn(own.id, 1_500, { policy })).rejects.toThrow(/of your \$0\.001000 monthly budget/);
    expect(await getBudgetStatus({ userId: own.id, policy })).toMatchObject({ limitMicros: 1_000 });
    const granted = await createUser(null, { isBudgetSetByAdmin: true });
    await expect(turn(granted.id, 1_500, { policy })).resolves.toMatchObject({ id: expect.any(String) });
  });

  it("counts only this month, and a released call frees its reservation and costs nothing", async () => {
    const user = await createUser(1000);
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
    const reservation = await turn(user.id, 900);
    expect(await getBudgetStatus({ userId: user.id, policy: NO_LIMITS })).toMatchObject({
      spentMicros: 0,
      reservedMicros: 900,
      level: "warning",
    });
    await settleReservation({ entryId: reservation.id, settlement: released });
    expect(await getBudgetStatus({ userId: user.id, policy: NO_LIMITS })).toMatchObject({
      spentMicros: 0,
      reservedMicros: 0,
    });
    const entry = await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: reservation.id } });
    expect(entry.status).toBe("released");
    const chatSpend = await getConversationSpend({ userId: user.id, conversationId: entry.conversationId ?? "" });
    expect(chatSpend).toMatchObject({ costMicros: 0, calls: 0 });
  });

  it("settles idempotently, and records usage above the reservation as reported", async () => {
    const user = await createUser(1_000);
    const reservation = await turn(user.id, 900);
    await settleReservation({ entryId: reservation.id, settlement: spent(5_000) });
    await settleReservation({ entryId: reservation.id, settlement: spent(5_000) });
    await settleReservation({ entryId: reservation.id, settlement: released });
    expect(await getBudgetStatus({ userId: user.id, policy: NO_LIMITS })).toMatchObject({
      spentMicros: 5_000,
      reservedMicros: 0,
      level: "exceeded",
    });
    await expect(turn(user.id, 1)).rejects.toThrow(/only \$0\.00 of your \$0\.001000 monthly budget is left/);
    await expectTotalsMatchLedger(prisma, user.id);
  });
});

describe("a chat's spend (the meter)", () => {
  it("sums the settled entries of this user's chat, flags estimates and unpriced calls, counts open ones", async () => {
    const user = await createUser(null);
    const conversationId = randomUUID();
    const entry = (data: { status: string; costMicros?: bigint; isEstimated?: boolean; isUnpriced?: boolean }) =>
      prisma.ledgerEntry.create({
        data: {
          userId: user.id,
          kind: "chat",
          conversationId,
          model: "gpt-5-mini",
          promptTokens: 100,
          completionTokens: 7,
          ...data,
        },
      });
    await entry({ status: "settled", costMicros: 1_000n });
    await entry({ status: "settled", costMicros: 2_500n, isEstimated: true });
    await entry({ status: "settled", costMicros: 0n, isUnpriced: true });
    await entry({ status: "reserved" });
    await entry({ status: "released", isEstimated: true });
    // Another user's entry naming the same conversation id counts for nothing here.
    const other = await createUser(null);
    await prisma.ledgerEntry.create({
      data: { userId: other.id, kind: "chat", conversationId, model: "gpt-5-mini", status: "settled", costMicros: 9n },
    });
    expect(await getConversationSpend({ userId: user.id, conversationId })).toEqual({
      promptTokens: 300,
      completionTokens: 21,
      costMicros: 3_500,
      hasEstimated: true,
      hasUnpriced: true,
      calls: 4,
    });
    expect(await getConversationSpend({ userId: user.id, conversationId: randomUUID() })).toEqual({
      promptTokens: 0,
      completionTokens: 0,
      costMicros: 0,
      hasEstimated: false,
      hasUnpriced: false,
      calls: 0,
    });
  });
});

describe("a new chat's first messages", () => {
  it("sent twice at once both land in the one conversation, each with its reservation", async () => {
    const user = await createUser(null);
    const conversationId = randomUUID();
    const send = () =>
      beginTurn({
        userId: user.id,
        conversationId,
        message: { content: "hello", tokenCount: 1, tokenEncoding: "o200k_base" },
        title: "hello",
        quote: { model: "gpt-5-mini", price, promptTokens: 100, maxOutputTokens: 4096, reserveMicros: 10 },
        policy: NO_LIMITS,
        now: new Date(),
      });
    await Promise.all([send(), send()]);
    expect(await prisma.conversation.count({ where: { id: conversationId } })).toBe(1);
    expect(await prisma.message.count({ where: { conversationId } })).toBe(2);
    expect(await prisma.ledgerEntry.count({ where: { conversationId } })).toBe(2);
  });
});

describe("a month's first reservations", () => {
  it("many at once, from many users, are never refused for want of the month's totals row", async () => {
    const now = new Date(Date.UTC(2033, 1, 3));
    const users = await Promise.all(Array.from({ length: 10 }, () => createUser(null)));
    const results = await Promise.allSettled(
      users.flatMap((user) => Array.from({ length: 6 }, () => turn(user.id, 8_200, { now }))),
    );
    expect(results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []))).toEqual([]);
    for (const user of users) await expectTotalsMatchLedger(prisma, user.id);
  });
});

describe("the server-wide budget", () => {
  it("admits exactly what fits across users, under concurrency", async () => {
    const now = new Date(Date.UTC(2031, 2, 10, 12));
    const policy = { ...NO_LIMITS, globalMicros: 3_000 };
    // The server-wide total is every user's, and a PostgreSQL test database keeps it from the previous run: this
    // test's month starts empty.
    const month = { gte: new Date(Date.UTC(2031, 2, 1)), lt: new Date(Date.UTC(2031, 3, 1)) };
    await prisma.ledgerEntry.deleteMany({ where: { createdAt: month } });
    await prisma.spendCounter.deleteMany({ where: { month: "2031-03" } });
    const users = [await createUser(null), await createUser(null)];
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => turn(users[i % 2]?.id ?? "", 1_000, { now, policy })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    const reasons = results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
    expect(reasons.every((reason) => reason.includes("shared monthly budget has no room"))).toBe(true);
    expect(await getGlobalBudgetStatus({ policy, now })).toMatchObject({
      spentMicros: 0,
      reservedMicros: 3_000,
      limitMicros: 3_000,
    });
  });
});

describe("abandoned reservations (their server stopped)", () => {
  it("are settled once their lease lapses, to the prompt and what was streamed, and a late settlement wins", async () => {
    const user = await createUser(20_000);
    const start = new Date(Date.UTC(2030, 5, 15, 12));
    const crashed = await turn(user.id, 8_500, { now: start });
    const alive = await turn(user.id, 8_500, { now: start });
    // The live call's server renews its lease and records 500 streamed tokens; the crashed one stopped renewing.
    const renewedAt = new Date(start.getTime() + LEASE_MS - 1_000);
    expect(await renewLeases([{ entryId: alive.id, streamedTokens: 500 }], { now: renewedAt })).toEqual([]);
    await prisma.ledgerEntry.update({ where: { id: crashed.id }, data: { streamedTokens: 300 } });

    const later = new Date(start.getTime() + LEASE_MS + 1);
    // 100 prompt tokens × $0.25 / 1M + 300 streamed × $2.00 / 1M = 25 + 600 = 625 micro-USD, estimated.
    expect(await getBudgetStatus({ userId: user.id, policy: NO_LIMITS, now: later })).toMatchObject({
      spentMicros: 625,
      reservedMicros: 8_500,
    });
    expect(await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: crashed.id } })).toMatchObject({
      status: "settled",
      isAbandoned: true,
      isEstimated: true,
      completionTokens: 300,
      costMicros: 625n,
      reservedMicros: 0n,
    });
    // Its room is free again: a worst case that only fits without the crashed reservation is admitted.
    await expect(turn(user.id, 10_000, { now: later })).resolves.toMatchObject({ id: expect.any(String) });

    // The "crashed" call was only slow: its own settlement replaces the sweep's estimate, and the totals follow.
    expect(await renewLeases([{ entryId: crashed.id, streamedTokens: 900 }], { now: later })).toEqual([crashed.id]);
    await settleReservation({ entryId: crashed.id, settlement: spent(2_000) });
    expect(await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: crashed.id } })).toMatchObject({
      isAbandoned: false,
      costMicros: 2_000n,
    });
    expect(await getBudgetStatus({ userId: user.id, policy: NO_LIMITS, now: later })).toMatchObject({
      spentMicros: 2_000,
      reservedMicros: 18_500,
    });
    await expectTotalsMatchLedger(prisma, user.id);
  });
});

describe("replies", () => {
  it("are not stored once their chat is deleted, while their cost stays settled", async () => {
    const user = await createUser(null);
    const reservation = await turn(user.id, 900);
    const entry = await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: reservation.id } });
    const conversationId = entry.conversationId ?? "";
    await prisma.conversation.delete({ where: { id: conversationId } });
    await settleReservation({ entryId: reservation.id, settlement: spent(700, { isEstimated: true }) });
    const reply = {
      id: randomUUID(),
      conversationId,
      content: "word1 word2",
      status: "stopped" as const,
      model: "gpt-5-mini",
      tokenCount: 4,
      tokenEncoding: "o200k_base",
      entryId: reservation.id,
    };
    expect(await storeReply(reply)).toBeNull();
    expect(await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: reservation.id } })).toMatchObject({
      status: "settled",
      costMicros: 700n,
      conversationId,
    });
  });

  it("are stored once, however often storing is retried", async () => {
    const user = await createUser(null);
    const reservation = await turn(user.id, 900);
    const entry = await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: reservation.id } });
    await settleReservation({ entryId: reservation.id, settlement: spent(700) });
    const reply = {
      id: randomUUID(),
      conversationId: entry.conversationId ?? "",
      content: "hi",
      status: "complete" as const,
      model: "gpt-5-mini",
      tokenCount: 1,
      tokenEncoding: "o200k_base",
      entryId: reservation.id,
    };
    await Promise.all([storeReply(reply), storeReply(reply), storeReply(reply)]);
    expect(await prisma.message.count({ where: { conversationId: reply.conversationId, role: "assistant" } })).toBe(1);
    expect(await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: reservation.id } })).toMatchObject({
      messageId: reply.id,
    });
  });
});

describe("a retry", () => {
  it("replaces the failed replies that cost nothing and keeps those that were charged, with their entries", async () => {
    const user = await createUser(null);
    const first = await turn(user.id, 900);
    const { conversationId } = await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: first.id } });
    const failure = { conversationId: conversationId ?? "", status: "error" as const, model: "gpt-5-mini" };
    const retry = () =>
      beginTurn({
        userId: user.id,
        conversationId: failure.conversationId,
        title: "hello",
        quote: { model: "gpt-5-mini", price, promptTokens: 100, maxOutputTokens: 4096, reserveMicros: 900 },
        policy: NO_LIMITS,
        now: new Date(),
      });
    // Refused by the provider: nothing arrived, nothing spent.
    await settleReservation({ entryId: first.id, settlement: released });
    const refused = { ...failure, id: randomUUID(), content: "", tokenCount: 0, tokenEncoding: "o200k_base" };
    await storeReply({ ...refused, error: "refused (401)", entryId: first.id });
    // Retried, and cut after two words: charged an estimate.
    const second = await retry();
    await settleReservation({ entryId: second.id, settlement: spent(300, { isEstimated: true }) });
    const cut = { ...failure, id: randomUUID(), content: "word1 word2", tokenCount: 4, tokenEncoding: "o200k_base" };
    await storeReply({ ...cut, error: "connection dropped", entryId: second.id });

    await retry();
    const messages = await prisma.message.findMany({ where: { conversationId: failure.conversationId } });
    expect(messages.map((message) => message.id).sort()).toEqual(
      [cut.id, messages.find((message) => message.role === "user")?.id].sort(),
    );
    expect(await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({
      messageId: cut.id,
      costMicros: 300n,
    });
  });
});

describe("admission under contention", () => {
  it("answers unavailable (nothing written) when the budget row stays locked, instead of queueing on", async () => {
    const user = await createUser(10_000);
    await turn(user.id, 100); // creates this month's totals rows
    const month = new Date().toISOString().slice(0, 7);
    const release = await holdTotalsLock(`user:${user.id}`, month);
    try {
      const attempt = turn(user.id, 100);
      await expect(attempt).rejects.toMatchObject({ code: "unavailable" });
    } finally {
      await release();
    }
    expect(await prisma.ledgerEntry.count({ where: { userId: user.id } })).toBe(1);
    await expect(turn(user.id, 100)).resolves.toMatchObject({ id: expect.any(String) });
  }, 60_000);
});

/** Another connection holds a write lock that admission needs, until released (PostgreSQL row lock / SQLite write lock). */
async function holdTotalsLock(scope: string, month: string): Promise<() => Promise<void>> {
  if (/^postgres/i.test(databaseUrl)) {
    const pg = await import("pg");
    const client = new pg.default.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query("BEGIN");
    await client.query(
      `UPDATE "SpendCounter" SET "reservedMicros" = "reservedMicros" WHERE "scope" = $1 AND "month" = $2`,
      [scope, month],
    );
    return async () => {
      await client.query("ROLLBACK");
      await client.end();
    };
  }
  const Database = (await import("better-sqlite3")).default;
  const db = new Database(databaseUrl.slice("file:".length));
  db.prepare("BEGIN IMMEDIATE").run();
  return async () => {
    db.prepare("ROLLBACK").run();
    db.close();
  };
}
