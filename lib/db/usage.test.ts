import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LedgerCsvEntry } from "@/lib/billing/report";
import { prepareTestDatabase } from "@/test/database";

// Real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test runs both).
prepareTestDatabase();
const { prisma } = await import("./client");
const { exportLedgerEntries, listLedgerEntries, monthlyTotals, spendBreakdown, spendByDay, spendByKind, spendByModel } =
  await import("./usage");
const { getBudgetStatus, recountSpendCounters } = await import("./ledger");
const { ledgerCsv } = await import("@/lib/billing/report");

const NOW = new Date("2026-11-22T12:00:00.000Z");

const gpt5MiniPrice = {
  inputPer1M: 250_000,
  cachedInputPer1M: 25_000,
  outputPer1M: 2_000_000,
  priceDate: "2025-08-07",
};

type EntryInput = {
  createdAt: string;
  costMicros?: number;
  status?: "settled" | "reserved" | "released";
  model?: string;
  conversationId?: string | null;
  promptTokens?: number;
  cachedTokens?: number;
  completionTokens?: number;
  reasoningTokens?: number;
  isEstimated?: boolean;
  isUnpriced?: boolean;
};

async function createUser() {
  return prisma.user.create({ data: { email: `usage-${randomUUID()}@example.test`, budgetMode: "unlimited" } });
}

async function addEntry(userId: string, input: EntryInput) {
  const { createdAt, costMicros = 0, status = "settled", isUnpriced = false, ...rest } = input;
  return prisma.ledgerEntry.create({
    data: {
      userId,
      kind: "chat",
      status,
      model: "gpt-5-mini",
      ...rest,
      isUnpriced,
      ...(isUnpriced ? {} : gpt5MiniPrice),
      costMicros: BigInt(costMicros),
      reservedMicros: status === "reserved" ? 9_000n : 0n,
      // Still running: its server keeps renewing the lease.
      leaseExpiresAt: status === "reserved" ? new Date("2100-01-01T00:00:00.000Z") : null,
      createdAt: new Date(createdAt),
    },
  });
}

afterAll(async () => {
  await prisma.$disconnect();
});

