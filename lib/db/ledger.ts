import "server-only";
import { type BudgetPolicy, budgetLevel, budgetMonth, effectiveLimit, nextMonthStart } from "@/lib/billing/budget";
import { type CallSource, isStreamedTextKind, type LedgerKind } from "@/lib/billing/kinds";
import { formatUsd } from "@/lib/billing/money";
import type { UnitRates } from "@/lib/billing/prices";
import { entryPrice, type ModelPrice } from "@/lib/billing/prices";
import { type Settlement, settleAbandoned, settleAbandonedMedia } from "@/lib/billing/settle";
import { AppError, type ErrorKey } from "@/lib/errors";
import { appError } from "@/lib/i18n/errors";
import { prisma } from "./client";
import { Prisma } from "./generated/client";
import { isTransientDbError, withTransientRetry } from "./retry";
import { moveUsage, recountUsage, type UsageChange, usageMove } from "./usage-days";

type Tx = Prisma.TransactionClient;

// Ledger entries are the record of spend; SpendCounter rows hold their running totals per budget scope and month,
// changed in the same transaction as every entry they sum (reserve, settle, release, sweep), so admission is one
// conditional UPDATE of one row: exact under concurrency on PostgreSQL and SQLite alike, and O(1) for the server-wide
// budget. The usage rollup (UsageDay, lib/db/usage-days.ts) follows every change of settled spend in the same
// transactions. Amounts are micro-USD, stored as BigInt and handed out as numbers (exact up to 2^53, about $9 billion).

export const GLOBAL_SCOPE = "global";
/** How a refusal by the server-wide budget starts. */
/** The key of a refusal by the server-wide budget (rather than the user's own). */
export const SERVER_BUDGET_REFUSAL = "errors.serverBudgetExceeded" satisfies ErrorKey;
const userScope = (userId: string) => `user:${userId}`;

/**
 * How long a reservation stays valid without its server renewing it. A server renews the leases of its running
 * calls every few seconds (lib/chat/active-turns.ts); one that crashed stops, and its reservations are settled as
 * abandoned once the lease passes — seconds after the crash, not at the end of the month.
 */
export const LEASE_MS = 15_000;

async function ensureCounters(tx: Tx, scopes: string[], month: string) {
  for (const scope of scopes) {
    await tx.$executeRaw`INSERT INTO "SpendCounter" ("scope", "month", "settledMicros", "reservedMicros")
      VALUES (${scope}, ${month}, 0, 0) ON CONFLICT ("scope", "month") DO NOTHING`;
  }
}

type TotalsMove = { userId: string; month: string; reservedDelta: number; settledDelta: number };

/**
 * Applies changes of entries to their users' and the global running totals of each entry's month. Lock order, the
 * same in every transaction so none waits on another in a circle: ledger entries first (callers), then usage rollup
 * rows in key order (moveUsage, called before this), then user totals in id order, then the global total last.
 */
async function moveTotals(tx: Tx, moves: TotalsMove[]) {
  const effective = moves
    .filter((move) => move.reservedDelta !== 0 || move.settledDelta !== 0)
    .sort((a, b) => (a.userId === b.userId ? a.month.localeCompare(b.month) : a.userId < b.userId ? -1 : 1));
  const global = new Map<string, { reservedDelta: number; settledDelta: number }>();
  for (const { userId, month, reservedDelta, settledDelta } of effective) {
    await bumpTotals(tx, { scope: userScope(userId), month, reservedDelta, settledDelta });
    const sum = global.get(month) ?? { reservedDelta: 0, settledDelta: 0 };
    sum.reservedDelta += reservedDelta;
    sum.settledDelta += settledDelta;
    global.set(month, sum);
  }
  for (const [month, sum] of [...global].sort(([a], [b]) => a.localeCompare(b))) {
    await bumpTotals(tx, { scope: GLOBAL_SCOPE, month, ...sum });
  }
}

