// `npm run test:stress` (and the last step of each database's e2e run): the money path under real concurrency, through
// the HTTP API of the production server, on SQLite and on PostgreSQL.
//   - 200 chats at once from 20 users: every one answered and stored exactly once, every ledger entry settled, the
//     running totals and the usage rollup equal to the ledger.
//   - 40 requests at once of which 12 fit the budget: exactly 12 admitted, never one more.
import { randomUUID } from "node:crypto";
import { num, type TestDatabase } from "../db";
import { expect, test } from "../fixtures";
import { type ApiUser, type ChatResult, createApiUser, sendChat } from "../sessions";

const USERS = 20;
const CHATS_PER_USER = 10;
const WORDS = 40;

function expectedReply(words: number) {
  return Array.from({ length: words }, (_, i) => `word${i + 1}`).join(" ");
}

/**
 * Sends like a well-behaved client: a 503 (the server could not admit the request in time; nothing was spent) is
 * retried after its Retry-After, which it must carry. Counts the 503s met.
 */
async function sendPatiently(user: ApiUser, text: string, busy: { count: number }): Promise<ChatResult> {
  for (let attempt = 1; ; attempt++) {
    const result = await sendChat(user.api, { text }, { timeout: 540_000 });
    if (result.status !== 503 || attempt === 20) return result;
    expect(Number(result.retryAfter), "a 503 says when to retry").toBeGreaterThan(0);
    busy.count++;
    await new Promise((resolve) => setTimeout(resolve, Number(result.retryAfter) * 1000));
  }
}

/** The running totals (SpendCounter) of a user must equal what the ledger says, with nothing left reserved. */
async function expectCountersMatchLedger(db: TestDatabase, userId: string) {
  const [ledger] = await db.query<{ settled: unknown; reserved: unknown; open: unknown }>(
    `SELECT SUM(CASE WHEN "status" = 'settled' THEN "costMicros" ELSE 0 END) AS "settled",
            SUM(CASE WHEN "status" = 'reserved' THEN "reservedMicros" ELSE 0 END) AS "reserved",
            SUM(CASE WHEN "status" = 'reserved' THEN 1 ELSE 0 END) AS "open"
       FROM "LedgerEntry" WHERE "userId" = $1`,
    [userId],
  );
  expect(num(ledger?.open), "ledger entries left reserved").toBe(0);
  const counters = await db.query<{ settledMicros: unknown; reservedMicros: unknown }>(
    `SELECT "settledMicros", "reservedMicros" FROM "SpendCounter" WHERE "scope" = $1`,
    [`user:${userId}`],
  );
  expect(counters.reduce((sum, row) => sum + num(row.settledMicros), 0)).toBe(num(ledger?.settled));
  expect(counters.reduce((sum, row) => sum + num(row.reservedMicros), 0)).toBe(0);
  // The usage rollup (UsageDay, what /usage reads) moved with every settlement: per model, it sums what the ledger does.
  const byModel = (sql: string) =>
    db
      .query<Record<string, unknown>>(`${sql} GROUP BY "model" ORDER BY "model"`, [userId])
      .then((rows) => rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)]))));
  const ledgerTotals = await byModel(
    `SELECT "model", COUNT(*) AS "calls", SUM("promptTokens") AS "prompt", SUM("completionTokens") AS "completion",
            SUM("costMicros") AS "cost" FROM "LedgerEntry" WHERE "userId" = $1 AND "status" = 'settled'`,
  );
  expect(ledgerTotals.length, "settled entries").toBeGreaterThan(0);
  expect(
    await byModel(
      `SELECT "model", SUM("calls") AS "calls", SUM("promptTokens") AS "prompt", SUM("completionTokens") AS "completion",
              SUM("costMicros") AS "cost" FROM "UsageDay" WHERE "userId" = $1`,
    ),
    "the usage rollup equals the ledger",
  ).toEqual(ledgerTotals);
}

