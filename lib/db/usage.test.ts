import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LedgerCsvEntry } from "@/lib/billing/report";
import { prepareTestDatabase } from "@/test/database";

// Real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test runs both).
prepareTestDatabase();
const { prisma } = await import("./client");
const { exportLedgerEntries, listLedgerEntries, monthlyTotals, spendByDay, spendByModel } = await import("./usage");
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