async function bumpTotals(
  tx: Tx,
  {
    scope,
    month,
    reservedDelta,
    settledDelta,
  }: { scope: string; month: string; reservedDelta: number; settledDelta: number },
) {
  const bump = () =>
    tx.spendCounter.updateMany({
      where: { scope, month },
      data: {
        reservedMicros: { increment: BigInt(reservedDelta) },
        settledMicros: { increment: BigInt(settledDelta) },
      },
    });
  // The month's row exists but for the first entry of a scope in a month.
  if ((await bump()).count === 0) {
    await ensureCounters(tx, [scope], month);
    await bump();
  }
}

/**
 * Adds `micros` to a scope's reserved total only if settled + reserved + micros stays within `limitMicros` (null:
 * no limit). One statement: PostgreSQL re-checks the condition on the row's latest version after waiting for its
 * lock, SQLite runs it under its write lock, so concurrent reservations can never pass on a stale total.
 */
async function holdWithin(tx: Tx, { scope, month, micros, limitMicros }: HoldInput): Promise<boolean> {
  const amount = BigInt(micros);
  const hold = async () => {
    if (limitMicros === null) {
      const { count } = await tx.spendCounter.updateMany({
        where: { scope, month },
        data: { reservedMicros: { increment: amount } },
      });
      return count === 1;
    }
    const updated = await tx.$executeRaw`UPDATE "SpendCounter" SET "reservedMicros" = "reservedMicros" + ${amount}
      WHERE "scope" = ${scope} AND "month" = ${month}
        AND "settledMicros" + "reservedMicros" + ${amount} <= ${BigInt(limitMicros)}`;
    return updated === 1;
  };
  if (await hold()) return true;
  // Refused, or the month's row did not exist yet (or was still being inserted by a concurrent first reservation,
  // which the insert below waits for): with the row surely there, the second answer is the real one.
  await ensureCounters(tx, [scope], month);
  return hold();
}

type HoldInput = { scope: string; month: string; micros: number; limitMicros: number | null };

async function readTotals(db: Tx | typeof prisma, scope: string, month: string) {
  const row = await db.spendCounter.findUnique({ where: { scope_month: { scope, month } } });
  return { spentMicros: Number(row?.settledMicros ?? 0n), reservedMicros: Number(row?.reservedMicros ?? 0n) };
}

const abandonedWhere = (now: Date): Prisma.LedgerEntryWhereInput => ({
  status: "reserved",
  // No lease: a reservation made before leases existed.
  OR: [{ leaseExpiresAt: { lt: now } }, { leaseExpiresAt: null }],
});

const SWEEP_BATCH = 100;

/**
 * Settles reservations whose lease ran out (their server stopped) to what they streamed (settleAbandoned), inside the
 * caller's transaction: all of them, or one user's. Each is re-checked in its UPDATE, so a lease renewed or a call
 * settled meanwhile keeps its own outcome. Returns how many it settled.
 */
async function settleExpired(tx: Tx, { userId, now }: { userId?: string; now: Date }): Promise<number> {
  const expired = await tx.ledgerEntry.findMany({
    where: { ...abandonedWhere(now), ...(userId ? { userId } : {}) },
    orderBy: { createdAt: "asc" },
    take: SWEEP_BATCH,
  });
  const moves: TotalsMove[] = [];
  const usage: UsageChange[] = [];
  for (const entry of expired) {
    const settlement = isStreamedTextKind(entry.kind)
      ? settleAbandoned({
          promptTokens: entry.promptTokens,
          streamedTokens: entry.streamedTokens,
          price: entryPrice(entry),
        })
      : settleAbandonedMedia({ reservedMicros: Number(entry.reservedMicros), promptTokens: entry.promptTokens });
    const columns = settlementColumns(settlement);
    const { count } = await tx.ledgerEntry.updateMany({
      where: { id: entry.id, status: "reserved", leaseExpiresAt: entry.leaseExpiresAt },
      data: { ...columns, isAbandoned: true, leaseExpiresAt: null, settledAt: now },
    });
    if (count === 0) continue;
    usage.push(...usageMove({ before: entry, after: { ...entry, ...columns } }));
    moves.push({
      userId: entry.userId,
      month: budgetMonth(entry.createdAt),
      reservedDelta: -Number(entry.reservedMicros),
      settledDelta: settlement.costMicros,
    });
  }
  await moveUsage(tx, usage);
  await moveTotals(tx, moves);
  return moves.length;
}

