import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { Quote } from "@/lib/db/ledger";
import { prepareTestDatabase } from "@/test/database";
import { expectTotalsMatchLedger } from "@/test/ledger-invariants";
import { GPT5_MINI_PRICE, NO_LIMITS } from "@/test/money";

// A comparison's reservation (reserveCalls: every model's worst case in one transaction, all or none) and continuing
// with one of its answers. Real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test runs
// both).
prepareTestDatabase();
const { prisma } = await import("./client");
const { beginComparison, continueAnswer, finishAnswer, getComparison, requestComparisonStop } = await import(
  "./comparisons"
);
const { getBudgetStatus, getConversationSpend, getGlobalBudgetStatus, settleReservation } = await import("./ledger");
const { AppError } = await import("@/lib/errors");

async function createUser(budgetMicros: number | null) {
  return prisma.user.create({
    data: {
      email: `compare-${randomUUID()}@example.test`,
      budgetMode: budgetMicros === null ? "unlimited" : "limited",
      monthlyBudgetMicros: budgetMicros === null ? null : BigInt(budgetMicros),
    },
  });
}

const quote = (reserveMicros: number, model = "gpt-5-mini"): Quote => ({
  model,
  price: GPT5_MINI_PRICE,
  promptTokens: 20,
  maxOutputTokens: 4096,
  reserveMicros,
});

function compare(userId: string, quotes: Quote[], { policy = NO_LIMITS, now = new Date() } = {}) {
  return beginComparison({
    userId,
    prompt: "Which is larger, 9.11 or 9.9?",
    systemPrompt: "Be brief.",
    settings: JSON.stringify({ temperature: 0.5 }),
    quotes,
    policy,
    now,
  });
}

const entriesOf = (userId: string) => prisma.ledgerEntry.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });

afterAll(async () => {
  await prisma.$disconnect();
});

describe("reserving a comparison", () => {
  it("reserves every model's worst case as an entry of its own, outside any conversation", async () => {
    const user = await createUser(100_000);
    const comparison = await compare(user.id, [quote(1_000), quote(2_000, "gpt-4o"), quote(3_000, "gpt-4.1")]);
    expect(comparison.answers.map(({ position, model }) => [position, model])).toEqual([
      [0, "gpt-5-mini"],
      [1, "gpt-4o"],
      [2, "gpt-4.1"],
    ]);
    const entries = await entriesOf(user.id);
    expect(entries).toHaveLength(3);
    for (const entry of entries) {
      expect(entry).toMatchObject({ kind: "chat", source: "web", status: "reserved", conversationId: null });
    }
    expect(new Set(entries.map((entry) => entry.id))).toEqual(new Set(comparison.answers.map((a) => a.entryId)));
    expect(await getBudgetStatus({ userId: user.id, policy: NO_LIMITS })).toMatchObject({ reservedMicros: 6_000 });
    await expectTotalsMatchLedger(prisma, user.id);
  });

  it("refuses the whole comparison when the sum does not fit, though some models would: nothing is left", async () => {
    const user = await createUser(5_000);
    // Two of the three fit the $0.005 budget (4,000), all three (6,000) do not.
    const refusal = await compare(user.id, [quote(2_000), quote(2_000), quote(2_000)]).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: "budget_exceeded", text: { key: "errors.budgetWouldExceedCalls" } });
    expect((refusal as Error).message).toMatch(/could cost up to \$0\.006000 in all \(3 models.*only \$0\.005000/);
    expect(await entriesOf(user.id)).toEqual([]);
    expect(await prisma.comparison.count({ where: { userId: user.id } })).toBe(0);
    expect(await getBudgetStatus({ userId: user.id, policy: NO_LIMITS })).toMatchObject({
      reservedMicros: 0,
      spentMicros: 0,
    });
  });

  it("admits exactly one of two comparisons racing for a budget that fits only one", async () => {
    for (let round = 0; round < 5; round++) {
      const user = await createUser(10_000);
      // Each comparison reserves 3 × 3,000 = 9,000: one fits the $0.01 budget, two (18,000) do not.
      const results = await Promise.allSettled([
        compare(user.id, [quote(3_000), quote(3_000), quote(3_000)]),
        compare(user.id, [quote(3_000), quote(3_000), quote(3_000)]),
      ]);
      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
      const refused = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ code: "budget_exceeded" });
      expect(await entriesOf(user.id)).toHaveLength(3);
      expect(await prisma.comparison.count({ where: { userId: user.id } })).toBe(1);
      expect(await getBudgetStatus({ userId: user.id, policy: NO_LIMITS })).toMatchObject({ reservedMicros: 9_000 });
      await expectTotalsMatchLedger(prisma, user.id);
    }
  });

  it("refuses the whole comparison on the server-wide budget, and on an unpriced model while a budget applies", async () => {
    const now = new Date(Date.UTC(2032, 4, 10, 12));
    const month = { gte: new Date(Date.UTC(2032, 4, 1)), lt: new Date(Date.UTC(2032, 5, 1)) };
    await prisma.ledgerEntry.deleteMany({ where: { createdAt: month } });
    await prisma.spendCounter.deleteMany({ where: { month: "2032-05" } });
    const policy = { ...NO_LIMITS, globalMicros: 5_000 };
    const user = await createUser(null);
    const server = await compare(user.id, [quote(3_000), quote(3_000)], { policy, now }).catch((e: unknown) => e);
    expect(server).toMatchObject({ code: "budget_exceeded", text: { key: "errors.serverBudgetExceeded" } });
    expect(await getGlobalBudgetStatus({ policy, now })).toMatchObject({ reservedMicros: 0, spentMicros: 0 });

    const limited = await createUser(1_000_000);
    const unpriced = { ...quote(0, "llama3.2"), price: null };
    const refusal = await compare(limited.id, [quote(1_000), unpriced]).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: "budget_exceeded", text: { key: "errors.budgetModelUnpriced" } });
    expect(await entriesOf(limited.id)).toEqual([]);
  });
});

