// A server killed mid-reply (crash, out-of-memory kill, redeploy) never gets to settle its reservation. The
// reservation's lease runs out within seconds, so the user is not stuck behind it, and it is charged for what was
// streamed before the crash, not the prompt alone. Runs its own server, which it kills; that server also carries a
// server-wide budget (GLOBAL_MONTHLY_BUDGET_USD), which the shared one cannot (it would cap every other spec).
import { type AppServer, type FreshDatabase, freshDatabase, startApp } from "./app-server";
import { num, openDatabase, type TestDatabase } from "./db";
import { expect, test } from "./fixtures";
import { createApiUser, sendChat, startChat, wordsIn } from "./sessions";

// $0.03 for all users together: room for the crash test's calls (~$0.01) and one more worst case.
const GLOBAL_BUDGET_MICROS = 30_000;

let app: AppServer;
let database: FreshDatabase;
let db: TestDatabase;

test.beforeAll(async () => {
  database = await freshDatabase("crash");
  app = await startApp({
    name: `crash-${process.env.E2E_RUN_NAME ?? "e2e"}`,
    databaseUrl: database.url,
    upstreamUrl: process.env.FAKE_OPENAI_URL ?? "",
    env: { GLOBAL_MONTHLY_BUDGET_USD: String(GLOBAL_BUDGET_MICROS / 1_000_000) },
  });
  db = openDatabase(database.url);
});

test.afterAll(async () => {
  await db?.close();
  await app?.stop();
  await database?.drop();
});

test("after a crash mid-reply the user is not stuck, and the reply is charged what was streamed", async () => {
  test.setTimeout(180_000);
  // Room for exactly one worst case (≈ $0.0082: the prompt plus 4,096 output tokens at $2.00 / 1M): while the crashed
  // call's reservation is held, every new message is refused.
  const user = await createApiUser({ baseURL: app.url, db, prefix: "crash", budgetMicros: 12_000 });
  const chat = await startChat(app.url, user, { text: "[[words:5000]][[slow:10]] a long answer, then a crash" });
  expect(chat.response.status).toBe(200);
  // Several seconds of streaming, so the server has recorded its progress.
  await chat.readUntil((body) => wordsIn(body) >= 600);
  await app.kill();
  await chat.readToEnd();
  const streamed = wordsIn(chat.body());

  await app.restart();
  // Within the lease (seconds, not the hour it used to take) a new message is admitted again.
  let attempts = 0;
  await expect(async () => {
    attempts++;
    const next = await sendChat(user.api, { text: "[[usage:10/5]] hello again" }, { timeout: 30_000 });
    expect(next.status, next.error?.message).toBe(200);
  }).toPass({ timeout: 90_000, intervals: [2_000] });
  expect(attempts).toBeGreaterThanOrEqual(1);

  const [crashed] = await db.query<{ status: string; completionTokens: number; isEstimated: unknown }>(
    `SELECT "status", "completionTokens", "isEstimated" FROM "LedgerEntry" WHERE "conversationId" = $1`,
    [chat.conversationId],
  );
  expect(crashed?.status).toBe("settled");
  expect(Boolean(num(crashed?.isEstimated))).toBe(true);
  // Charged for the words streamed before the last progress record (a few seconds' worth may be missing), never more.
  expect(crashed?.completionTokens).toBeGreaterThan(0);
  expect(crashed?.completionTokens).toBeLessThanOrEqual(streamed * 3);
});

test("the server-wide budget refuses every user once all users together have spent it", async ({ upstream }) => {
  const [spender, other] = [
    await createApiUser({ baseURL: app.url, db, prefix: "spender", budgetMicros: null }),
    await createApiUser({ baseURL: app.url, db, prefix: "other", budgetMicros: null }),
  ];
  // 100,000 prompt tokens × $0.25 / 1M + 4,096 × $2.00 / 1M = 25,000 + 8,192 = 33,192 micro-USD: over $0.03 alone.
  const big = await sendChat(spender.api, { text: "[[usage:100000/4096]] a long document" });
  expect(big.status).toBe(200);
  const marker = `global-refusal-${Date.now()}`;
  for (const user of [other, spender]) {
    const refused = await sendChat(user.api, { text: `hello ${marker}` });
    expect(refused.status).toBe(402);
    expect(refused.error?.message).toContain("This server's shared monthly budget has no room for this message");
  }
  // Nothing was sent upstream for the refused requests, and the refused user's own budget is untouched.
  expect(await upstream.requests({ containing: marker })).toEqual([]);
  const summary = (await (await other.api.get("/api/usage/summary")).json()) as {
    budget: { spentMicros: number; reservedMicros: number };
  };
  expect(summary.budget).toMatchObject({ spentMicros: 0, reservedMicros: 0 });
  const [global] = await db.query<{ settledMicros: unknown; reservedMicros: unknown }>(
    `SELECT "settledMicros", "reservedMicros" FROM "SpendCounter" WHERE "scope" = 'global'`,
  );
  expect(num(global?.settledMicros)).toBeGreaterThan(GLOBAL_BUDGET_MICROS);
  expect(num(global?.reservedMicros)).toBe(0);
});