function settlementColumns({ costMicros, ...settlement }: Settlement) {
  return { ...settlement, costMicros: BigInt(costMicros), reservedMicros: 0n };
}

/** Settles every abandoned reservation on the server (any user). Cheap when there are none. */
export async function sweepAbandonedReservations(now = new Date()): Promise<number> {
  const any = await prisma.ledgerEntry.findFirst({ where: abandonedWhere(now), select: { id: true } });
  if (!any) return 0;
  return withTransientRetry(() => prisma.$transaction((tx) => settleExpired(tx, { now })));
}

/** Settles one user's abandoned reservations; how many. */
export async function sweepAbandonedReservationsOf(userId: string, now = new Date()): Promise<number> {
  const any = await prisma.ledgerEntry.findFirst({ where: { ...abandonedWhere(now), userId }, select: { id: true } });
  if (!any) return 0;
  return withTransientRetry(() => prisma.$transaction((tx) => settleExpired(tx, { userId, now })));
}

/** The user's budget settings, as reservations need them. */
async function budgetOf(db: Tx | typeof prisma, userId: string) {
  return db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { budgetMode: true, monthlyBudgetMicros: true, isBudgetSetByAdmin: true },
  });
}

function userLimit(
  user: { budgetMode: string; monthlyBudgetMicros: bigint | null; isBudgetSetByAdmin: boolean },
  policy: BudgetPolicy,
) {
  return effectiveLimit({
    mode: user.budgetMode,
    monthlyBudgetMicros: user.monthlyBudgetMicros === null ? null : Number(user.monthlyBudgetMicros),
    defaultMicros: policy.defaultMicros,
    maxUserMicros: policy.maxUserMicros,
    isSetByAdmin: user.isBudgetSetByAdmin,
  });
}

/** The terms of one upstream call, quoted before the transaction: its price, counted prompt and worst case. */
export type Quote = {
  model: string;
  /** The chat price; a transcription, image or completion call has `media.rates` instead (and null here). */
  price: ModelPrice | null;
  promptTokens: number;
  maxOutputTokens: number;
  /** Worst case at `price` (micro-USD); 0 when unpriced. */
  reserveMicros: number;
  /** A call of another kind than chat: its unit prices (null: unpriced) and what it asks for. */
  media?: MediaQuote;
};

export type MediaQuote = {
  kind: Exclude<LedgerKind, "chat">;
  rates: UnitRates | null;
  /** Reserved: the audio's measured duration, the images asked for and their "<size>/<quality>". */
  audioSeconds?: number;
  images?: number;
  imageVariant?: string;
};

export type ReservationInput = {
  userId: string;
  /** null for a call outside any conversation (a transcription from the composer of a new chat). */
  conversationId: string | null;
  quote: Quote;
  policy: BudgetPolicy;
  now: Date;
  /** Where the call was asked for: "web" (the default) or a messaging channel (lib/channels). */
  source?: CallSource;
};

/** The prices a reservation copies onto its entry: the chat price, or the unit prices a media call is billed at. */
function priceColumns({ price, media }: Quote) {
  if (!media) {
    return {
      isUnpriced: !price,
      inputPer1M: price?.inputPer1M,
      cachedInputPer1M: price?.cachedInputPer1M,
      outputPer1M: price?.outputPer1M,
      priceDate: price?.effectiveFrom,
    };
  }
  const { rates } = media;
  return {
    isUnpriced: !rates,
    inputPer1M: rates?.inputPer1M,
    cachedInputPer1M: rates?.cachedInputPer1M,
    outputPer1M: rates?.outputPer1M,
    audioInputPer1M: rates?.audioInputPer1M,
    imageInputPer1M: rates?.imageInputPer1M,
    imageOutputPer1M: rates?.imageOutputPer1M,
    audioPerMinute: rates?.audioPerMinute,
    perImageMicros: media.imageVariant ? rates?.perImage?.[media.imageVariant] : undefined,
    priceDate: rates?.effectiveFrom,
    audioSeconds: media.audioSeconds,
    images: media.images,
    imageVariant: media.imageVariant,
  };
}

