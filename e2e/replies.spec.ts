// Replies as versions: regenerating the last reply, editing a sent message, continuing a reply the output limit cut.
// Every version stays browsable with its own cost, each is its own ledger entry, the meter counts them all, the chosen
// versions survive a reload, and the upstream receives the history of the branch being answered.
import { newSignedInPage } from "./accounts";
import { num, type TestDatabase } from "./db";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

test.beforeEach(async ({ page, account: _signedIn }) => {
  await page.goto("/");
  await new ChatPage(page).expectReady();
});

/** A small amount as the app shows it. */
const usd = (micros: number) => `$${(micros / 1_000_000).toFixed(6)}`;

type Entry = { status: string; costMicros: number; messageId: string | null };

async function entriesOf(db: TestDatabase, conversationId: string): Promise<Entry[]> {
  const rows = await db.query(
    `SELECT "status", "costMicros", "messageId" FROM "LedgerEntry" WHERE "conversationId" = $1 ORDER BY "createdAt", "id"`,
    [conversationId],
  );
  return rows.map((row) => ({
    status: String(row.status),
    costMicros: num(row.costMicros),
    messageId: (row.messageId as string | null) ?? null,
  }));
}

/** Waits until every entry of the chat is settled and linked to its message, and returns them (oldest first). */
async function settledEntries(db: TestDatabase, conversationId: string, count: number): Promise<Entry[]> {
  await expect
    .poll(async () => (await entriesOf(db, conversationId)).map((e) => `${e.status}:${e.messageId !== null}`), {
      timeout: 60_000,
    })
    .toEqual(Array.from({ length: count }, () => "settled:true"));
  return entriesOf(db, conversationId);
}

type Sent = { messages: { role: string; content: string }[] };

/** The messages a recorded upstream request sent. */
function sentMessages(request: { body: unknown } | undefined): Sent["messages"] {
  return (request?.body as Sent | undefined)?.messages ?? [];
}

test("regenerating keeps every version, each with its cost and its ledger entry; the meter counts all", async ({
  page,
  db,
  upstream,
}) => {
  const chat = new ChatPage(page);
  const stamp = `regen ${Date.now()}`;
  await chat.send(`[[usage:1000/100]] ${stamp}`);
  const reply = await chat.waitForReply();
  await expect(chat.versions(reply)).toHaveCount(0);
  const id = await chat.conversationId();

  await reply.getByRole("button", { name: "Regenerate" }).click();
  await expect(chat.versions(reply)).toContainText("2/2", { timeout: 60_000 });
  // Another model for the third version: its own price, so each version's cost is its own.
  const models = await page
    .getByLabel("Model")
    .locator("option")
    .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
  if (models.length > 1) await page.getByLabel("Model").selectOption(models[1] ?? "");
  await reply.getByRole("button", { name: "Regenerate" }).click();
  await expect(chat.versions(reply)).toContainText("3/3", { timeout: 60_000 });
  await expect(chat.assistantMessages()).toHaveCount(1);
  await expect(chat.userMessages()).toHaveCount(1);

  const entries = await settledEntries(db, id, 3);
  expect(new Set(entries.map((entry) => entry.messageId)).size).toBe(3);
  const total = entries.reduce((sum, entry) => sum + entry.costMicros, 0);
  await expect(chat.meter("This chat")).toContainText(usd(total));
  await expect(chat.meter("This chat")).toContainText("3,000 in / 300 out tokens");

  // Browse back to the first version and forward again: each shows its own cost.
  await expect(chat.usage(reply)).toContainText(usd(entries[2]?.costMicros ?? -1));
  await chat.showVersion(reply, "Previous");
  await expect(chat.versions(reply)).toContainText("2/3");
  await expect(chat.usage(reply)).toContainText(usd(entries[1]?.costMicros ?? -1));
  await chat.showVersion(reply, "Previous");
  await expect(chat.versions(reply)).toContainText("1/3");
  await expect(chat.usage(reply)).toContainText(usd(entries[0]?.costMicros ?? -1));
  await expect(chat.versions(reply).getByRole("button", { name: "Previous version" })).toBeDisabled();
  await chat.showVersion(reply, "Next");
  await expect(chat.versions(reply)).toContainText("2/3");
  // Switching versions spends nothing: the chat's total is unchanged.
  await expect(chat.meter("This chat")).toContainText(usd(total));

  // The choice is stored: a reload shows the second version.
  await page.reload();
  await expect(chat.versions(chat.lastAssistant())).toContainText("2/3");
  await expect(chat.usage(chat.lastAssistant())).toContainText(usd(entries[1]?.costMicros ?? -1));
  await expect(chat.meter("This chat")).toContainText(usd(total));

  // Each regeneration sent the history up to the user message, not the reply it replaces.
  const sent = await upstream.requests({ containing: stamp });
  expect(sent).toHaveLength(3);
  for (const request of sent) {
    expect(sentMessages(request).map((message) => message.role)).toEqual(["user"]);
  }
});

