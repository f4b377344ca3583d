import fs from "node:fs";
import { type Page, request as playwrightRequest } from "@playwright/test";
import { newSignedInPage } from "./accounts";
import { num, type TestDatabase } from "./db";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";
import { sendChat } from "./sessions";

// gpt-5-mini at $0.25 / $0.025 cached / $2.00 per 1M tokens (micro-USD, rounded half-up once per call):
//   12,345 prompt + 678 completion                  → 4,442
//   2,000 prompt of which 1,500 cached, 30 completion → 223
const FIRST = "[[usage:12345/678]] What does a ledger cost?";
const SECOND = "[[usage:2000/30/1500/12]] And with the cache?";
const PROMPTS = [FIRST, SECOND];
const COSTS = [4_442, 223];

type LedgerRow = { messageId: string; costMicros: number; promptTokens: number; completionTokens: number };

/** The conversation's ledger entries once every reply is settled and linked to its stored message, oldest first. */
async function settledLedger(db: TestDatabase, conversationId: string, replies: number): Promise<LedgerRow[]> {
  let rows: LedgerRow[] = [];
  await expect
    .poll(
      async () => {
        const found = await db.query(
          `SELECT "messageId", "costMicros", "promptTokens", "completionTokens", "status" FROM "LedgerEntry"
           WHERE "conversationId" = $1 ORDER BY "createdAt" ASC`,
          [conversationId],
        );
        rows = found.map((row) => ({
          messageId: String(row.messageId),
          costMicros: num(row.costMicros),
          promptTokens: num(row.promptTokens),
          completionTokens: num(row.completionTokens),
        }));
        return found.filter((row) => row.status === "settled" && row.messageId !== null).length;
      },
      { timeout: 60_000 },
    )
    .toBe(replies);
  return rows;
}

/** Picks a format from the chat header's Export menu and reads the file the browser saved. */
async function exportFromMenu(page: Page, item: RegExp) {
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("menuitem", { name: item }).click(),
  ]);
  return { filename: download.suggestedFilename(), text: fs.readFileSync(await download.path(), "utf8") };
}