/** The entry of one reservation, `reserved` with a lease, the prices copied; an unpriced model is refused here. */
async function createReservation(
  tx: Tx,
  {
    userId,
    conversationId,
    quote,
    now,
    source,
    limitMicros,
    policy,
  }: Omit<ReservationInput, "source"> & { source: CallSource; limitMicros: number | null },
) {
  const prices = priceColumns(quote);
  if (prices.isUnpriced && (limitMicros !== null || policy.globalMicros !== null)) {
    throw appError("budget_exceeded", {
      key: "errors.budgetModelUnpriced",
      params: {
        model: quote.model,
        hasLimit: limitMicros !== null ? "yes" : "no",
        limit: limitMicros !== null ? formatUsd(limitMicros) : "",
      },
    });
  }
  const reserveMicros = prices.isUnpriced ? 0 : quote.reserveMicros;
  const entry = await tx.ledgerEntry.create({
    data: {
      userId,
      kind: quote.media?.kind ?? "chat",
      source,
      status: "reserved",
      conversationId,
      model: quote.model,
      promptTokens: quote.promptTokens,
      maxOutputTokens: quote.maxOutputTokens,
      reservedMicros: BigInt(reserveMicros),
      ...prices,
      leaseExpiresAt: new Date(now.getTime() + LEASE_MS),
      createdAt: now,
    },
    select: { id: true },
  });
  return { id: entry.id, reserveMicros };
}

/**
 * Holds `micros` against the user's monthly budget, then the server-wide one (the running totals' rows, locked from
 * here to the commit), or says which refused: the caller throws, rolling the transaction back.
 */
async function holdBudgets(
  tx: Tx,
  {
    userId,
    now,
    micros,
    limitMicros,
    policy,
  }: { userId: string; now: Date; micros: number; limitMicros: number | null; policy: BudgetPolicy },
): Promise<"user" | "global" | null> {
  const month = budgetMonth(now);
  if (!(await holdWithin(tx, { scope: userScope(userId), month, micros, limitMicros }))) return "user";
  if (!(await holdWithin(tx, { scope: GLOBAL_SCOPE, month, micros, limitMicros: policy.globalMicros }))) {
    return "global";
  }
  return null;
}

/** A refusal's figures: what it would have cost, and the user's month as it stands (exact amounts from micro-USD). */
async function userBudgetFigures(
  tx: Tx,
  { userId, now, micros, limitMicros }: { userId: string; now: Date; micros: number; limitMicros: number | null },
) {
  const { spentMicros, reservedMicros } = await readTotals(tx, userScope(userId), budgetMonth(now));
  const left = Math.max(0, (limitMicros ?? 0) - spentMicros - reservedMicros);
  return {
    cost: formatUsd(micros),
    left: formatUsd(left),
    limit: formatUsd(limitMicros ?? 0),
    spent: formatUsd(spentMicros),
    reserved: formatUsd(reservedMicros),
    hasInProgress: reservedMicros > 0 ? "yes" : "no",
    resetDate: resetDay(now),
  };
}

const serverBudgetRefusal = (micros: number, now: Date) =>
  appError("budget_exceeded", {
    key: SERVER_BUDGET_REFUSAL,
    params: { cost: formatUsd(micros), resetDate: resetDay(now) },
  });

/**
 * Records a reservation of the quote's worst case inside the caller's transaction, or refuses (budget_exceeded, the
 * transaction then rolls back) when it does not fit the user's monthly budget or the server-wide one, or when a budget
 * applies and the model has no known price. The rows of the running totals are locked only from the conditional
 * updates, the transaction's last statements, to its commit. A refusal may be due to reservations whose server died:
 * the caller settles those (sweepAbandonedReservations) and tries once more.
 */
