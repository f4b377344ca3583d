// The Telegram bot end to end: real Update JSON posted to the webhook of the shared app, which talks to the fake
// Telegram Bot API (e2e/fake-telegram/server.ts) and the fake OpenAI upstream; the specs assert the Bot API calls the
// app made, the upstream requests, and the ledger. Each test has its own Telegram user and chat (e2e/telegram.ts).
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { formatUsd } from "../lib/billing/money";
import { signInAs } from "./accounts";
import { TEST_SECRETS } from "./app-server";
import type { TestDatabase } from "./db";
import { num } from "./db";
import { expect, test } from "./fixtures";
import { SettingsPage } from "./pages/settings-page";
import {
  blockBot,
  inlineQueryUpdate,
  linkedTelegram,
  mentionUpdate,
  postUpdate,
  type RecordedCall,
  registerFile,
  telegramCalls,
  telegramIds,
  telegramSeq,
  textUpdate,
  voiceUpdate,
  waitForCall,
} from "./telegram";

type Ids = ReturnType<typeof telegramIds>;
type Params = { text?: string; entities?: unknown[]; caption?: string; results?: unknown[] };

const params = (call: RecordedCall) => call.params as Params;
const textOf = (call: RecordedCall) => params(call).text ?? "";

/** Sends `text` in the private chat and waits for the reply's last edit or message holding `expected`. */
async function say(ids: Ids, text: string, expected: string | RegExp) {
  const since = await telegramSeq();
  expect(await postUpdate({ update: textUpdate({ user: ids.user, text }) })).toBe(200);
  const matches = (call: RecordedCall) =>
    typeof expected === "string" ? textOf(call).includes(expected) : expected.test(textOf(call));
  return waitForCall({ chatId: ids.chatId, since, where: (call) => call.status === 200 && matches(call) });
}

async function ledgerOf(db: TestDatabase, userId: string) {
  return db.query<{ kind: string; source: string; status: string; costMicros: unknown; conversationId: string }>(
    `SELECT "kind", "source", "status", "costMicros", "conversationId" FROM "LedgerEntry" WHERE "userId" = $1 ORDER BY "createdAt"`,
    [userId],
  );
}

test("refuses deliveries without the secret (401) and drops malformed ones (200), doing nothing", async ({ db }) => {
  const ids = telegramIds();
  const update = textUpdate({ user: ids.user, text: "/caps never" });
  expect(await postUpdate({ update, secret: null })).toBe(401);
  expect(await postUpdate({ update, secret: "wrong-secret-of-the-right-length" })).toBe(401);
  const base = process.env.E2E_BASE_URL;
  const headers = {
    "content-type": "application/json",
    "x-telegram-bot-api-secret-token": TEST_SECRETS.TELEGRAM_WEBHOOK_SECRET,
  };
  for (const body of ["{not json", JSON.stringify({ message: { text: "no update_id" } }), "[]", '{"update_id":-4}']) {
    const response = await fetch(`${base}/api/telegram/webhook`, { method: "POST", headers, body });
    expect(response.status, body).toBe(200);
  }
  // A well-formed update with the secret is handled: the bot answers it; the refused ones left no trace.
  expect(await postUpdate({ update })).toBe(200);
  await waitForCall({ chatId: ids.chatId, method: "sendMessage", where: (call) => textOf(call) === "NEVER" });
  const sent = await telegramCalls({ chatId: ids.chatId, method: "sendMessage" });
  expect(sent).toHaveLength(1);
  const recorded = await db.query(`SELECT "key" FROM "ChannelUpdate" WHERE "key" = $1`, [
    `telegram:${update.update_id}`,
  ]);
  expect(recorded).toHaveLength(1);
});

test("Settings links a Telegram account through a one-time deep link, shows it, and unlinks it", async ({
  page,
  account,
}) => {
  const settings = new SettingsPage(page);
  await page.goto("/settings");
  await expect(settings.telegramStatus()).toHaveText("Not linked.");
  const link = await settings.linkTelegram();
  expect(link).toMatch(/^https:\/\/t\.me\/chatledger_test_bot\?start=/);
  const token = new URL(link).searchParams.get("start") ?? "";
  const ids = telegramIds({ username: "ada_tg" });
  const start = textUpdate({ user: ids.user, text: `/start ${token}` });
  await postUpdate({ update: start });
  const linked = await waitForCall({ chatId: ids.chatId, method: "sendMessage" });
  expect(textOf(linked)).toBe(
    `Linked: this Telegram account now chats as ${account.email}. Conversations here appear in your web history, and their cost on your meter.`,
  );
  // Single use: the same link again (another Telegram account) links nothing.
  const intruder = telegramIds();
  await postUpdate({ update: textUpdate({ user: intruder.user, text: `/start ${token}` }) });
  const refused = await waitForCall({ chatId: intruder.chatId, method: "sendMessage" });
  expect(textOf(refused)).toContain("cannot be used");
  await page.reload();
  await expect(settings.telegramStatus()).toContainText("Linked to @ada_tg since");
  await settings.unlinkTelegram();
  // Unlinked: the bot no longer acts for the account.
  await say(ids, "hello again", "is not linked");
});

