import "server-only";
import { budgetLevel, effectiveLimit, fitsBudget, monthStart, nextMonthStart } from "@/lib/billing/budget";
import { formatUsd } from "@/lib/billing/cost";
import type { ModelPrice } from "@/lib/billing/prices";
import { settleAbandoned } from "@/lib/billing/settle";
import { AppError } from "@/lib/errors";
import { prisma } from "./client";
import type { Prisma } from "./generated/client";

type Tx = Prisma.TransactionClient;

// Ledger entries are the only record of spend. Amounts are micro-USD, stored as BigInt and handed out as numbers
// (exact up to 2^53 micro-USD, about nine billion dollars).

/**
 * Takes the user's ledger lock for the rest of the transaction (an UPDATE: PostgreSQL's row lock, SQLite's write
 * lock), so concurrent reservations of one user check the remaining budget one after another.
 */
export function lockUserLedger(tx: Tx, userId: string) {
  return tx.user.update({
    where: { id: userId },
    data: { updatedAt: new Date() },
    select: { budgetMode: true, monthlyBudgetMicros: true },
  });
}

/**
 * A reservation still open after this long was abandoned: the server handling it stopped (crash, redeploy, killed
 * process) before settling. No chat call runs this long (one reply is at most a few thousand tokens).
 */
export const ABANDONED_AFTER_MS = 60 * 60 * 1000;

/**
 * Settles the user's abandoned reservations (see ABANDONED_AFTER_MS and settleAbandoned), so a crash does not hold
 * the worst case against the budget for the rest of the month. Runs inside the caller's transaction, which must hold
 * lockUserLedger's lock.
 */
async function settleAbandonedReservations(tx: Tx, userId: string, now: Date) {
  const abandoned = await tx.ledgerEntry.findMany({
    where: { userId, status: "reserved", createdAt: { lt: new Date(now.getTime() - ABANDONED_AFTER_MS) } },
    select: {
      id: true,
      promptTokens: true,
      isUnpriced: true,
      inputPer1M: true,
      cachedInputPer1M: true,
      outputPer1M: true,
    },
  });
  for (const entry of abandoned) {
    const { inputPer1M, cachedInputPer1M, outputPer1M } = entry;
    const price =
      entry.isUnpriced || inputPer1M === null || cachedInputPer1M === null || outputPer1M === null
        ? null
        : { inputPer1M, cachedInputPer1M, outputPer1M };
    const { costMicros, ...settlement } = settleAbandoned({ promptTokens: entry.promptTokens, price });
    await tx.ledgerEntry.updateMany({
      // Only while still reserved: a reply that did finish meanwhile keeps its real settlement.
      where: { id: entry.id, status: "reserved" },
      data: { ...settlement, costMicros: BigInt(costMicros), reservedMicros: 0n, settledAt: now },
    });
  }
  return abandoned.length;
}

/** settleAbandonedReservations in a transaction of its own, taken only when there is something to settle. */
async function settleAbandonedReservationsOf(userId: string, now: Date) {
  const abandoned = await prisma.ledgerEntry.findFirst({
    where: { userId, status: "reserved", createdAt: { lt: new Date(now.getTime() - ABANDONED_AFTER_MS) } },
    select: { id: true },
  });
  if (!abandoned) return;
  await prisma.$transaction(async (tx) => {
    await lockUserLedger(tx, userId);
    await settleAbandonedReservations(tx, userId, now);
  });
}

/** Spent (settled) plus still reserved this month: what the budget must cover. */
async function committedSince(db: Tx | typeof prisma, userId: string, since: Date) {
  const [settled, reserved] = await Promise.all([
    db.ledgerEntry.aggregate({
      where: { userId, createdAt: { gte: since }, status: "settled" },
      _sum: { costMicros: true },
    }),
    db.ledgerEntry.aggregate({
      where: { userId, createdAt: { gte: since }, status: "reserved" },
      _sum: { reservedMicros: true },
    }),
  ]);
  return {
    spentMicros: Number(settled._sum.costMicros ?? 0n),
    reservedMicros: Number(reserved._sum.reservedMicros ?? 0n),
  };
}

/** The terms of one upstream call: what it would send and its worst-case cost at the model's price. */
export type Quote = {
  price: ModelPrice | null;
  promptTokens: number;
  maxOutputTokens: number;
  /** Worst case at `price`; ignored when unpriced. */
  reserveMicros: number;
};

export type ReservationInput = {
  userId: string;
  conversationId: string;
  model: string;
  defaultBudgetMicros: number | null;
  now: Date;
};

/**
 * Checks the budget and records a reservation inside the caller's transaction, which must hold lockUserLedger's
 * lock: the month's committed spend is read first and the quote is made after, so without the lock concurrent calls
 * would all pass on the same stale total. Refuses, naming the numbers, when the worst case does not fit, or when a
 * budget applies and the model has no known price.
 */
