// `npm run test:stress` (and the last step of each database's e2e run): the money path under real concurrency, through
// the HTTP API of the production server, on SQLite and on PostgreSQL.
//   - 200 chats at once from 50 users: every one answered and stored exactly once, every ledger entry settled with the
//     usage the upstream reported, the running totals and the usage rollup equal to the ledger.
//   - 40 requests at once of which 12 fit the budget: exactly 12 admitted, never one more.
import { randomUUID } from "node:crypto";
import { request } from "@playwright/test";
import { type OwnApp, startOwnApp } from "../app-server";
import { num, type TestDatabase } from "../db";
import { expect, test } from "../fixtures";
import { type ApiUser, type ChatResult, createApiUser, sendChat } from "../sessions";

const USERS = 50;
const CHATS_PER_USER = 4;
const WORDS = 40;
/** The usage the fake upstream reports for every chat: what each ledger entry and reply must record. */
const USAGE = { prompt: 123, completion: WORDS };

// A server of its own with the default upstream timeouts: the shared one's 10 s first-token timeout (for the timeout
// specs) is a latency bound, and 200 streams at once on a loaded 2-core machine may take longer to start; speed is the
// benchmarks' concern (npm run bench:money), correctness under load this spec's.
let server: OwnApp;

test.beforeAll(async () => {
  server = await startOwnApp("stress");
});

test.afterAll(async () => {
  await server?.stop();
});

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

test("200 chats at once from 50 users: every reply answered, stored once and settled with its usage", async () => {
  test.setTimeout(600_000);
  const { db } = server;
  const baseURL = server.app.url;
  const signedIn: ApiUser[] = [];
  for (let i = 0; i < USERS; i++) {
    signedIn.push(await createApiUser({ baseURL, db, prefix: `stress${i}`, budgetMicros: null }));
  }
  // Each user's session in a context with no connection open yet: signing 50 users in takes longer than the server
  // keeps an idle connection (5 s), and a request sent on one it is closing fails with ECONNRESET before it arrives.
  const users = await Promise.all(
    signedIn.map(async (user) => ({
      ...user,
      api: await request.newContext({ baseURL, storageState: await user.api.storageState() }),
    })),
  );
  const marker = `stress-${randomUUID()}`;
  const busy = { count: 0 };
  const results = await Promise.all(
    users.flatMap((user) =>
      Array.from({ length: CHATS_PER_USER }, (_, i) =>
        sendPatiently(
          user,
          `[[words:${WORDS}]][[slow:50]][[usage:${USAGE.prompt}/${USAGE.completion}]] ${marker} chat ${i}`,
          busy,
        ),
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
  const stored = await db.query<{
    conversationId: string;
    role: string;
    status: string;
    content: string;
    promptTokens: unknown;
    completionTokens: unknown;
  }>(
    `SELECT m."conversationId", m."role", m."status", m."content", m."promptTokens", m."completionTokens" FROM "Message" m
       JOIN "Conversation" c ON c."id" = m."conversationId" WHERE c."userId" IN (${placeholders})`,
    ids,
  );
  const replies = stored.filter((m) => m.role === "assistant");
  expect(replies).toHaveLength(USERS * CHATS_PER_USER);
  expect(new Set(replies.map((m) => m.conversationId)).size).toBe(USERS * CHATS_PER_USER);
  expect(replies.every((m) => m.status === "complete" && m.content === expectedReply(WORDS))).toBe(true);
  expect(
    replies.filter((m) => num(m.promptTokens) !== USAGE.prompt || num(m.completionTokens) !== USAGE.completion),
  ).toEqual([]);
  expect(stored.filter((m) => m.role === "user")).toHaveLength(USERS * CHATS_PER_USER);

  const entries = await db.query<{
    status: string;
    messageId: string | null;
    promptTokens: unknown;
    completionTokens: unknown;
    costMicros: unknown;
    isEstimated: unknown;
  }>(
    `SELECT "status", "messageId", "promptTokens", "completionTokens", "costMicros", "isEstimated" FROM "LedgerEntry"
      WHERE "userId" IN (${placeholders})`,
    ids,
  );
  expect(entries).toHaveLength(USERS * CHATS_PER_USER);
  expect(entries.filter((e) => e.status !== "settled" || !e.messageId)).toEqual([]);
  // One entry per reply (no reply paid twice), each with the reported usage, not an estimate, at one price.
  expect(new Set(entries.map((e) => e.messageId)).size).toBe(USERS * CHATS_PER_USER);
  expect(
    entries.filter(
      (e) =>
        num(e.promptTokens) !== USAGE.prompt ||
        num(e.completionTokens) !== USAGE.completion ||
        Boolean(num(e.isEstimated)),
    ),
  ).toEqual([]);
  // gpt-5-mini: 123 × $0.25 / 1M + 40 × $2.00 / 1M = 110.75 micro-USD, whole micro-USD either side of the rounding.
  expect(new Set(entries.map((e) => num(e.costMicros))).size).toBe(1);
  expect(num(entries[0]?.costMicros)).toBeGreaterThanOrEqual(110);
  expect(num(entries[0]?.costMicros)).toBeLessThanOrEqual(111);
  for (const id of ids) await expectCountersMatchLedger(db, id);
});

test("40 requests at once of which 12 fit: exactly 12 admitted", async () => {
  const { db } = server;
  const baseURL = server.app.url;
  test.setTimeout(300_000);
  // Our prompt count for this exact text, read from a refusal: "(N prompt tokens + up to 4,096 output tokens …)".
  // The fake then reports exactly that usage, so each settlement costs what was reserved (to the micro-dollar) and no
  // settlement frees room for a 13th request, however the requests interleave.
  const probe = await createApiUser({ baseURL, db, prefix: "probe", budgetMicros: 1 });
  const text = (prompt: number) => `[[usage:${prompt}/4096]] does this fit?`;
  const refused = await sendChat(probe.api, { text: text(50) });
  expect(refused.status).toBe(402);
  const promptTokens = Number(/\(([\d,]+) prompt tokens/.exec(refused.error?.message ?? "")?.[1]?.replace(/,/g, ""));
  expect(promptTokens).toBeGreaterThan(9);
  expect(promptTokens).toBeLessThan(100); // two digits, as in the probe: the same token count

  // Worst case W = ceil(P × $0.25/1M + 4,096 × $2.00/1M); a budget of 12.5 W fits 12 and never 13.
  const worstCase = Math.ceil((promptTokens * 250_000 + 4096 * 2_000_000) / 1_000_000);
  const budget = 12 * worstCase + Math.floor(worstCase / 2);
  const user = await createApiUser({ baseURL, db, prefix: "fit12", budgetMicros: budget });
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