test("an unlinked user is told how to link, and nothing is sent upstream", async ({ upstream }) => {
  const ids = telegramIds();
  const marker = `unlinked ${randomUUID()}`;
  await postUpdate({ update: textUpdate({ user: ids.user, text: marker }) });
  const reply = await waitForCall({ chatId: ids.chatId, method: "sendMessage" });
  expect(textOf(reply)).toContain("Settings → Telegram");
  // Inline too: an article explaining how to link, no model call.
  const inline = inlineQueryUpdate({ user: ids.user, query: marker });
  await postUpdate({ update: inline });
  const answer = await waitForCall({
    method: "answerInlineQuery",
    where: (call) => (call.params as { inline_query_id?: string }).inline_query_id === inline.inline_query.id,
  });
  expect(JSON.stringify(params(answer).results)).toContain("Link your ChatLedger account");
  expect(await upstream.requests({ containing: marker })).toHaveLength(0);
});

test("a linked user: /start, /help, /caps, an unknown command, /model and /new", async ({ db, upstream }) => {
  const { ids } = await linkedTelegram(db);
  await say(ids, "/start", "Hi Tess!");
  const help = await say(ids, "/help", "/stats");
  expect(textOf(help)).toContain("@chatledger_test_bot");
  await say(ids, "/caps shout this", "SHOUT THIS");
  await say(ids, "/frobnicate", "I do not know /frobnicate");
  const list = await say(ids, "/model", "Model of this chat: gpt-5-mini");
  expect(textOf(list)).toContain("gpt-4o");
  await say(ids, "/model no-such-model", "There is no model “no-such-model”");
  await say(ids, "/model gpt-4o", "Model set to gpt-4o");
  const marker = `after model ${randomUUID()}`;
  await say(ids, marker, `Echo: ${marker}`);
  const [request] = await upstream.requests({ containing: marker });
  expect(request?.body).toMatchObject({ model: "gpt-4o" });
  await say(ids, "/new", "New conversation");
  expect(await upstream.requests({ containing: "/caps" })).toHaveLength(0);
});

test("free text is answered with the conversation's history, streamed by edits, on the ledger and in the web history", async ({
  db,
  upstream,
  page,
}) => {
  const { account, ids } = await linkedTelegram(db);
  const first = `remember the word kumquat ${randomUUID()}`;
  await say(ids, first, `Echo: ${first}`);
  const second = `slow [[words:12]][[slow:250]] ${randomUUID()}`;
  const since = await telegramSeq();
  await postUpdate({ update: textUpdate({ user: ids.user, text: second }) });
  const last = await waitForCall({ chatId: ids.chatId, since, where: (call) => textOf(call).includes("word12") });
  // The reply grew in place: one message, edited as it streamed (about once a second), ending with the whole text.
  const calls = (await telegramCalls({ chatId: ids.chatId, since })).filter((call) => call.status === 200);
  const sends = calls.filter((call) => call.method === "sendMessage");
  const edits = calls.filter((call) => call.method === "editMessageText");
  expect(sends).toHaveLength(1);
  expect(edits.length).toBeGreaterThanOrEqual(1);
  expect(textOf(sends[0] as RecordedCall).length).toBeLessThan(textOf(last).length);
  // The history went upstream with the second message.
  const [request] = await upstream.requests({ containing: second });
  expect(JSON.stringify(request?.body)).toContain(first);

  const entries = await ledgerOf(db, account.id);
  expect(entries.map(({ kind, source, status }) => `${kind}/${source}/${status}`)).toEqual([
    "chat/telegram/settled",
    "chat/telegram/settled",
  ]);
  const conversationId = entries[0]?.conversationId ?? "";
  const [conversation] = await db.query<{ source: string; title: string }>(
    `SELECT "source", "title" FROM "Conversation" WHERE "id" = $1`,
    [conversationId],
  );
  expect(conversation?.source).toBe("telegram");
  // The web shows it: in the history, marked as from Telegram, with the cost the ledger holds.
  await signInAs(page.request, account);
  const summary = await page.request.get(`/api/usage/summary?conversationId=${conversationId}`);
  const total = entries.reduce((sum, entry) => sum + num(entry.costMicros), 0);
  expect(JSON.stringify(await summary.json())).toContain(String(total));
  await page.goto(`/c/${conversationId}`);
  await expect(page.getByText(first).first()).toBeVisible();
  await expect(page.getByText("via Telegram")).toBeVisible();
  await expect(page.getByRole("img", { name: "From Telegram" }).first()).toBeVisible();
});