test("a conversation downloads as Markdown and as JSON, each reply with the tokens and cost of its ledger entry", async ({
  page,
  browser,
  db,
  baseURL,
  account: _owner,
}) => {
  const chat = new ChatPage(page);
  await page.goto("/");
  await chat.expectReady();
  for (const [index, prompt] of PROMPTS.entries()) {
    await chat.send(prompt);
    await chat.waitForReply(index);
  }
  const id = await chat.conversationId();
  const ledger = await settledLedger(db, id, 2);
  expect(ledger.map((entry) => entry.costMicros)).toEqual(COSTS);
  const title = FIRST;

  const json = await exportFromMenu(page, /JSON/);
  expect(json.filename).toMatch(/\.json$/);
  const document = JSON.parse(json.text);
  expect(document).toMatchObject({ format: "chatledger-conversation", version: 1 });
  expect(document.conversation).toMatchObject({ id, title, model: "gpt-5-mini" });
  const messages = document.conversation.messages as {
    id: string;
    role: string;
    content: string;
    promptTokens: number | null;
    cost: { micros: number; promptTokens: number; completionTokens: number; isEstimated: boolean } | null;
  }[];
  expect(messages.map((message) => [message.role, message.content])).toEqual([
    ["user", FIRST],
    ["assistant", "Echo: What does a ledger cost?"],
    ["user", SECOND],
    ["assistant", "Echo: And with the cache?"],
  ]);
  const replies = messages.filter((message) => message.role === "assistant");
  expect(replies.map((reply) => reply.id)).toEqual(ledger.map((entry) => entry.messageId));
  expect(replies.map((reply) => reply.cost)).toEqual(
    ledger.map((entry) => expect.objectContaining({ micros: entry.costMicros, isEstimated: false, isUnpriced: false })),
  );
  expect(replies.map((reply) => reply.promptTokens)).toEqual([12_345, 2_000]);
  expect(messages[0]?.cost).toBeNull();

  const markdown = await exportFromMenu(page, /Markdown/);
  expect(markdown.filename).toMatch(/^\[\[usage 12345 678\]\] What does a ledger cost\.md$/);
  expect(markdown.text.split("\n")[0]).toBe(`# ${title}`);
  for (const message of messages) expect(markdown.text).toContain(`\n${message.content}\n`);
  // Each reply's cost, as exact USD, parses back to its ledger entry's integer micro-USD.
  const costs = [...markdown.text.matchAll(/cost \$(\d+)\.(\d{6})/g)].map(
    ([, usd, micros]) => Number(usd) * 1e6 + Number(micros),
  );
  expect(costs).toEqual(ledger.map((entry) => entry.costMicros));
  expect(markdown.text).toContain("12,345 prompt tokens · 678 completion tokens · cost $0.004442");
  expect(markdown.text).toContain("2,000 prompt tokens · 1,500 cached · 30 completion tokens · 12 reasoning");

  // The API: a wrong format is a 400, someone else's conversation a 404, a signed-out visitor a 401.
  const wrongFormat = await page.request.get(`/api/conversations/${id}/export?format=pdf`);
  expect(wrongFormat.status()).toBe(400);
  expect((await wrongFormat.json()).error.message).toBe('format must be "md" or "json".');
  const { context, page: intruder } = await newSignedInPage(browser, db, "export-intruder");
  try {
    const denied = await intruder.request.get(`/api/conversations/${id}/export?format=json`);
    expect(denied.status()).toBe(404);
    expect(await denied.text()).not.toContain("ledger cost");
  } finally {
    await context.close();
  }
  const anonymous = await playwrightRequest.newContext({ baseURL });
  try {
    expect((await anonymous.get(`/api/conversations/${id}/export?format=md`)).status()).toBe(401);
    expect((await anonymous.get("/api/export")).status()).toBe(401);
  } finally {
    await anonymous.dispose();
  }
});

test("Settings exports all of a user's data as one JSON archive: conversations, settings and the whole ledger", async ({
  page,
  db,
  account,
}) => {
  const kept = await sendChat(page.request, { text: FIRST });
  const deleted = await sendChat(page.request, { text: SECOND });
  expect([kept.status, deleted.status]).toEqual([200, 200]);
  await settledLedger(db, kept.conversationId, 1);
  await settledLedger(db, deleted.conversationId, 1);
  // A deleted chat's spend stays in the ledger, and so in the archive.
  expect((await page.request.delete(`/api/conversations/${deleted.conversationId}`)).status()).toBe(204);

  await page.goto("/settings");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export all data" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`chatledger-archive-${new Date().toISOString().slice(0, 10)}.json`);
  const text = fs.readFileSync(await download.path(), "utf8");
  const archive = JSON.parse(text);
  expect(archive).toMatchObject({
    format: "chatledger-archive",
    version: 1,
    user: { email: account.email, settings: { budget: { mode: "default" } } },
    presets: [],
  });
  // Never the password hash (bcrypt's "$2…$" form), nor any session secret.
  expect(text).not.toMatch(/passwordHash|\$2[aby]\$/);
  expect(archive.conversations.map((c: { id: string }) => c.id)).toEqual([kept.conversationId]);
  expect(archive.conversations[0].messages).toHaveLength(2);
  expect(archive.conversations[0].messages[1].cost.micros).toBe(COSTS[0]);

  const ledger = await db.query(`SELECT "id", "costMicros" FROM "LedgerEntry" WHERE "userId" = $1`, [account.id]);
  const costOf = (entries: Record<string, unknown>[]) =>
    Object.fromEntries(entries.map((entry) => [String(entry.id), num(entry.costMicros)]));
  expect(costOf(archive.ledger)).toEqual(costOf(ledger));
  expect(Object.values(costOf(archive.ledger)).sort((a, b) => a - b)).toEqual([...COSTS].sort((a, b) => a - b));
});
