// A server killed mid-reply (crash, out-of-memory kill, redeploy) never gets to settle its reservation. The
// reservation's lease runs out within seconds, so the user is not stuck behind it, and it is charged for what was
// streamed before the crash, not the prompt alone. After the restart the database is whole, the user's message is
// there, a reply is kept only as far as it was stored, and the conversation takes the next message. Runs its own server, which it kills; that server also carries a
// server-wide budget (GLOBAL_MONTHLY_BUDGET_USD), which the shared one cannot (it would cap every other spec).
import { type AppServer, type FreshDatabase, type OwnApp, startOwnApp } from "./app-server";
import { num, type TestDatabase } from "./db";
import { expect, test } from "./fixtures";
import { createApiUser, sendChat, startChat, wordsIn } from "./sessions";

// $0.03 for all users together: room for the crash test's calls (~$0.01) and one more worst case.
const GLOBAL_BUDGET_MICROS = 30_000;
const CRASHED_PROMPT = "[[words:5000]][[slow:10]] a long answer, then a crash";

let own: OwnApp;
let app: AppServer;
let database: FreshDatabase;
let db: TestDatabase;

test.beforeAll(async () => {
  own = await startOwnApp("crash", { GLOBAL_MONTHLY_BUDGET_USD: String(GLOBAL_BUDGET_MICROS / 1_000_000) });
  ({ app, database, db } = own);
});

test.afterAll(async () => {
  await own?.stop();
});

test("after a crash mid-reply the user is not stuck, and the reply is charged what was streamed", async () => {
  test.setTimeout(180_000);
  // Room for exactly one worst case (≈ $0.0082: the prompt plus 4,096 output tokens at $2.00 / 1M): while the crashed
  // call's reservation is held, every new message is refused.
  const user = await createApiUser({ baseURL: app.url, db, prefix: "crash", budgetMicros: 12_000 });
  const chat = await startChat(app.url, user, { text: CRASHED_PROMPT });
  expect(chat.response.status).toBe(200);
  // Several seconds of streaming, so the server has recorded its progress.
  await chat.readUntil((body) => wordsIn(body) >= 600);
  await app.kill();
  await chat.readToEnd();
  const streamed = wordsIn(chat.body());

  await app.restart();
  // The database came back whole: SQLite's own check (PostgreSQL recovers from its log before it accepts connections).
  if (!/^postgres/i.test(database.url)) {
    expect(await db.query(`PRAGMA integrity_check`)).toEqual([{ integrity_check: "ok" }]);
  }
  // The user's message survived the crash; a reply is kept only as far as it was stored, and never as complete.
  const crashedChat = await user.api.get(`/api/conversations/${chat.conversationId}`);
  expect(crashedChat.status()).toBe(200);
  const { conversation } = (await crashedChat.json()) as {
    conversation: { messages: { role: string; content: string; status: string }[] };
  };
  expect(conversation.messages[0]).toMatchObject({ role: "user", content: CRASHED_PROMPT });
  for (const partial of conversation.messages.slice(1)) {
    expect(partial.role).toBe("assistant");
    expect(partial.status).not.toBe("complete");
    expect(chat.body().replace(/\s+/g, " ")).toContain(partial.content.trim().split(/\s+/).slice(0, 50).join(" "));
  }
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

  // The conversation is usable: the next message in it is answered and stored after the user's first one.
  const next = await sendChat(user.api, {
    conversationId: chat.conversationId,
    text: "[[usage:10/5]][[reply:Back again]] still there?",
  });
  expect(next.status, next.error?.message).toBe(200);
  expect(next.text).toBe("Back again");
  const after = (await (await user.api.get(`/api/conversations/${chat.conversationId}`)).json()) as {
    conversation: { messages: { role: string; content: string }[] };
  };
  expect(after.conversation.messages.map((m) => m.content).slice(-2)).toEqual([
    "[[usage:10/5]][[reply:Back again]] still there?",
    "Back again",
  ]);
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