export async function reserveSpend(
  tx: Tx,
  { userId, conversationId, quote, policy, now, source = "web" }: ReservationInput,
) {
  const limitMicros = userLimit(await budgetOf(tx, userId), policy);
  const entry = await createReservation(tx, { userId, conversationId, quote, policy, now, source, limitMicros });
  const micros = entry.reserveMicros;
  const refused = await holdBudgets(tx, { userId, now, micros, limitMicros, policy });
  if (refused === "global") throw serverBudgetRefusal(micros, now);
  if (refused === "user") {
    const budget = { ...(await userBudgetFigures(tx, { userId, now, micros, limitMicros })), model: quote.model };
    throw appError(
      "budget_exceeded",
      quote.media
        ? { key: "errors.budgetWouldExceedMedia", params: { ...budget, kind: quote.media.kind } }
        : {
            key: "errors.budgetWouldExceed",
            params: { ...budget, promptTokens: quote.promptTokens, maxOutputTokens: quote.maxOutputTokens },
          },
    );
  }
  return { id: entry.id };
}

/**
 * Reserves several calls at once inside the caller's transaction (a comparison's models): every worst case is an
 * entry of its own, and their sum is held against the budgets by one conditional update per scope, so either all of
 * them fit and are reserved or none is (budget_exceeded, naming the sum: the transaction then rolls back). Outside any
 * conversation. Returns the entries' ids in the quotes' order.
 */
export async function reserveSpends(
  tx: Tx,
  {
    userId,
    quotes,
    policy,
    now,
    source = "web",
  }: Omit<ReservationInput, "quote" | "conversationId"> & { quotes: Quote[] },
): Promise<{ id: string }[]> {
  const limitMicros = userLimit(await budgetOf(tx, userId), policy);
  const entries: { id: string; reserveMicros: number }[] = [];
  for (const quote of quotes) {
    entries.push(
      await createReservation(tx, { userId, conversationId: null, quote, policy, now, source, limitMicros }),
    );
  }
  const micros = entries.reduce((sum, entry) => sum + entry.reserveMicros, 0);
  const refused = await holdBudgets(tx, { userId, now, micros, limitMicros, policy });
  if (refused === "global") throw serverBudgetRefusal(micros, now);
  if (refused === "user") {
    throw appError("budget_exceeded", {
      key: "errors.budgetWouldExceedCalls",
      params: { ...(await userBudgetFigures(tx, { userId, now, micros, limitMicros })), calls: quotes.length },
    });
  }
  return entries.map(({ id }) => ({ id }));
}

/** How long a reservation of its own may wait for a connection before answering 503 (nothing spent). */
const RESERVE_WAIT_MS = 10_000;

/**
 * Runs an admission transaction (`admit`); refused for lack of room, it settles reservations whose server died and
 * tries once more, as chat turns do; a database too busy to admit it in time is `unavailable` (nothing spent or sent).
 */
async function admitOnce<T>(admit: () => Promise<T>, { userId, now }: { userId: string; now: Date }): Promise<T> {
  try {
    try {
      return await admit();
    } catch (error) {
      if (!(error instanceof AppError && error.code === "budget_exceeded")) throw error;
      const swept =
        error.text?.key === SERVER_BUDGET_REFUSAL
          ? await sweepAbandonedReservations(now)
          : await sweepAbandonedReservationsOf(userId, now);
      if (swept === 0) throw error;
      return await admit();
    }
  } catch (error) {
    if (isTransientDbError(error)) throw appError("unavailable", "errors.busyNothingSent");
    throw error;
  }
}

const ADMISSION = { maxWait: RESERVE_WAIT_MS, timeout: RESERVE_WAIT_MS + 5_000 };

/**
 * Reserves a call's worst case in a transaction of its own, with no message beside it: a transcription, or any call
 * whose messages are stored after it (see admitOnce for refusals and a busy database).
 */
export async function reserveCall(input: ReservationInput): Promise<{ id: string }> {
  return admitOnce(() => prisma.$transaction((tx) => reserveSpend(tx, input), ADMISSION), input);
}