describe("a comparison's answers", () => {
  async function finished(userId: string) {
    const comparison = await compare(userId, [quote(1_000), quote(2_000, "gpt-4o")]);
    const [first, second] = comparison.answers;
    if (!first || !second) throw new Error("two answers expected");
    await settleReservation({
      entryId: first.entryId,
      settlement: {
        status: "settled",
        promptTokens: 20,
        cachedTokens: 0,
        completionTokens: 7,
        reasoningTokens: 0,
        costMicros: 19,
        isEstimated: false,
      },
    });
    await finishAnswer({
      answerId: first.id,
      content: "9.9 is larger.",
      status: "complete",
      finishReason: "stop",
      firstTokenMs: 120,
      totalMs: 480,
    });
    return { comparison, first, second };
  }

  const conversation = () => ({ title: "Which is larger", settings: JSON.stringify({ systemPrompt: "Be brief." }) });

  it("continue: the answer becomes a conversation with its entry linked, once however often it is asked", async () => {
    const user = await createUser(null);
    const { comparison, first } = await finished(user.id);
    const [continued, again] = await Promise.all([
      continueAnswer({ userId: user.id, comparisonId: comparison.id, position: 0, conversation }),
      continueAnswer({ userId: user.id, comparisonId: comparison.id, position: 0, conversation }),
    ]);
    expect(again).toEqual(continued);
    expect(await prisma.conversation.count({ where: { userId: user.id } })).toBe(1);
    const messages = await prisma.message.findMany({
      where: { conversationId: continued.conversationId },
      orderBy: { createdAt: "asc" },
    });
    expect(messages.map(({ role, content, status }) => [role, content, status])).toEqual([
      ["user", "Which is larger, 9.11 or 9.9?", "complete"],
      ["assistant", "9.9 is larger.", "complete"],
    ]);
    expect(messages[1]).toMatchObject({ parentId: messages[0]?.id, promptTokens: 20, completionTokens: 7 });
    const entry = await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: first.entryId } });
    expect(entry).toMatchObject({ conversationId: continued.conversationId, messageId: messages[1]?.id });
    expect(await getConversationSpend({ userId: user.id, conversationId: continued.conversationId })).toMatchObject({
      costMicros: 19,
      calls: 1,
    });
    expect((await getComparison({ id: comparison.id, userId: user.id }))?.answers[0]?.conversationId).toBe(
      continued.conversationId,
    );
  });

  it("refuses another user's comparison (not found), an answer still streaming (conflict)", async () => {
    const owner = await createUser(null);
    const other = await createUser(null);
    const { comparison } = await finished(owner.id);
    const attempt = (userId: string, position: number) =>
      continueAnswer({ userId, comparisonId: comparison.id, position, conversation }).catch((e: unknown) => e);
    expect(await attempt(other.id, 0)).toMatchObject({ code: "not_found" });
    expect(await getComparison({ id: comparison.id, userId: other.id })).toBeNull();
    expect(await requestComparisonStop({ id: comparison.id, userId: other.id })).toBeNull();
    expect(await attempt(owner.id, 1)).toMatchObject({ code: "conflict" });
    expect(await attempt(owner.id, 3)).toMatchObject({ code: "not_found" });
    expect(await prisma.conversation.count({ where: { userId: { in: [owner.id, other.id] } } })).toBe(0);
  });

  it("stop marks the open calls only, for the owner", async () => {
    const user = await createUser(null);
    const { comparison, first, second } = await finished(user.id);
    const ids = await requestComparisonStop({ id: comparison.id, userId: user.id });
    expect(new Set(ids)).toEqual(new Set([first.entryId, second.entryId]));
    const entries = await prisma.ledgerEntry.findMany({ where: { id: { in: [first.entryId, second.entryId] } } });
    const marked = Object.fromEntries(entries.map((entry) => [entry.id, entry.stopRequestedAt !== null]));
    expect(marked).toEqual({ [first.entryId]: false, [second.entryId]: true });
  });
});