test("a long reply is split at 4,096 characters, and Markdown with every reserved character is sent", async ({
  db,
}) => {
  const { ids } = await linkedTelegram(db);
  // Markdown's own syntax becomes entities; every other reserved character of MarkdownV2 stays as it is.
  const hostile = "Reserved: _*[]()~>#+-=|{}.! and a back\\slash. **bold** _it_ `a_b*c` [link](https://example.com)";
  const paragraph = `${"lorem ipsum dolor sit amet ".repeat(20)}\n\n`;
  const reply = `${hostile}\n\n${paragraph.repeat(12)}\`\`\`js\nconst x = 1 < 2;\n\`\`\`\nThe end.`;
  expect(reply.length).toBeGreaterThan(4_096);
  const since = await telegramSeq();
  await postUpdate({ update: textUpdate({ user: ids.user, text: `[[reply:${reply}]] long ${randomUUID()}` }) });
  // The streamed parts end in "The end." too: wait for the last part's formatted edit (the writer formats the parts
  // in order, so the first part's edit is recorded before it).
  const isFormattedEnd = (call: RecordedCall) =>
    textOf(call).endsWith("The end.") &&
    ((params(call).entities as { type: string }[] | undefined) ?? []).some((entity) => entity.type === "pre");
  await waitForCall({ chatId: ids.chatId, since, where: isFormattedEnd }, {});
  // Every call succeeded (the fake refuses what Telegram refuses), and the final parts hold the whole reply.
  await expect
    .poll(async () => {
      const calls = await telegramCalls({ chatId: ids.chatId, since });
      return calls.filter((call) => call.status !== 200 && !JSON.stringify(call.response).includes("not modified"));
    })
    .toEqual([]);
  const calls = await telegramCalls({ chatId: ids.chatId, since });
  const finalText = new Map<number, RecordedCall>();
  for (const call of calls) {
    const id =
      (call.params as { message_id?: number }).message_id ??
      (call.response as { result?: { message_id?: number } })?.result?.message_id;
    if (id !== undefined && (call.method === "sendMessage" || call.method === "editMessageText"))
      finalText.set(id, call);
  }
  const parts = [...finalText.values()];
  expect(parts.length).toBeGreaterThanOrEqual(2);
  for (const part of parts) expect(textOf(part).length).toBeLessThanOrEqual(4_096);
  const first = parts[0] as RecordedCall;
  expect(textOf(first)).toContain("Reserved: _*[]()~>#+-=|{}.! and a back\\slash. bold it a_b*c link");
  const types = (params(first).entities as { type: string }[]).map((entity) => entity.type);
  expect(types).toEqual(expect.arrayContaining(["bold", "italic", "code", "text_link"]));
  const last = parts.at(-1) as RecordedCall;
  expect((params(last).entities as { type: string; language?: string }[]).some((e) => e.type === "pre")).toBe(true);
});

test("/stats shows the conversation's and the month's money; over budget the bot refuses with the numbers, nothing sent", async ({
  db,
  upstream,
}) => {
  const { account, ids } = await linkedTelegram(db, { budgetMicros: 200 });
  await say(ids, "/stats", "This conversation: nothing yet");
  const marker = `too dear ${randomUUID()}`;
  const refusal = await say(ids, marker, "budget");
  expect(textOf(refusal)).toMatch(/\$0\.0002/);
  expect(await upstream.requests({ containing: marker })).toHaveLength(0);
  expect(await ledgerOf(db, account.id)).toEqual([]);
  // With room, the same numbers as the ledger.
  await db.query(`UPDATE "User" SET "monthlyBudgetMicros" = 10000000 WHERE "id" = $1`, [account.id]);
  await say(ids, `now fine ${randomUUID()}`, "Echo: now fine");
  const [entry] = await ledgerOf(db, account.id);
  const cost = num(entry?.costMicros);
  const stats = await say(ids, "/stats", "This conversation: 1 call");
  expect(textOf(stats)).toContain(formatUsd(cost));
  expect(textOf(stats)).toContain("$10.00");
});

