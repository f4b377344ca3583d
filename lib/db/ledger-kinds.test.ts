import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { completionWorstCase } from "@/lib/billing/cost";
import { imageCost, imageWorstCase, transcriptionCost, transcriptionWorstCase } from "@/lib/billing/media-cost";
import { findRates, type UnitRates } from "@/lib/billing/prices";
import type { Settlement } from "@/lib/billing/settle";
import { prepareTestDatabase } from "@/test/database";
import { expectRollupMatchesLedger, expectTotalsMatchLedger } from "@/test/ledger-invariants";
import { GPT5_MINI_PRICE, NO_LIMITS } from "@/test/money";

// Chat, transcription and image calls on one ledger: one monthly budget, the same reserve-then-settle, the same
// running totals and usage rollup. Real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test
// runs both). Each test has users of its own; tests that move time use a month of their own.
prepareTestDatabase();
const { prisma } = await import("./client");
const { beginTurn } = await import("./messages");
const {
  LEASE_MS,
  getBudgetStatus,
  getConversationSpend,
  renewLeases,
  requestEntryStop,
  reserveCall,
  settleReservation,
  sweepAbandonedReservations,
} = await import("./ledger");
const { spendByKind } = await import("./usage");
const { AppError } = await import("@/lib/errors");

afterAll(async () => {
  await prisma.$disconnect();
});

const rates = (model: string): UnitRates => {
  const found = findRates({ model, at: "2026-12-01" });
  if (!found) throw new Error(`${model} has no price`);
  return found;
};
const WHISPER = rates("whisper-1");
const GPT_IMAGE = rates("gpt-image-1");

async function createUser(budgetMicros: number) {
  return prisma.user.create({
    data: {
      email: `ledger-kinds-${randomUUID()}@example.test`,
      budgetMode: "limited",
      monthlyBudgetMicros: BigInt(budgetMicros),
    },
  });
}

function chatTurn(userId: string, reserveMicros: number, now = new Date()) {
  return beginTurn({
    userId,
    conversationId: randomUUID(),
    message: { content: "hello", tokenCount: 1, tokenEncoding: "o200k_base" },
    title: "hello",
    quote: { model: "gpt-5-mini", price: GPT5_MINI_PRICE, promptTokens: 100, maxOutputTokens: 4096, reserveMicros },
    policy: NO_LIMITS,
    now,
  });
}

/** A transcription of `seconds` of audio on whisper-1, reserving `reserveMicros` (its worst case unless given). */
function transcription(userId: string, seconds: number, { now = new Date(), reserveMicros = -1 } = {}) {
  const worst = transcriptionWorstCase({ seconds, promptTokens: 0 }, WHISPER) ?? 0;
  return reserveCall({
    userId,
    conversationId: null,
    quote: {
      model: "whisper-1",
      price: null,
      promptTokens: 0,
      maxOutputTokens: 0,
      reserveMicros: reserveMicros >= 0 ? reserveMicros : worst,
      media: { kind: "transcription", rates: WHISPER, audioSeconds: Math.ceil(seconds) },
    },
    policy: NO_LIMITS,
    now,
  });
}

/** `count` gpt-image-1 images of a size and quality, reserving `reserveMicros` (their worst case unless given). */
function image(
  userId: string,
  { count = 1, size = "1024x1024", quality = "medium", now = new Date(), reserveMicros = -1 } = {},
) {
  const worst = imageWorstCase({ promptTokens: 7, count, size, quality }, GPT_IMAGE) ?? 0;
  return reserveCall({
    userId,
    conversationId: null,
    quote: {
      model: "gpt-image-1",
      price: null,
      promptTokens: 7,
      maxOutputTokens: 0,
      reserveMicros: reserveMicros >= 0 ? reserveMicros : worst,
      media: { kind: "image", rates: GPT_IMAGE, images: count, imageVariant: `${size}/${quality}` },
    },
    policy: NO_LIMITS,
    now,
  });
}

const settled = (costMicros: number, units: Partial<Settlement> = {}): Settlement => ({
  status: "settled",
  promptTokens: 0,
  cachedTokens: 0,
  completionTokens: 0,
  reasoningTokens: 0,
  costMicros,
  isEstimated: false,
  ...units,
});