test("200 chats at once from 20 users: every reply answered, stored once and settled", async ({ baseURL, db }) => {
  test.setTimeout(600_000);
  const users: ApiUser[] = [];
  for (let i = 0; i < USERS; i++) {
    users.push(await createApiUser({ baseURL: baseURL ?? "", db, prefix: `stress${i}`, budgetMicros: null }));
  }
  const marker = `stress-${randomUUID()}`;
  const busy = { count: 0 };
  const results = await Promise.all(
    users.flatMap((user) =>
      Array.from({ length: CHATS_PER_USER }, (_, i) =>
        sendPatiently(user, `[[words:${WORDS}]][[slow:50]] ${marker} chat ${i}`, busy),
      ),
    ),
  );
  test.info().annotations.push({ type: "503 answers retried", description: String(busy.count) });

  const failures = results.filter((r) => r.status !== 200 || !r.chunks.some((c) => c.type === "finish"));
  expect(
    failures.map((r) => `${r.status} ${r.error?.message ?? JSON.stringify(r.chunks.find((c) => c.type === "error"))}`),
  ).toEqual([]);
  for (const result of results) expect(result.text).toBe(expectedReply(WORDS));

  const ids = users.map((user) => user.id);
  const placeholders = ids.map((_, i) => `$${i + 1}`).join(", ");
  const stored = await db.query<{ conversationId: string; role: string; status: string; content: string }>(
    `SELECT m."conversationId", m."role", m."status", m."content" FROM "Message" m
       JOIN "Conversation" c ON c."id" = m."conversationId" WHERE c."userId" IN (${placeholders})`,
    ids,
  );
  const replies = stored.filter((m) => m.role === "assistant");
  expect(replies).toHaveLength(USERS * CHATS_PER_USER);
  expect(new Set(replies.map((m) => m.conversationId)).size).toBe(USERS * CHATS_PER_USER);
  expect(replies.every((m) => m.status === "complete" && m.content === expectedReply(WORDS))).toBe(true);
  expect(stored.filter((m) => m.role === "user")).toHaveLength(USERS * CHATS_PER_USER);

  const entries = await db.query<{ status: string; messageId: string | null }>(
    `SELECT "status", "messageId" FROM "LedgerEntry" WHERE "userId" IN (${placeholders})`,
    ids,
  );
  expect(entries).toHaveLength(USERS * CHATS_PER_USER);
  expect(entries.filter((e) => e.status !== "settled" || !e.messageId)).toEqual([]);
  for (const id of ids) await expectCountersMatchLedger(db, id);
});

test("40 requests at once of which 12 fit: exactly 12 admitted", async ({ baseURL, db }) => {
  test.setTimeout(300_000);
  // Our prompt count for this exact text, read from a refusal: "(N prompt tokens + up to 4,096 output tokens …)".
  // The fake then reports exactly that usage, so each settlement costs what was reserved (to the micro-dollar) and no
  // settlement frees room for a 13th request, however the requests interleave.
  const probe = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "probe", budgetMicros: 1 });
  const text = (prompt: number) => `[[usage:${prompt}/4096]] does this fit?`;
  const refused = await sendChat(probe.api, { text: text(50) });
  expect(refused.status).toBe(402);
  const promptTokens = Number(/\(([\d,]+) prompt tokens/.exec(refused.error?.message ?? "")?.[1]?.replace(/,/g, ""));
  expect(promptTokens).toBeGreaterThan(9);
  expect(promptTokens).toBeLessThan(100); // two digits, as in the probe: the same token count

  // Worst case W = ceil(P × $0.25/1M + 4,096 × $2.00/1M); a budget of 12.5 W fits 12 and never 13.
  const worstCase = Math.ceil((promptTokens * 250_000 + 4096 * 2_000_000) / 1_000_000);
  const budget = 12 * worstCase + Math.floor(worstCase / 2);
  const user = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "fit12", budgetMicros: budget });
  const results = await Promise.all(
    Array.from({ length: 40 }, () => sendChat(user.api, { text: text(promptTokens) }, { timeout: 240_000 })),
  );
  const admitted = results.filter((r) => r.status === 200);
  const refusedAll = results.filter((r) => r.status !== 200);
  expect(admitted).toHaveLength(12);
  expect(refusedAll.map((r) => r.status)).toEqual(Array(28).fill(402));
  for (const r of admitted) expect(r.chunks.some((c) => c.type === "finish")).toBe(true);

  const summary = (await (await user.api.get("/api/usage/summary")).json()) as {
    budget: { spentMicros: number; reservedMicros: number; limitMicros: number };
  };
  expect(summary.budget.reservedMicros).toBe(0);
  expect(summary.budget.spentMicros).toBeLessThanOrEqual(budget);
  expect(summary.budget.spentMicros).toBeGreaterThanOrEqual(12 * (worstCase - 1));
  await expectCountersMatchLedger(db, user.id);
});