test("a delivery Telegram repeats is answered and charged once", async ({ db, upstream }) => {
  const { account, ids } = await linkedTelegram(db);
  const marker = `twice ${randomUUID()}`;
  const update = textUpdate({ user: ids.user, text: marker });
  const statuses = await Promise.all([1, 2, 3].map(() => postUpdate({ update })));
  expect(statuses).toEqual([200, 200, 200]);
  await waitForCall({ chatId: ids.chatId, where: (call) => textOf(call) === `Echo: ${marker}` });
  expect(await postUpdate({ update })).toBe(200);
  await say(ids, "/caps done", "DONE");
  expect(await upstream.requests({ containing: marker })).toHaveLength(1);
  expect(await ledgerOf(db, account.id)).toHaveLength(1);
});

test("a voice message is transcribed and answered, both metered", async ({ db }) => {
  const { account, ids } = await linkedTelegram(db);
  const bytes = fs.readFileSync(path.join(__dirname, "fixtures", "audio", "tone.ogg"));
  const file = await registerFile({ bytes });
  const since = await telegramSeq();
  await postUpdate({ update: voiceUpdate({ user: ids.user, fileId: file.file_id, duration: 1 }) });
  await waitForCall({
    chatId: ids.chatId,
    since,
    where: (call) => textOf(call).startsWith("🎤 Transcript of audio.ogg"),
  });
  await waitForCall({
    chatId: ids.chatId,
    since,
    where: (call) => textOf(call).startsWith("Echo: Transcript of audio.ogg"),
  });
  const entries = await ledgerOf(db, account.id);
  expect(entries.map(({ kind, source, status }) => `${kind}/${source}/${status}`)).toEqual([
    "transcription/telegram/settled",
    "chat/telegram/settled",
  ]);
  expect(entries.every((entry) => num(entry.costMicros) > 0)).toBe(true);
});

test("inline mode answers with an article holding the model's answer, metered to the linked user", async ({ db }) => {
  const { account, ids } = await linkedTelegram(db);
  const question = `inline question ${randomUUID()}`;
  const update = inlineQueryUpdate({ user: ids.user, query: question });
  await postUpdate({ update });
  const answer = await waitForCall({
    method: "answerInlineQuery",
    where: (call) => (call.params as { inline_query_id?: string }).inline_query_id === update.inline_query.id,
  });
  expect(answer.status).toBe(200);
  const [article] = params(answer).results as { input_message_content: { message_text: string } }[];
  expect(article?.input_message_content.message_text).toBe(`Echo: ${question}`);
  const entries = await ledgerOf(db, account.id);
  expect(entries.map(({ kind, source, status }) => `${kind}/${source}/${status}`)).toEqual(["chat/telegram/settled"]);
});

test("in a group the bot answers only when mentioned or replied to", async ({ db, upstream }) => {
  const { ids } = await linkedTelegram(db);
  const ignored = `just chatting ${randomUUID()}`;
  await postUpdate({ update: textUpdate({ user: ids.user, chat: ids.group, text: ignored }) });
  const asked = `question for the bot ${randomUUID()}`;
  await postUpdate({ update: mentionUpdate({ user: ids.user, chat: ids.group, text: asked }) });
  const reply = await waitForCall({ chatId: ids.groupId, where: (call) => textOf(call) === `Echo: ${asked}` });
  // In a group the answer quotes the message it answers.
  expect(JSON.stringify(reply.params)).toContain("reply_parameters");
  expect(await upstream.requests({ containing: ignored })).toHaveLength(0);
});

test("/image sends a generated image, metered as an image on the ledger", async ({ db }) => {
  const { account, ids } = await linkedTelegram(db);
  const since = await telegramSeq();
  await postUpdate({ update: textUpdate({ user: ids.user, text: `/image a lighthouse ${randomUUID()}` }) });
  const photo = await waitForCall({ chatId: ids.chatId, since, method: "sendPhoto" });
  expect(photo.status).toBe(200);
  expect(params(photo).caption).toMatch(/^gpt-image-1 · \$\d/);
  const entries = await ledgerOf(db, account.id);
  expect(entries.map(({ kind, source, status }) => `${kind}/${source}/${status}`)).toEqual(["image/telegram/settled"]);
});

test("a chat that blocked the bot still has its reply settled, and other chats go on", async ({ db }) => {
  const blocked = await linkedTelegram(db);
  const other = await linkedTelegram(db);
  await blockBot(blocked.ids.chatId);
  const marker = `into the void ${randomUUID()}`;
  await postUpdate({ update: textUpdate({ user: blocked.ids.user, text: marker }) });
  await say(other.ids, `still here ${randomUUID()}`, "Echo: still here");
  await expect
    .poll(async () => (await ledgerOf(db, blocked.account.id)).map((entry) => entry.status), { timeout: 30_000 })
    .toEqual(["settled"]);
  const stored = await db.query(`SELECT "content" FROM "Message" WHERE "role" = 'assistant' AND "content" = $1`, [
    `Echo: ${marker}`,
  ]);
  expect(stored).toHaveLength(1);
});