describe("one budget for every kind", () => {
  it("never lets concurrent chat, transcription and image reservations take spend past it", async () => {
    const user = await createUser(10_000);
    // $0.01 budget; each call of any kind reserves $0.00095: at most 10 of the 30 fit (9,500 ≤ 10,000 < 10,450).
    const calls = Array.from({ length: 10 }, () => [
      chatTurn(user.id, 950).then(({ id }) => ({ id, kind: "chat" })),
      transcription(user.id, 10, { reserveMicros: 950 }).then(({ id }) => ({ id, kind: "transcription" })),
      image(user.id, { reserveMicros: 950 }).then(({ id }) => ({ id, kind: "image" })),
    ]).flat();
    const results = await Promise.allSettled(calls);
    const accepted = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(accepted).toHaveLength(10);
    expect(refused).toHaveLength(20);
    for (const reason of refused) {
      expect(reason).toBeInstanceOf(AppError);
      expect(reason.code).toBe("budget_exceeded");
    }
    expect(await getBudgetStatus({ userId: user.id, policy: NO_LIMITS })).toMatchObject({
      reservedMicros: 9_500,
      spentMicros: 0,
    });
    expect(await prisma.ledgerEntry.count({ where: { userId: user.id } })).toBe(10);

    // Each settles to what its call cost in its own units: a chat 450, 3 s of whisper-1 300, a low
    // 1024x1024 image 10,915 (7 × $5 + 272 × $40 per 1M).
    const outcomes: Record<string, Settlement> = {
      chat: settled(450, { promptTokens: 100, completionTokens: 212 }),
      transcription: settled(transcriptionCost({ type: "duration", seconds: 3 }, WHISPER) ?? -1, { audioSeconds: 3 }),
      image: settled(
        imageCost({ type: "tokens", textInputTokens: 7, imageInputTokens: 0, imageOutputTokens: 272 }, GPT_IMAGE, {
          size: "1024x1024",
          quality: "low",
        }) ?? -1,
        { promptTokens: 7, imageOutputTokens: 272, images: 1 },
      ),
    };
    expect([outcomes.transcription?.costMicros, outcomes.image?.costMicros]).toEqual([300, 10_915]);
    await Promise.all(
      accepted.map(({ id, kind }) => settleReservation({ entryId: id, settlement: outcomes[kind] as Settlement })),
    );
    const count = (kind: string) => accepted.filter((call) => call.kind === kind).length;
    const expected = count("chat") * 450 + count("transcription") * 300 + count("image") * 10_915;
    expect(await getBudgetStatus({ userId: user.id, policy: NO_LIMITS })).toMatchObject({
      spentMicros: expected,
      reservedMicros: 0,
    });
    expect(
      (await spendByKind({ userId: user.id, range: "month" })).map((k) => [k.kind, k.calls, k.costMicros]),
    ).toEqual([
      ["chat", count("chat"), count("chat") * 450],
      ["transcription", count("transcription"), count("transcription") * 300],
      ["image", count("image"), count("image") * 10_915],
      ["completion", 0, 0],
    ]);
    await expectTotalsMatchLedger(prisma, user.id);
    await expectRollupMatchesLedger(prisma, user.id);
  });

  it("sweeps an abandoned playground completion like a chat reply: its prompt and what it streamed, not its worst case", async () => {
    const user = await createUser(1_000_000);
    const start = new Date(Date.UTC(2031, 4, 15, 12));
    const INSTRUCT = rates("gpt-3.5-turbo-instruct");
    // 1,001 prompt tokens once, 3 choices of up to 257: 1,501.5 + 1,542 micro-USD, rounded up.
    const worst = completionWorstCase(
      { promptTokens: 1_001, maxTokens: 257, n: 3 },
      {
        inputPer1M: INSTRUCT.inputPer1M ?? 0,
        cachedInputPer1M: INSTRUCT.cachedInputPer1M ?? 0,
        outputPer1M: INSTRUCT.outputPer1M ?? 0,
      },
    );
    expect(worst).toBe(3_044);
    const { id } = await reserveCall({
      userId: user.id,
      conversationId: null,
      quote: {
        model: "gpt-3.5-turbo-instruct",
        price: null,
        promptTokens: 1_001,
        maxOutputTokens: 3 * 257,
        reserveMicros: worst,
        media: { kind: "completion", rates: INSTRUCT },
      },
      policy: NO_LIMITS,
      now: start,
    });
    // Stop marks only the user's own open call.
    expect(await requestEntryStop({ userId: randomUUID(), entryId: id, now: start })).toBe(false);
    expect(await requestEntryStop({ userId: user.id, entryId: id, now: start })).toBe(true);
    // Its server streamed 40 tokens by its last heartbeat, then died.
    await renewLeases([{ entryId: id, streamedTokens: 40 }], { now: new Date(start.getTime() + 3_000) });
    await sweepAbandonedReservations(new Date(start.getTime() + 3_000 + LEASE_MS + 1));
    // 1,001 × 1.5 + 40 × 2 = 1,581.5 → 1,582 micro-USD (half-up), flagged estimated.
    expect(await prisma.ledgerEntry.findUniqueOrThrow({ where: { id } })).toMatchObject({
      kind: "completion",
      status: "settled",
      isAbandoned: true,
      isEstimated: true,
      promptTokens: 1_001,
      completionTokens: 40,
      costMicros: 1_582n,
      reservedMicros: 0n,
      maxOutputTokens: 771,
    });
    await expectTotalsMatchLedger(prisma, user.id);
    await expectRollupMatchesLedger(prisma, user.id);
  });

  it("settles an abandoned media call at its reserved worst case, as an estimate, until its own settlement replaces it", async () => {
    const user = await createUser(1_000_000);
    const start = new Date(Date.UTC(2031, 2, 15, 12));
    // Two 1536x1024 medium images: 7 prompt tokens × $5 + 2 × 1,568 image tokens × $40 per 1M = 125,475 micro-USD.
    const images = await image(user.id, { count: 2, size: "1536x1024", quality: "medium", now: start });
    const refused = await image(user.id, { now: start });
    // 59.4 s of whisper-1 reserves every started second: 60 s at $0.006 a minute.
    const voice = await transcription(user.id, 59.4, { now: start });
    expect(await getBudgetStatus({ userId: user.id, policy: NO_LIMITS, now: start })).toMatchObject({
      reservedMicros: 125_475 + 42_275 + 6_000,
    });

    // The transcription's server keeps renewing its lease; the image calls' server died.
    const later = new Date(start.getTime() + LEASE_MS + 1);
    expect(
      await renewLeases([{ entryId: voice.id, streamedTokens: 0 }], { now: new Date(start.getTime() + 5_000) }),
    ).toEqual([]);
    expect(await getBudgetStatus({ userId: user.id, policy: NO_LIMITS, now: later })).toMatchObject({
      spentMicros: 125_475 + 42_275,
      reservedMicros: 6_000,
    });
    expect(await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: images.id } })).toMatchObject({
      kind: "image",
      status: "settled",
      isAbandoned: true,
      isEstimated: true,
      costMicros: 125_475n,
      reservedMicros: 0n,
      promptTokens: 7,
      images: 2,
      imageVariant: "1536x1024/medium",
    });
    await expectRollupMatchesLedger(prisma, user.id);

    // The calls were only slow. One returned a single image: its usage replaces the estimate (7 × 5 + 1,568 × 40).
    const oneImage = imageCost(
      { type: "tokens", textInputTokens: 7, imageInputTokens: 0, imageOutputTokens: 1568 },
      GPT_IMAGE,
      { size: "1536x1024", quality: "medium" },
    );
    expect(oneImage).toBe(62_755);
    await settleReservation({
      entryId: images.id,
      settlement: settled(62_755, { promptTokens: 7, imageOutputTokens: 1568, images: 1 }),
    });
    // The other was refused by the upstream (content policy): nothing spent, the estimate gone.
    await settleReservation({
      entryId: refused.id,
      settlement: { ...settled(0), status: "released", images: 0 },
    });
    await settleReservation({ entryId: voice.id, settlement: settled(6_000, { audioSeconds: 60 }) });
    expect(await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: images.id } })).toMatchObject({
      isAbandoned: false,
      isEstimated: false,
      costMicros: 62_755n,
      images: 1,
      imageOutputTokens: 1568,
    });
    expect(await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: refused.id } })).toMatchObject({
      status: "released",
      costMicros: 0n,
    });
    expect(await getBudgetStatus({ userId: user.id, policy: NO_LIMITS, now: later })).toMatchObject({
      spentMicros: 62_755 + 6_000,
      reservedMicros: 0,
    });
    // Settling again (a retry of the call's own settlement) changes nothing.
    await settleReservation({ entryId: images.id, settlement: settled(62_755, { images: 1 }) });
    expect(await getBudgetStatus({ userId: user.id, policy: NO_LIMITS, now: later })).toMatchObject({
      spentMicros: 62_755 + 6_000,
    });
    await expectTotalsMatchLedger(prisma, user.id);
    // The estimates' rows are emptied, not left counting.
    const empty = await expectRollupMatchesLedger(prisma, user.id);
    expect(empty.map((row) => [row.kind, row.isEstimated])).toEqual([["image", true]]);
  });
});