export async function reserveSpend(
  tx: Tx,
  budget: { budgetMode: string; monthlyBudgetMicros: bigint | null },
  input: ReservationInput,
  quote: () => Quote | Promise<Quote>,
) {
  const limitMicros = effectiveLimit({
    mode: budget.budgetMode,
    monthlyBudgetMicros: budget.monthlyBudgetMicros === null ? null : Number(budget.monthlyBudgetMicros),
    defaultMicros: input.defaultBudgetMicros,
  });
  await settleAbandonedReservations(tx, input.userId, input.now);
  const committed = limitMicros === null ? null : await committedSince(tx, input.userId, monthStart(input.now));
  const terms = await quote();
  if (limitMicros !== null && !terms.price) {
    throw new AppError(
      "budget_exceeded",
      `${input.model} has no known price, so it cannot be checked against your ${formatUsd(limitMicros)} monthly ` +
        "budget. Add its price to prices/overrides.json or MODEL_PRICES, or set your budget to unlimited in Settings.",
    );
  }
  const reserveMicros = terms.price ? terms.reserveMicros : 0;
  if (limitMicros !== null && committed) {
    const { spentMicros, reservedMicros } = committed;
    const committedMicros = spentMicros + reservedMicros;
    if (!fitsBudget({ limitMicros, committedMicros, reserveMicros })) {
      const left = Math.max(0, limitMicros - committedMicros);
      const resets = nextMonthStart(input.now).toISOString().slice(0, 10);
      throw new AppError(
        "budget_exceeded",
        `This message could cost up to ${formatUsd(reserveMicros)} (${terms.promptTokens.toLocaleString("en-US")} ` +
          `prompt tokens + up to ${terms.maxOutputTokens.toLocaleString("en-US")} output tokens on ${input.model}), ` +
          `but only ${formatUsd(left)} of your ${formatUsd(limitMicros)} monthly budget is left ` +
          `(${formatUsd(spentMicros)} spent, ${formatUsd(reservedMicros)} reserved). ` +
          `Raise your budget in Settings, or wait until it resets on ${resets}.`,
      );
    }
  }
  const entry = await tx.ledgerEntry.create({
    data: {
      userId: input.userId,
      kind: "chat",
      status: "reserved",
      conversationId: input.conversationId,
      model: input.model,
      promptTokens: terms.promptTokens,
      reservedMicros: BigInt(reserveMicros),
      isUnpriced: !terms.price,
      inputPer1M: terms.price?.inputPer1M,
      cachedInputPer1M: terms.price?.cachedInputPer1M,
      outputPer1M: terms.price?.outputPer1M,
      priceDate: terms.price?.effectiveFrom,
      createdAt: input.now,
    },
    select: { id: true },
  });
  return { id: entry.id, promptTokens: terms.promptTokens };
}

export type Settlement = {
  /** "settled": money was (or may have been) spent; "released": the upstream refused, nothing spent. */
  status: "settled" | "released";
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  costMicros: number;
  isEstimated: boolean;
};

export function settleEntry(
  tx: Tx,
  { entryId, messageId, ...settlement }: Settlement & { entryId: string; messageId: string },
) {
  return tx.ledgerEntry.update({
    where: { id: entryId },
    data: {
      ...settlement,
      costMicros: BigInt(settlement.costMicros),
      reservedMicros: 0n,
      messageId,
      settledAt: new Date(),
    },
  });
}

export async function getBudgetStatus({
  userId,
  defaultBudgetMicros,
  now = new Date(),
}: {
  userId: string;
  defaultBudgetMicros: number | null;
  now?: Date;
}) {
  // What the meter shows must match what the next reservation will check.
  await settleAbandonedReservationsOf(userId, now);
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { budgetMode: true, monthlyBudgetMicros: true },
  });
  const limitMicros = effectiveLimit({
    mode: user.budgetMode,
    monthlyBudgetMicros: user.monthlyBudgetMicros === null ? null : Number(user.monthlyBudgetMicros),
    defaultMicros: defaultBudgetMicros,
  });
  const { spentMicros, reservedMicros } = await committedSince(prisma, userId, monthStart(now));
  return {
    mode: user.budgetMode,
    limitMicros,
    spentMicros,
    reservedMicros,
    level: budgetLevel({ spentMicros: spentMicros + reservedMicros, limitMicros }),
    resetsOn: nextMonthStart(now).toISOString().slice(0, 10),
  };
}

export type BudgetStatus = Awaited<ReturnType<typeof getBudgetStatus>>;

/** One chat's totals, from the ledger (so they include estimated and in-flight calls). */
export async function getConversationSpend({ userId, conversationId }: { userId: string; conversationId: string }) {
  const entries = await prisma.ledgerEntry.findMany({
    where: { userId, conversationId, status: { not: "released" } },
    select: {
      promptTokens: true,
      completionTokens: true,
      costMicros: true,
      reservedMicros: true,
      status: true,
      isEstimated: true,
      isUnpriced: true,
    },
  });
  let promptTokens = 0;
  let completionTokens = 0;
  let costMicros = 0n;
  for (const entry of entries) {
    if (entry.status !== "settled") continue;
    promptTokens += entry.promptTokens;
    completionTokens += entry.completionTokens;
    costMicros += entry.costMicros;
  }
  return {
    promptTokens,
    completionTokens,
    costMicros: Number(costMicros),
    hasEstimated: entries.some((e) => e.isEstimated),
    hasUnpriced: entries.some((e) => e.isUnpriced),
    calls: entries.length,
  };
}

export type ConversationSpend = Awaited<ReturnType<typeof getConversationSpend>>;