describe("usage reports", () => {
  let userId: string;
  let otherId: string;
  let keptConversationId: string;
  let deletedConversationId: string;
  let othersConversationId: string;

  beforeAll(async () => {
    userId = (await createUser()).id;
    otherId = (await createUser()).id;
    keptConversationId = (
      await prisma.conversation.create({ data: { userId, title: 'Kept, "quoted"\nchat 预算', model: "gpt-5-mini" } })
    ).id;
    // Deleted after its entries were written: the entries stay, the title is gone.
    deletedConversationId = (await prisma.conversation.create({ data: { userId, title: "Gone", model: "gpt-5" } })).id;
    othersConversationId = (
      await prisma.conversation.create({ data: { userId: otherId, title: "Not yours", model: "gpt-5-mini" } })
    ).id;

    // The two e2e messages: 12,345/678 → 4442 and 2000/30 with 1500 cached → 223 micro-USD, on either side of
    // midnight UTC.
    await addEntry(userId, {
      createdAt: "2026-11-21T23:59:59.999Z",
      costMicros: 4442,
      conversationId: keptConversationId,
      promptTokens: 12_345,
      completionTokens: 678,
    });
    await addEntry(userId, {
      createdAt: "2026-11-22T00:00:00.000Z",
      costMicros: 223,
      conversationId: keptConversationId,
      promptTokens: 2000,
      cachedTokens: 1500,
      completionTokens: 30,
      reasoningTokens: 12,
    });
    await addEntry(userId, {
      createdAt: "2026-11-22T01:00:00.000Z",
      costMicros: 1000,
      model: "gpt-5",
      conversationId: deletedConversationId,
      promptTokens: 100,
      completionTokens: 10,
      isEstimated: true,
    });
    await addEntry(userId, {
      createdAt: "2026-11-22T02:00:00.000Z",
      model: "llama3.2",
      conversationId: keptConversationId,
      promptTokens: 50,
      completionTokens: 5,
      isUnpriced: true,
    });
    // Not spend: refused by the upstream, and still in flight.
    await addEntry(userId, { createdAt: "2026-11-22T03:00:00.000Z", status: "released", promptTokens: 7 });
    await addEntry(userId, { createdAt: "2026-11-22T11:30:00.000Z", status: "reserved", promptTokens: 9 });
    // The last instant of last month (inside the 30 days, which start 2026-10-24T00:00Z).
    await addEntry(userId, {
      createdAt: "2026-10-31T23:59:59.999Z",
      costMicros: 500,
      promptTokens: 40,
      completionTokens: 4,
    });
    // Outside the 30 days (which start 2026-10-24T00:00Z).
    await addEntry(userId, {
      createdAt: "2026-10-23T23:59:59.999Z",
      costMicros: 70,
      promptTokens: 1,
      completionTokens: 1,
    });
    // Entry pointing at another user's conversation id: its title must not leak.
    await addEntry(userId, {
      createdAt: "2026-09-15T10:00:00.000Z",
      costMicros: 30,
      conversationId: othersConversationId,
      promptTokens: 2,
      completionTokens: 2,
    });
    await prisma.conversation.delete({ where: { id: deletedConversationId } });

    // The other user's spend, on the same days and models: must never appear in the first user's figures.
    for (const createdAt of ["2026-11-21T23:59:59.999Z", "2026-11-22T00:00:00.000Z", "2026-10-31T12:00:00.000Z"]) {
      await addEntry(otherId, {
        createdAt,
        costMicros: 1_000_000,
        conversationId: othersConversationId,
        promptTokens: 1,
        completionTokens: 1,
      });
    }
    // Written directly, so the running totals are rebuilt from them as the app would have kept them.
    await recountSpendCounters({ userIds: [userId, otherId] });
  });

  it("sums spend per UTC day exactly, zero-filled over 30 days, without released or reserved calls", async () => {
    const days = await spendByDay({ userId, now: NOW });
    expect(days).toHaveLength(30);
    expect(days[0]?.day).toBe("2026-10-24");
    expect(days.at(-1)?.day).toBe("2026-11-22");
    const byDay = Object.fromEntries(days.map((d) => [d.day, d.costMicros]));
    expect(byDay["2026-11-21"]).toBe(4442);
    // 223 + 1000 + the unpriced call's unknown cost (not counted as anything).
    expect(byDay["2026-11-22"]).toBe(1223);
    expect(days.at(-1)?.calls).toBe(3);
    expect(byDay["2026-10-31"]).toBe(500);
    expect(byDay["2026-10-24"]).toBe(0);
    expect(days.reduce((sum, d) => sum + d.costMicros, 0)).toBe(4442 + 223 + 1000 + 500);
  });

  it("sums spend per model over each range", async () => {
    const month = await spendByModel({ userId, range: "month", now: NOW });
    expect(month.map((m) => [m.model, m.calls, m.costMicros, m.hasEstimated, m.hasUnpriced])).toEqual([
      ["gpt-5-mini", 2, 4665, false, false],
      ["gpt-5", 1, 1000, true, false],
      ["llama3.2", 1, 0, false, true],
    ]);
    expect(month[0]?.promptTokens).toBe(14_345);
    const last30 = await spendByModel({ userId, range: "30d", now: NOW });
    expect(last30[0]).toMatchObject({ model: "gpt-5-mini", calls: 3, costMicros: 5165 });
    const all = await spendByModel({ userId, range: "all", now: NOW });
    expect(all[0]).toMatchObject({ model: "gpt-5-mini", calls: 5, costMicros: 5265 });
  });

  it("totals each UTC month, flagging estimated and unpriced calls, and agrees with the budget", async () => {
    const months = await monthlyTotals({ userId });
    expect(months).toEqual([
      {
        month: "2026-11",
        calls: 4,
        promptTokens: 12_345 + 2000 + 100 + 50,
        completionTokens: 678 + 30 + 10 + 5,
        costMicros: 5665,
        hasEstimated: true,
        hasUnpriced: true,
      },
      {
        month: "2026-10",
        calls: 2,
        promptTokens: 41,
        completionTokens: 5,
        costMicros: 570,
        hasEstimated: false,
        hasUnpriced: false,
      },
      {
        month: "2026-09",
        calls: 1,
        promptTokens: 2,
        completionTokens: 2,
        costMicros: 30,
        hasEstimated: false,
        hasUnpriced: false,
      },
    ]);
    const budget = await getBudgetStatus({
      userId,
      policy: { defaultMicros: null, maxUserMicros: null, globalMicros: null },
      now: NOW,
    });
    expect(budget.spentMicros).toBe(months[0]?.costMicros);
  });

  it("lists the ledger newest first, paginated, with titles only for the user's existing conversations", async () => {
    const first = await listLedgerEntries({ userId, range: "all", page: 1, pageSize: 4, now: NOW });
    expect(first).toMatchObject({ total: 9, page: 1, pageCount: 3, pageSize: 4 });
    expect(first.entries.map((e) => [e.status, e.model, e.costMicros])).toEqual([
      ["reserved", "gpt-5-mini", 0],
      ["released", "gpt-5-mini", 0],
      ["settled", "llama3.2", 0],
      ["settled", "gpt-5", 1000],
    ]);
    expect(first.entries[0]?.reservedMicros).toBe(9000);
    expect(first.entries[2]).toMatchObject({ isUnpriced: true, price: null, conversationTitle: expect.any(String) });
    expect(first.entries[3]).toMatchObject({
      isEstimated: true,
      conversationId: deletedConversationId,
      conversationTitle: null,
    });

    const second = await listLedgerEntries({ userId, range: "all", page: 2, pageSize: 4, now: NOW });
    expect(second.entries.map((e) => e.costMicros)).toEqual([223, 4442, 500, 70]);
    expect(second.entries[0]).toMatchObject({
      promptTokens: 2000,
      cachedTokens: 1500,
      completionTokens: 30,
      reasoningTokens: 12,
      conversationTitle: 'Kept, "quoted"\nchat 预算',
      price: { model: "gpt-5-mini", inputPer1M: 250_000, cachedInputPer1M: 25_000, outputPer1M: 2_000_000 },
    });

    // Past the end: the last page.
    const last = await listLedgerEntries({ userId, range: "all", page: 99, pageSize: 4, now: NOW });
    expect(last.page).toBe(3);
    expect(last.entries).toHaveLength(1);
    expect(last.entries[0]).toMatchObject({ conversationId: othersConversationId, conversationTitle: null });

    const month = await listLedgerEntries({ userId, range: "month", page: 1, now: NOW });
    expect(month.total).toBe(6);
  });

  it("never shows one user's entries to another", async () => {
    const ledger = await listLedgerEntries({ userId: otherId, range: "all", page: 1, now: NOW });
    expect(ledger.total).toBe(3);
    expect(ledger.entries.every((e) => e.costMicros === 1_000_000)).toBe(true);
    const days = await spendByDay({ userId: otherId, now: NOW });
    expect(days.reduce((sum, d) => sum + d.costMicros, 0)).toBe(3_000_000);
    expect(await spendByModel({ userId: otherId, range: "all", now: NOW })).toEqual([
      expect.objectContaining({ model: "gpt-5-mini", calls: 3, costMicros: 3_000_000 }),
    ]);
    expect((await monthlyTotals({ userId: otherId })).map((m) => [m.month, m.costMicros])).toEqual([
      ["2026-11", 2_000_000],
      ["2026-10", 1_000_000],
    ]);
    const stranger = (await createUser()).id;
    expect(await monthlyTotals({ userId: stranger })).toEqual([]);
    expect((await listLedgerEntries({ userId: stranger, range: "all", page: 1, now: NOW })).total).toBe(0);
  });

  it("exports every entry of the range oldest first, in batches, as CSV that parses back exactly", async () => {
    const batches: LedgerCsvEntry[][] = [];
    for await (const batch of exportLedgerEntries({ userId, range: "all", now: NOW, batchSize: 2 })) {
      batches.push(batch);
    }
    expect(batches.map((b) => b.length)).toEqual([2, 2, 2, 2, 1]);
    const text = batches.map((batch, i) => ledgerCsv(batch, { header: i === 0 })).join("");
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(9);
    expect(rows.map((r) => r.created_at)).toEqual([
      "2026-09-15T10:00:00.000Z",
      "2026-10-23T23:59:59.999Z",
      "2026-10-31T23:59:59.999Z",
      "2026-11-21T23:59:59.999Z",
      "2026-11-22T00:00:00.000Z",
      "2026-11-22T01:00:00.000Z",
      "2026-11-22T02:00:00.000Z",
      "2026-11-22T03:00:00.000Z",
      "2026-11-22T11:30:00.000Z",
    ]);
    expect(rows[3]).toEqual({
      created_at: "2026-11-21T23:59:59.999Z",
      kind: "chat",
      status: "settled",
      model: "gpt-5-mini",
      conversation_id: keptConversationId,
      conversation_title: 'Kept, "quoted"\nchat 预算',
      prompt_tokens: "12345",
      cached_tokens: "0",
      completion_tokens: "678",
      reasoning_tokens: "0",
      cost_usd: "0.004442",
      cost_micros: "4442",
      is_estimated: "false",
      is_unpriced: "false",
      price_input_per_1m_usd: "0.250000",
      price_cached_input_per_1m_usd: "0.025000",
      price_output_per_1m_usd: "2.000000",
      price_date: "2025-08-07",
      audio_seconds: "0",
      audio_tokens: "0",
      image_input_tokens: "0",
      image_output_tokens: "0",
      images: "0",
      image_variant: "",
      price_audio_input_per_1m_usd: "",
      price_image_input_per_1m_usd: "",
      price_image_output_per_1m_usd: "",
      price_audio_per_minute_usd: "",
      price_per_image_usd: "",
      source: "web",
    });
    // Deleted and someone else's conversations: the id stays, the title is empty.
    expect(rows[0]).toMatchObject({ conversation_id: othersConversationId, conversation_title: "" });
    expect(rows[5]).toMatchObject({
      conversation_id: deletedConversationId,
      conversation_title: "",
      is_estimated: "true",
    });
    expect(rows[6]).toMatchObject({ model: "llama3.2", cost_usd: "", cost_micros: "", is_unpriced: "true" });
    expect(rows.map((r) => r.status).slice(-2)).toEqual(["released", "reserved"]);

    const month: unknown[] = [];
    for await (const batch of exportLedgerEntries({ userId, range: "month", now: NOW })) month.push(...batch);
    expect(month).toHaveLength(6);
    const none: unknown[] = [];
    for await (const batch of exportLedgerEntries({ userId: (await createUser()).id, range: "all", now: NOW })) {
      none.push(batch);
    }
    expect(none).toEqual([]);
  });

  it("defuses a conversation title that a spreadsheet would run as a formula", async () => {
    const id = (await createUser()).id;
    const conversation = await prisma.conversation.create({
      data: { userId: id, title: '=HYPERLINK("http://evil.test","click")', model: "gpt-5-mini" },
    });
    await addEntry(id, { createdAt: "2026-11-22T05:00:00.000Z", costMicros: 1, conversationId: conversation.id });
    let text = "";
    for await (const batch of exportLedgerEntries({ userId: id, range: "all", now: NOW })) {
      text += ledgerCsv(batch, { header: text === "" });
    }
    const [row] = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(row?.conversation_title).toBe('\'=HYPERLINK("http://evil.test","click")');
  });
});