describe("a chat's meter with voice and image entries", () => {
  it("sums every kind's cost once, and text tokens only", async () => {
    const user = await createUser(1_000_000);
    const conversationId = randomUUID();
    // Written directly: the meter reads the ledger, whatever wrote it.
    const entry = (data: Record<string, unknown>) =>
      prisma.ledgerEntry.create({ data: { userId: user.id, conversationId, model: "x", ...data } as never });
    await entry({ kind: "chat", status: "settled", promptTokens: 100, completionTokens: 7, costMicros: 1_000n });
    // A transcription: its prompt and transcript are text; its 157 audio tokens are not tokens of the chat.
    await entry({
      kind: "transcription",
      status: "settled",
      promptTokens: 12,
      completionTokens: 33,
      audioTokens: 157,
      audioSeconds: 9,
      costMicros: 651n,
    });
    // An image reply: its prompt is text; its 4,160 image tokens are not.
    await entry({
      kind: "image",
      status: "settled",
      promptTokens: 50,
      imageOutputTokens: 4160,
      images: 1,
      costMicros: 166_650n,
      isEstimated: true,
    });
    await entry({ kind: "image", status: "released", promptTokens: 50, images: 1 });
    await entry({ kind: "transcription", status: "reserved", reservedMicros: 6_000n, audioSeconds: 60 });
    expect(await getConversationSpend({ userId: user.id, conversationId })).toEqual({
      promptTokens: 100 + 12 + 50,
      completionTokens: 7 + 33,
      costMicros: 1_000 + 651 + 166_650,
      hasEstimated: true,
      hasUnpriced: false,
      calls: 4,
    });
  });
});