test("editing a sent message answers the new text; the old branch stays one version away, Esc cancels", async ({
  page,
  db,
  upstream,
}) => {
  const chat = new ChatPage(page);
  const stamp = `edit ${Date.now()}`;
  await chat.send(`first ${stamp}`);
  await chat.waitForReply(0);
  await chat.send(`second ${stamp}`);
  await chat.waitForReply(1);
  const id = await chat.conversationId();
  const second = chat.userTurns().nth(1);

  // Esc leaves everything as it was: nothing sent, nothing changed.
  const before = (await upstream.requests({ containing: stamp })).length;
  const editor = await chat.startEdit(second);
  await editor.fill(`never sent ${stamp}`);
  await editor.press("Escape");
  await expect(editor).toHaveCount(0);
  await expect(second).toContainText(`second ${stamp}`);
  await expect(chat.assistantMessages()).toHaveCount(2);
  expect(await upstream.requests({ containing: "never sent" })).toHaveLength(0);
  expect((await upstream.requests({ containing: stamp })).length).toBe(before);

  const edited = await chat.startEdit(second);
  await edited.fill(`second, better ${stamp}`);
  await second.getByRole("button", { name: "Save & send" }).click();
  await expect(chat.lastAssistant()).toContainText(`Echo: second, better ${stamp}`, { timeout: 60_000 });
  await chat.waitForReply(1);
  await expect(chat.page.getByText(`Echo: second ${stamp}`)).toHaveCount(0);
  await expect(chat.userMessages()).toHaveCount(2);
  await expect(chat.versions(second)).toContainText("2/2");

  // The edit went upstream after the first exchange only.
  const [request] = await upstream.requests({ containing: `second, better ${stamp}` });
  expect(sentMessages(request).map((message) => message.content)).toEqual([
    `first ${stamp}`,
    `Echo: first ${stamp}`,
    `second, better ${stamp}`,
  ]);

  // The old branch, with its reply and cost, one version back; the chat's entries are all kept.
  await chat.showVersion(second, "Previous");
  await expect(chat.versions(second)).toContainText("1/2");
  await expect(second).toContainText(`second ${stamp}`);
  await expect(chat.lastAssistant()).toContainText(`Echo: second ${stamp}`);
  const entries = await settledEntries(db, id, 3);
  const total = entries.reduce((sum, entry) => sum + entry.costMicros, 0);
  await expect(chat.meter("This chat")).toContainText(usd(total));

  await page.reload();
  await expect(chat.versions(chat.userTurns().nth(1))).toContainText("1/2");
  await expect(chat.lastAssistant()).toContainText(`Echo: second ${stamp}`);

  // The next message continues the branch shown.
  await chat.send(`third ${stamp}`);
  await chat.waitForReply(2);
  const [next] = await upstream.requests({ containing: `third ${stamp}` });
  expect(sentMessages(next).map((message) => message.content)).toEqual([
    `first ${stamp}`,
    `Echo: first ${stamp}`,
    `second ${stamp}`,
    `Echo: second ${stamp}`,
    `third ${stamp}`,
  ]);
});