describe("spend of every kind (chat, transcription, image)", () => {
  let userId: string;

  // One user's calls of each kind, with their units and price copies as reservations write them (lib/db/ledger.ts):
  //   chat         gpt-5-mini 4,442 + 223, and 1,000 estimated
  //   transcription whisper-1 12 s → 1,200; gpt-4o-mini-transcribe 12 + 157 audio + 33 tokens → 651
  //   image        gpt-image-1 2 × 1024x1024 high: 50 text + 8,320 image out → 333,050; dall-e-3 1 hd → 80,000
  //                (estimated: an abandoned reservation charged its worst case)
  // and, not spend: a released image call and a reserved transcription.
  beforeAll(async () => {
    userId = (await createUser()).id;
    const media = (data: Parameters<typeof prisma.ledgerEntry.create>[0]["data"]) =>
      prisma.ledgerEntry.create({ data: { ...data, userId } as typeof data });
    await addEntry(userId, { createdAt: "2026-11-20T10:00:00.000Z", costMicros: 4442, promptTokens: 12_345 });
    await addEntry(userId, { createdAt: "2026-11-21T10:00:00.000Z", costMicros: 223, promptTokens: 2000 });
    await addEntry(userId, { createdAt: "2026-11-21T11:00:00.000Z", costMicros: 1000, isEstimated: true });
    await media({
      userId,
      kind: "transcription",
      source: "telegram",
      status: "settled",
      model: "whisper-1",
      audioSeconds: 12,
      audioPerMinute: 6000,
      priceDate: "0001-01-01",
      costMicros: 1200n,
      createdAt: new Date("2026-11-21T12:00:00.000Z"),
    });
    await media({
      userId,
      kind: "transcription",
      status: "settled",
      model: "gpt-4o-mini-transcribe",
      promptTokens: 12,
      completionTokens: 33,
      audioSeconds: 9,
      audioTokens: 157,
      inputPer1M: 1_250_000,
      cachedInputPer1M: 1_250_000,
      outputPer1M: 5_000_000,
      audioInputPer1M: 3_000_000,
      priceDate: "0001-01-01",
      costMicros: 651n,
      createdAt: new Date("2026-11-22T09:00:00.000Z"),
    });
    await media({
      userId,
      kind: "image",
      status: "settled",
      model: "gpt-image-1",
      promptTokens: 50,
      imageOutputTokens: 8320,
      images: 2,
      imageVariant: "1024x1024/high",
      inputPer1M: 5_000_000,
      cachedInputPer1M: 1_250_000,
      outputPer1M: 40_000_000,
      imageInputPer1M: 10_000_000,
      imageOutputPer1M: 40_000_000,
      priceDate: "0001-01-01",
      costMicros: 333_050n,
      createdAt: new Date("2026-11-22T09:30:00.000Z"),
    });
    await media({
      userId,
      kind: "image",
      status: "settled",
      model: "dall-e-3",
      promptTokens: 9,
      images: 1,
      imageVariant: "1024x1024/hd",
      perImageMicros: 80_000,
      priceDate: "2023-11-06",
      costMicros: 80_000n,
      isEstimated: true,
      isAbandoned: true,
      createdAt: new Date("2026-11-22T10:00:00.000Z"),
    });
    await media({
      userId,
      kind: "image",
      status: "released",
      model: "gpt-image-1",
      images: 1,
      imageVariant: "1024x1024/low",
      createdAt: new Date("2026-11-22T10:30:00.000Z"),
    });
    await media({
      userId,
      kind: "transcription",
      status: "reserved",
      model: "whisper-1",
      audioSeconds: 60,
      audioPerMinute: 6000,
      reservedMicros: 6000n,
      leaseExpiresAt: new Date("2100-01-01T00:00:00.000Z"),
      createdAt: new Date("2026-11-22T11:00:00.000Z"),
    });
    await recountSpendCounters({ userIds: [userId] });
  });

  it("breaks spend down by kind exactly, from the rollup, with each model's kind", async () => {
    const { kinds, models } = await spendBreakdown({ userId, range: "month", now: NOW });
    expect(kinds.map((k) => [k.kind, k.calls, k.costMicros, k.hasEstimated, k.hasUnpriced])).toEqual([
      ["chat", 3, 4442 + 223 + 1000, true, false],
      ["transcription", 2, 1200 + 651, false, false],
      ["image", 2, 333_050 + 80_000, true, false],
      // Every kind is listed, a kind without calls too (the playground's completions).
      ["completion", 0, 0, false, false],
    ]);
    // Text tokens only: a transcription's prompt and transcript, an image's prompt.
    expect(kinds[1]).toMatchObject({ promptTokens: 12, completionTokens: 33 });
    expect(kinds[2]).toMatchObject({ promptTokens: 59, completionTokens: 0 });
    expect(models.map((m) => [m.kind, m.model, m.calls, m.costMicros])).toEqual([
      ["image", "gpt-image-1", 1, 333_050],
      ["image", "dall-e-3", 1, 80_000],
      ["chat", "gpt-5-mini", 3, 5665],
      ["transcription", "whisper-1", 1, 1200],
      ["transcription", "gpt-4o-mini-transcribe", 1, 651],
    ]);
    expect(await spendByModel({ userId, range: "month", now: NOW })).toEqual(models);
    // The total per kind is the month's spend, which is the budget's.
    const month = await monthlyTotals({ userId });
    expect(kinds.reduce((sum, k) => sum + k.costMicros, 0)).toBe(month[0]?.costMicros);
    const budget = await getBudgetStatus({
      userId,
      policy: { defaultMicros: null, maxUserMicros: null, globalMicros: null },
      now: NOW,
    });
    expect(budget).toMatchObject({ spentMicros: 420_566, reservedMicros: 6000 });
    // The 30 days up to 2026-12-21 start on 2026-11-22, which holds one transcription and the two images.
    const later = await spendByKind({ userId, range: "30d", now: new Date("2026-12-21T12:00:00.000Z") });
    expect(later.map((k) => [k.kind, k.calls, k.costMicros])).toEqual([
      ["chat", 0, 0],
      ["transcription", 1, 651],
      ["image", 2, 413_050],
      ["completion", 0, 0],
    ]);
  });

  it("lists each ledger entry with its kind, units and the unit prices it was charged", async () => {
    const { entries, total } = await listLedgerEntries({ userId, range: "all", page: 1, now: NOW });
    expect(total).toBe(9);
    const byModel = (model: string, status = "settled") =>
      entries.find((entry) => entry.model === model && entry.status === status);
    expect(byModel("whisper-1")).toMatchObject({
      kind: "transcription",
      source: "telegram",
      audioSeconds: 12,
      audioTokens: 0,
      costMicros: 1200,
      price: null,
      rates: { model: "whisper-1", audioPerMinute: 6000 },
    });
    expect(byModel("gpt-4o-mini-transcribe")).toMatchObject({
      audioSeconds: 9,
      audioTokens: 157,
      promptTokens: 12,
      completionTokens: 33,
      rates: { audioInputPer1M: 3_000_000, inputPer1M: 1_250_000, outputPer1M: 5_000_000 },
    });
    expect(byModel("gpt-image-1")).toMatchObject({
      kind: "image",
      images: 2,
      imageVariant: "1024x1024/high",
      imageOutputTokens: 8320,
      imageInputTokens: 0,
      rates: { imageOutputPer1M: 40_000_000, imageInputPer1M: 10_000_000 },
    });
    expect(byModel("dall-e-3")).toMatchObject({
      images: 1,
      isEstimated: true,
      rates: { perImage: { "1024x1024/hd": 80_000 }, effectiveFrom: "2023-11-06" },
    });
    expect(byModel("whisper-1", "reserved")).toMatchObject({ reservedMicros: 6000, audioSeconds: 60 });
    expect(byModel("gpt-5-mini")?.rates).toMatchObject({ inputPer1M: 250_000, outputPer1M: 2_000_000 });
    expect(entries.filter((entry) => entry.source !== "web").map((entry) => entry.model)).toEqual(["whisper-1"]);
  });

  it("exports each kind's units and unit prices in the appended CSV columns, exactly", async () => {
    let text = "";
    for await (const batch of exportLedgerEntries({ userId, range: "all", now: NOW })) {
      text += ledgerCsv(batch, { header: text === "" });
    }
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    const row = (model: string) => rows.find((r) => r.model === model && r.status === "settled");
    const media = (r: Record<string, string> | undefined) => [
      r?.kind,
      r?.audio_seconds,
      r?.audio_tokens,
      r?.image_input_tokens,
      r?.image_output_tokens,
      r?.images,
      r?.image_variant,
      r?.price_audio_input_per_1m_usd,
      r?.price_image_input_per_1m_usd,
      r?.price_image_output_per_1m_usd,
      r?.price_audio_per_minute_usd,
      r?.price_per_image_usd,
      r?.cost_usd,
    ];
    expect(media(row("whisper-1"))).toEqual([
      "transcription",
      "12",
      "0",
      "0",
      "0",
      "0",
      "",
      "",
      "",
      "",
      "0.006000",
      "",
      "0.001200",
    ]);
    expect(media(row("gpt-4o-mini-transcribe"))).toEqual([
      "transcription",
      "9",
      "157",
      "0",
      "0",
      "0",
      "",
      "3.000000",
      "",
      "",
      "",
      "",
      "0.000651",
    ]);
    expect(media(row("gpt-image-1"))).toEqual([
      "image",
      "0",
      "0",
      "0",
      "8320",
      "2",
      "1024x1024/high",
      "",
      "10.000000",
      "40.000000",
      "",
      "",
      "0.333050",
    ]);
    expect(row("gpt-image-1")?.price_input_per_1m_usd).toBe("5.000000");
    expect(media(row("dall-e-3"))).toEqual([
      "image",
      "0",
      "0",
      "0",
      "0",
      "1",
      "1024x1024/hd",
      "",
      "",
      "",
      "",
      "0.080000",
      "0.080000",
    ]);
    expect(media(row("gpt-5-mini"))).toEqual(["chat", "0", "0", "0", "0", "0", "", "", "", "", "", "", "0.004442"]);
    // The last column: where each call was asked for.
    expect(row("whisper-1")?.source).toBe("telegram");
    expect(row("gpt-5-mini")?.source).toBe("web");
  });
});