/**
 * Reserves several calls at once (reserveSpends: all or none) in a transaction of its own, then runs `andThen` in
 * it with their ids (storing what the calls are for, a comparison), so a refusal leaves nothing behind. Refusals and
 * a busy database as reserveCall.
 */
export async function reserveCalls<T>(
  input: Omit<ReservationInput, "quote" | "conversationId"> & { quotes: Quote[] },
  andThen: (tx: Tx, entries: { id: string }[]) => Promise<T>,
): Promise<T> {
  return admitOnce(
    () => prisma.$transaction(async (tx) => andThen(tx, await reserveSpends(tx, input)), ADMISSION),
    input,
  );
}

const resetDay = (now: Date) => nextMonthStart(now).toISOString().slice(0, 10);

export type SettleInput = { entryId: string; settlement: Settlement; now?: Date };

/**
 * Settles (or releases) a call's reservation to its outcome and moves the running totals with it, in a transaction
 * of its own that touches no message, so what a call cost is recorded whatever happens to its conversation.
 * Idempotent: settling an entry that is already settled (or released) does nothing, except that a settlement by the
 * abandoned-reservation sweep (an estimate made while this server seemed gone) is replaced by the call's own. Retried
 * on transient database errors.
 */
export async function settleReservation({ entryId, settlement, now = new Date() }: SettleInput): Promise<void> {
  await withTransientRetry(async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const done = await prisma.$transaction(async (tx) => {
        const entry = await tx.ledgerEntry.findUnique({ where: { id: entryId } });
        if (!entry) return true;
        const isOpen = entry.status === "reserved";
        if (!isOpen && !entry.isAbandoned) return true;
        // Conditional on the state read, so a concurrent sweep or settlement cannot be counted twice.
        const columns = settlementColumns(settlement);
        const { count } = await tx.ledgerEntry.updateMany({
          where: { id: entryId, status: entry.status, isAbandoned: entry.isAbandoned, costMicros: entry.costMicros },
          data: { ...columns, isAbandoned: false, leaseExpiresAt: null, settledAt: now },
        });
        if (count === 0) return false;
        // A sweep's estimate (settled, isAbandoned) leaves the rollup and the call's own outcome takes its place.
        await moveUsage(tx, usageMove({ before: entry, after: { ...entry, ...columns } }));
        const charged = settlement.status === "settled" ? settlement.costMicros : 0;
        await moveTotals(tx, [
          {
            userId: entry.userId,
            month: budgetMonth(entry.createdAt),
            reservedDelta: isOpen ? -Number(entry.reservedMicros) : 0,
            settledDelta: isOpen ? charged : charged - Number(entry.costMicros),
          },
        ]);
        return true;
      });
      if (done) return;
    }
    throw new Error(`ledger entry ${entryId} kept changing while it was being settled`);
  });
}

/**
 * Renews the leases of calls still running on this server and records how many completion tokens each has streamed
 * (what it is charged if the server dies). One transaction for all. Returns the ids whose reservation is no longer
 * open (settled by the sweep while this server seemed gone): their own settlement will replace the sweep's.
 */
export async function renewLeases(
  calls: { entryId: string; streamedTokens: number }[],
  { now = new Date() }: { now?: Date } = {},
): Promise<string[]> {
  if (calls.length === 0) return [];
  const ids = calls.map((call) => call.entryId);
  // Three statements whatever the number of calls, none in a transaction: each is atomic, and one beat missing its
  // second half is made good by the next.
  await prisma.ledgerEntry.updateMany({
    where: { id: { in: ids }, status: "reserved" },
    data: { leaseExpiresAt: new Date(now.getTime() + LEASE_MS) },
  });
  const streamed = Prisma.join(
    calls.map(({ entryId, streamedTokens }) => Prisma.sql`WHEN ${entryId} THEN ${streamedTokens}`),
    " ",
  );
  await prisma.$executeRaw`UPDATE "LedgerEntry" SET "streamedTokens" = CASE "id" ${streamed} ELSE "streamedTokens" END
    WHERE "id" IN (${Prisma.join(ids)}) AND "status" = 'reserved'`;
  const lost = await prisma.ledgerEntry.findMany({
    where: { id: { in: ids }, status: { not: "reserved" } },
    select: { id: true },
  });
  return lost.map((entry) => entry.id);
}