test("a reply cut by the output limit continues in place, as one more ledger entry", async ({ page, db, upstream }) => {
  const chat = new ChatPage(page);
  const stamp = `cont ${Date.now()}`;
  await chat.send(`[[words:10]][[length:3]] ${stamp}`);
  const reply = await chat.waitForReply();
  await expect(reply).toContainText("word1 word2 word3");
  const id = await chat.conversationId();
  const [first] = await settledEntries(db, id, 1);

  await reply.getByRole("button", { name: "Continue" }).click();
  await expect(reply).toContainText("Echo: Your previous reply was cut off", { timeout: 60_000 });
  await expect(reply.getByRole("button", { name: "Continue" })).toHaveCount(0);
  await expect(chat.assistantMessages()).toHaveCount(1);
  const entries = await settledEntries(db, id, 2);
  expect(entries[0]).toEqual(first);
  const total = entries.reduce((sum, entry) => sum + entry.costMicros, 0);
  // The reply's cost is exactly the sum of its two entries, and so is the chat's.
  await expect(chat.usage(reply)).toContainText(usd(total));
  await expect(chat.meter("This chat")).toContainText(usd(total));

  // The continuation was asked with the history including the partial reply.
  const sent = await upstream.requests({ containing: stamp });
  expect(sent).toHaveLength(2);
  const messages = sentMessages(sent[1]);
  expect(messages.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
  expect(messages[1]?.content).toBe("word1 word2 word3");
  expect(messages[2]?.content).toMatch(/^Your previous reply was cut off by the output limit/);

  const [continuation] = await db.query(`SELECT "isContinuation", "parentId" FROM "Message" WHERE "id" = $1`, [
    entries[1]?.messageId,
  ]);
  expect(Boolean(continuation?.isContinuation)).toBe(true);
  expect(continuation?.parentId).toBe(first?.messageId);

  await page.reload();
  await expect(chat.assistantMessages()).toHaveCount(1);
  await expect(chat.lastAssistant()).toContainText("word1 word2 word3Echo: Your previous reply was cut off");
  await expect(chat.usage(chat.lastAssistant())).toContainText(usd(total));
});

test("versions are the owner's alone, and bad requests are refused with 400, nothing written", async ({
  page,
  browser,
  db,
}) => {
  const chat = new ChatPage(page);
  await chat.send(`[[words:4]][[length:2]] mine ${Date.now()}`);
  await chat.waitForReply();
  const id = await chat.conversationId();
  await settledEntries(db, id, 1);
  const rows = await db.query(`SELECT "id", "role" FROM "Message" WHERE "conversationId" = $1 ORDER BY "createdAt"`, [
    id,
  ]);
  const userMessageId = String(rows[0]?.id);
  const replyId = String(rows[1]?.id);
  const chatApi = (data: Record<string, unknown>) => ({ data: { conversationId: id, model: "gpt-5-mini", ...data } });

  const { context, page: intruder } = await newSignedInPage(browser, db, "replies-intruder");
  try {
    const api = intruder.request;
    expect((await api.post(`/api/conversations/${id}/branch`, { data: { messageId: replyId } })).status()).toBe(404);
    expect((await api.get(`/api/conversations/${id}/branch`)).status()).toBe(404);
    expect((await api.post("/api/chat", chatApi({ regenerate: replyId }))).status()).toBe(404);
    expect((await api.post("/api/chat", chatApi({ continue: replyId }))).status()).toBe(404);
    expect((await api.post("/api/chat", chatApi({ edit: userMessageId, text: "mine now" }))).status()).toBe(404);
  } finally {
    await context.close();
  }

  const api = page.request;
  expect((await api.post(`/api/conversations/${id}/branch`, { data: { messageId: "../../x" } })).status()).toBe(400);
  expect((await api.post(`/api/conversations/${id}/branch`, { data: {} })).status()).toBe(400);
  expect((await api.post(`/api/conversations/${id}/branch`, { data: { messageId: replyId, extra: 1 } })).status()).toBe(
    400,
  );
  expect(
    (await api.post(`/api/conversations/${id}/branch`, { data: { messageId: "c0000000000missing" } })).status(),
  ).toBe(404);
  const both = await api.post("/api/chat", chatApi({ regenerate: replyId, continue: replyId }));
  expect(both.status()).toBe(400);
  expect(JSON.stringify(await both.json())).toContain("one thing at a time");
  expect((await api.post("/api/chat", chatApi({ regenerate: replyId, text: "x" }))).status()).toBe(400);
  expect((await api.post("/api/chat", chatApi({ edit: userMessageId, text: "  " }))).status()).toBe(400);
  // A user message is no reply to regenerate, nor a reply a message to edit.
  expect((await api.post("/api/chat", chatApi({ regenerate: userMessageId }))).status()).toBe(404);
  expect((await api.post("/api/chat", chatApi({ edit: replyId, text: "x" }))).status()).toBe(404);
  // Nothing was written or charged by any of these.
  expect(await entriesOf(db, id)).toHaveLength(1);
  const [{ count } = { count: 0 }] = await db.query(
    `SELECT COUNT(*) AS "count" FROM "Message" WHERE "conversationId" = $1`,
    [id],
  );
  expect(num(count)).toBe(2);
});
