// The ledger under faults a user (or the upstream) can cause, through the real API: a chat deleted while it answers,
// an upstream that reports more than was reserved, an upstream that hangs. Every reply is charged for what it cost, and
// no reservation is left holding the budget.
import { num, type TestDatabase } from "./db";
import { expect, test } from "./fixtures";
import { createApiUser, sendChat, startChat, wordsIn } from "./sessions";

// gpt-5-mini: $0.25 / 1M input, $2.00 / 1M output (the price table's 2025-08-07 entry).
const OUTPUT_PER_1M = 2_000_000;

function entriesOf(db: TestDatabase, conversationId: string) {
  return db.query<{
    status: string;
    promptTokens: number;
    completionTokens: number;
    costMicros: unknown;
    isEstimated: unknown;
  }>(
    `SELECT "status", "promptTokens", "completionTokens", "costMicros", "isEstimated" FROM "LedgerEntry" WHERE "conversationId" = $1`,
    [conversationId],
  );
}

async function summary(user: { api: import("@playwright/test").APIRequestContext }) {
  const response = await user.api.get("/api/usage/summary");
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { budget: { spentMicros: number; reservedMicros: number; level: string } }).budget;
}

test("deleting a chat while it answers stops the upstream call and still charges what was streamed", async ({
  baseURL,
  db,
  upstream,
}) => {
  test.setTimeout(120_000);
  const user = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "delete", budgetMicros: 50_000 });
  const marker = `delete-mid-reply-${Date.now()}`;
  const chat = await startChat(baseURL ?? "", user, { text: `[[words:3000]][[slow:5]] ${marker}` });
  expect(chat.response.status).toBe(200);
  await chat.readUntil((body) => wordsIn(body) >= 20);

  const deleted = await user.api.delete(`/api/conversations/${chat.conversationId}`);
  expect(deleted.status()).toBe(204);
  const body = await chat.readToEnd();
  const streamed = wordsIn(body);
  // The user never sees a database error.
  expect(body).not.toMatch(/prisma|foreign key|invocation/i);

  // Deleting stopped the upstream call: the fake saw its client go away long before the 3,000th word.
  await expect
    .poll(async () => (await upstream.requests({ containing: marker }))[0]?.closedByClient, { timeout: 30_000 })
    .toBe(true);
  const [sent] = await upstream.requests({ containing: marker });
  expect(sent?.deltasSent).toBeLessThan(3000);
  expect(streamed).toBeLessThan(3000);

  // The money does not depend on storing the message: the entry is settled, to an estimate of what was streamed.
  await expect.poll(async () => (await entriesOf(db, chat.conversationId)).map((e) => e.status)).toEqual(["settled"]);
  const [entry] = await entriesOf(db, chat.conversationId);
  expect(Boolean(num(entry?.isEstimated))).toBe(true);
  // "word1 word2 …": at least one token per word that reached the client.
  expect(entry?.completionTokens).toBeGreaterThanOrEqual(streamed);
  expect(num(entry?.costMicros)).toBeGreaterThanOrEqual(Math.floor((streamed * OUTPUT_PER_1M) / 1_000_000));
  expect(await summary(user)).toMatchObject({ reservedMicros: 0, spentMicros: num(entry?.costMicros) });
});

test("the reserved output limit is sent upstream as the call's max output tokens", async ({
  baseURL,
  db,
  upstream,
}) => {
  const user = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "maxtokens", budgetMicros: 1_000_000 });
  const marker = `max-tokens-${Date.now()}`;
  // The fake would stream 6,000 words; the limit stops it where the reservation ends.
  const result = await sendChat(user.api, { text: `[[words:6000]] ${marker}` });
  expect(result.status).toBe(200);
  const [sent] = await upstream.requests({ containing: marker });
  const request = sent?.body as { max_completion_tokens?: number; max_tokens?: number };
  expect(request.max_completion_tokens ?? request.max_tokens).toBe(4096);
  expect(sent?.deltasSent).toBe(4096);
  const [entry] = await entriesOf(db, result.conversationId);
  expect(entry).toMatchObject({ status: "settled", completionTokens: 4096 });
});

test("usage above the reservation is recorded as reported, and the next request is refused", async ({
  baseURL,
  db,
}) => {
  // $0.05 budget. The upstream reports 400,000 prompt tokens for a short prompt (our count under-estimated it):
  // 400,000 × $0.25/1M + 10 × $2/1M = 100,000 + 20 = 100,020 micro-USD, twice the budget.
  const user = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "overrun", budgetMicros: 50_000 });
  const first = await sendChat(user.api, { text: "[[usage:400000/10]] a prompt we under-counted" });
  expect(first.status).toBe(200);
  const [entry] = await entriesOf(db, first.conversationId);
  expect(entry).toMatchObject({ status: "settled", promptTokens: 400_000, completionTokens: 10 });
  expect(num(entry?.costMicros)).toBe(100_020);
  expect(await summary(user)).toMatchObject({ spentMicros: 100_020, reservedMicros: 0, level: "exceeded" });

  const next = await sendChat(user.api, { text: "one more" });
  expect(next.status).toBe(402);
  expect(next.error?.message).toContain("monthly budget");
});

test("an upstream that hangs is cut off by the timeouts, and the call is settled, not left reserved", async ({
  baseURL,
  db,
}) => {
  // The shared server runs with 10 s first-token and idle timeouts (e2e/global-setup.ts).
  test.setTimeout(120_000);
  const user = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "hang", budgetMicros: 1_000_000 });
  const [silent, stalled] = await Promise.all([
    sendChat(user.api, { text: "[[hang:0]] never answers" }),
    sendChat(user.api, { text: "[[words:50]][[hang:3]] stalls after three words" }),
  ]);
  for (const result of [silent, stalled]) {
    expect(result.status).toBe(200);
    const error = result.chunks.find((chunk) => chunk.type === "error");
    // The failure travels as its message key and arguments (lib/errors.ts), shown in the reader's language.
    expect(JSON.parse(String(error?.errorText))).toEqual({
      key: expect.stringMatching(/^errors\.timeout(FirstToken|Idle)$/),
      params: { seconds: 10 },
    });
  }
  expect(stalled.text).toBe("word1 word2 word3");

  for (const result of [silent, stalled]) {
    const [entry] = await entriesOf(db, result.conversationId);
    // Charged what was sent (the prompt) and streamed, flagged as an estimate: the upstream may have billed it.
    expect(entry).toMatchObject({ status: "settled" });
    expect(Boolean(num(entry?.isEstimated))).toBe(true);
    expect(entry?.promptTokens).toBeGreaterThan(0);
  }
  const [stalledEntry] = await entriesOf(db, stalled.conversationId);
  expect(stalledEntry?.completionTokens).toBeGreaterThanOrEqual(3);
  expect((await summary(user)).reservedMicros).toBe(0);
});