/** Links a settled entry to the reply it paid for, once that reply is stored. */
export function linkEntryToMessage(tx: Tx, { entryId, messageId }: { entryId: string; messageId: string }) {
  return tx.ledgerEntry.updateMany({ where: { id: entryId }, data: { messageId } });
}

export async function getBudgetStatus({
  userId,
  policy,
  now = new Date(),
}: {
  userId: string;
  policy: BudgetPolicy;
  now?: Date;
}) {
  // What the meter shows must match what the next reservation will check.
  await sweepAbandonedReservationsOf(userId, now);
  const [user, totals] = await Promise.all([
    budgetOf(prisma, userId),
    readTotals(prisma, userScope(userId), budgetMonth(now)),
  ]);
  const limitMicros = userLimit(user, policy);
  return {
    mode: user.budgetMode,
    isSetByAdmin: user.isBudgetSetByAdmin,
    limitMicros,
    spentMicros: totals.spentMicros,
    reservedMicros: totals.reservedMicros,
    level: budgetLevel({ spentMicros: totals.spentMicros + totals.reservedMicros, limitMicros }),
    resetsOn: resetDay(now),
  };
}

export type BudgetStatus = Awaited<ReturnType<typeof getBudgetStatus>>;

/** All users' spend this month against the server-wide budget. */
export async function getGlobalBudgetStatus({ policy, now = new Date() }: { policy: BudgetPolicy; now?: Date }) {
  await sweepAbandonedReservations(now);
  const totals = await readTotals(prisma, GLOBAL_SCOPE, budgetMonth(now));
  return {
    limitMicros: policy.globalMicros,
    ...totals,
    level: budgetLevel({ spentMicros: totals.spentMicros + totals.reservedMicros, limitMicros: policy.globalMicros }),
    resetsOn: resetDay(now),
  };
}

/**
 * One chat's totals, from the ledger (so they include estimated and in-flight calls). Summed in the database (a long
 * chat has thousands of entries, read on every page and after every reply) by plain aggregates, each through the
 * (userId, conversationId, createdAt) index: a GROUP BY (status, …) made SQLite walk all of the user's entries through
 * the (userId, status, createdAt) index instead, for its order (220 ms for a user with 500,000 entries). The flags are
 * two lookups that stop at the first entry found: PostgreSQL has no MAX of a boolean.
 */
export async function getConversationSpend({ userId, conversationId }: { userId: string; conversationId: string }) {
  // In flight included: the meter counts a call from its reservation, and flags a model without a price at once.
  const calls = { userId, conversationId, status: { not: "released" } };
  const [settled, count, estimated, unpriced] = await Promise.all([
    prisma.ledgerEntry.aggregate({
      where: { userId, conversationId, status: "settled" },
      _sum: { promptTokens: true, completionTokens: true, costMicros: true },
    }),
    prisma.ledgerEntry.count({ where: calls }),
    prisma.ledgerEntry.findFirst({ where: { ...calls, isEstimated: true }, select: { id: true } }),
    prisma.ledgerEntry.findFirst({ where: { ...calls, isUnpriced: true }, select: { id: true } }),
  ]);
  return {
    promptTokens: settled._sum.promptTokens ?? 0,
    completionTokens: settled._sum.completionTokens ?? 0,
    costMicros: Number(settled._sum.costMicros ?? 0n),
    hasEstimated: estimated !== null,
    hasUnpriced: unpriced !== null,
    calls: count,
  };
}

export type ConversationSpend = Awaited<ReturnType<typeof getConversationSpend>>;

/**
 * Rebuilds users' running totals and usage rollup from the ledger, for reconciliation after the ledger was changed
 * outside the app (a restore, a hand edit, tests that write entries directly). Run it while those users make no
 * requests.
 */
export async function recountSpendCounters({ userIds }: { userIds: string[] }) {
  // Maintenance over whole ledgers (a quarter of a million entries take seconds), not a request: a long timeout.
  await prisma.$transaction(
    async (tx) => {
      const entries = await tx.ledgerEntry.findMany({
        where: { userId: { in: userIds }, status: { in: ["settled", "reserved"] } },
        select: {
          userId: true,
          createdAt: true,
          kind: true,
          status: true,
          costMicros: true,
          reservedMicros: true,
          model: true,
          isEstimated: true,
          isUnpriced: true,
          promptTokens: true,
          completionTokens: true,
        },
      });
      await recountUsage(tx, { userIds, entries });
      const totals = new Map<string, { scope: string; month: string; settledMicros: bigint; reservedMicros: bigint }>();
      for (const entry of entries) {
        const scope = userScope(entry.userId);
        const month = budgetMonth(entry.createdAt);
        const key = `${scope} ${month}`;
        const total = totals.get(key) ?? { scope, month, settledMicros: 0n, reservedMicros: 0n };
        if (entry.status === "settled") total.settledMicros += entry.costMicros;
        else total.reservedMicros += entry.reservedMicros;
        totals.set(key, total);
      }
      await tx.spendCounter.deleteMany({ where: { scope: { in: userIds.map(userScope) } } });
      await tx.spendCounter.createMany({ data: [...totals.values()] });
    },
    { timeout: 300_000, maxWait: 60_000 },
  );
}

/** Every user's settled + reserved micro-USD of a budget month ("YYYY-MM"), from the running totals, by user id. */
export async function listUserMonthTotals(month: string): Promise<Map<string, number>> {
  const rows = await prisma.spendCounter.findMany({ where: { month, scope: { startsWith: "user:" } } });
  return new Map(rows.map((row) => [row.scope.slice("user:".length), Number(row.settledMicros + row.reservedMicros)]));
}

/**
 * Stop, pressed by the user: marks this user's open calls in the conversation so that the server running them stops
 * them at its next heartbeat (the server that took the request stops its own at once). Returns how many were open.
 */
export async function requestStop({
  userId,
  conversationId,
  now = new Date(),
}: {
  userId: string;
  conversationId: string;
  now?: Date;
}) {
  const { count } = await prisma.ledgerEntry.updateMany({
    where: { userId, conversationId, status: "reserved" },
    data: { stopRequestedAt: now },
  });
  return count;
}

/**
 * Stop of one call outside any conversation (a playground run), pressed by its user: marked for the server running
 * it, as requestStop does. Whether the call is this user's and still open.
 */
export async function requestEntryStop({
  userId,
  entryId,
  now = new Date(),
}: {
  userId: string;
  entryId: string;
  now?: Date;
}): Promise<boolean> {
  const { count } = await prisma.ledgerEntry.updateMany({
    where: { id: entryId, userId, status: "reserved" },
    data: { stopRequestedAt: now },
  });
  return count === 1;
}

/** Which of these open calls their user asked to stop (see requestStop). */
export async function listStopRequested(entryIds: string[]): Promise<string[]> {
  if (entryIds.length === 0) return [];
  const entries = await prisma.ledgerEntry.findMany({
    where: { id: { in: entryIds }, status: "reserved", stopRequestedAt: { not: null } },
    select: { id: true },
  });
  return entries.map((entry) => entry.id);
}

/** The latest call of this user's conversation: is it still open (and its server alive), or when did it settle. */
export async function getLatestEntry({ userId, conversationId }: { userId: string; conversationId: string }) {
  return prisma.ledgerEntry.findFirst({
    where: { userId, conversationId },
    select: { id: true, status: true, leaseExpiresAt: true, settledAt: true, messageId: true },
    orderBy: { createdAt: "desc" },
  });
}

/** Whether this call is still open, and the message its reply was stored as (once settled and stored). */
export async function getEntryOutcome({ userId, entryId }: { userId: string; entryId: string }) {
  return prisma.ledgerEntry.findFirst({ where: { id: entryId, userId }, select: { status: true, messageId: true } });
}
