// A reply outlives the page that asked for it: reloading, going to another chat and back, or closing the tab does not
// stop it; the server writes it to its end, stores it and charges the upstream's own usage, and a page that comes back
// attaches to it. Only Stop stops a reply, and only its owner can stop or follow it.
import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { newSignedInPage } from "./accounts";
import { num, type TestDatabase } from "./db";
import { expect, test, type Upstream } from "./fixtures";
import { ChatPage } from "./pages/chat-page";
import { createApiUser } from "./sessions";

// 60 words, one every 250 ms: about 15 s, long enough to leave and come back in the middle of it.
const SLOW_REPLY = "[[words:60]][[slow:250]][[usage:1000/500]]";
// gpt-5-mini: 1,000 × $0.25/1M + 500 × $2.00/1M = 250 + 1,000 micro-USD.
const SLOW_REPLY_MICROS = 1_250;

test.beforeEach(async ({ page, account: _signedIn }) => {
  await page.goto("/");
  await new ChatPage(page).expectReady();
});

/** Sends a slow reply from the chat page and waits for its first words; returns the chat, its id and the marker. */
async function startSlowReply(page: Page, name: string, reply = SLOW_REPLY) {
  const chat = new ChatPage(page);
  const marker = `resume-${name}-${randomUUID()}`;
  await chat.send(`${marker} ${reply}`);
  await expect(chat.lastAssistant()).toContainText("word3");
  return { chat, marker, conversationId: await chat.conversationId() };
}

/** The chat shows the slow reply so far, then to its end, complete (not Stopped) at its exact cost. */
async function expectStreamsToTheEnd(chat: ChatPage) {
  const reply = chat.lastAssistant();
  await expect(reply).toContainText("word3");
  await chat.waitForReply();
  await expect(reply).toContainText("word60");
  await expect(chat.usage(reply)).not.toContainText("Stopped");
  await expect(chat.usage(reply)).toContainText("$0.001250");
}

async function storedReply(db: TestDatabase, conversationId: string) {
  const [message] = await db.query<{ content: string; status: string }>(
    `SELECT "content", "status" FROM "Message" WHERE "conversationId" = $1 AND "role" = 'assistant'`,
    [conversationId],
  );
  const entries = await db.query<{ status: string; costMicros: unknown; isEstimated: unknown; messageId: unknown }>(
    `SELECT "status", "costMicros", "isEstimated", "messageId" FROM "LedgerEntry" WHERE "conversationId" = $1`,
    [conversationId],
  );
  return { message, entries };
}

/** The reply was written to its end and charged the upstream's usage, exactly. */
async function expectStoredComplete({
  db,
  upstream,
  conversationId,
  marker,
}: {
  db: TestDatabase;
  upstream: Upstream;
  conversationId: string;
  marker: string;
}) {
  await expect
    .poll(async () => (await storedReply(db, conversationId)).message?.status, { timeout: 60_000 })
    .toBe("complete");
  const { message, entries } = await storedReply(db, conversationId);
  expect(message?.content).toMatch(/^word1 word2 .* word60$/);
  expect(entries).toHaveLength(1);
  expect(entries[0]?.status).toBe("settled");
  expect(Boolean(num(entries[0]?.isEstimated))).toBe(false);
  expect(num(entries[0]?.costMicros)).toBe(SLOW_REPLY_MICROS);
  const [sent] = await upstream.requests({ containing: marker });
  expect(sent?.closedByClient).toBe(false);
  expect(sent?.deltasSent).toBe(60);
}

test("a reload mid-reply shows the reply so far, then in full, stored complete at its exact cost", async ({
  page,
  db,
  upstream,
}) => {
  const { chat, marker, conversationId } = await startSlowReply(page, "reload");

  await page.reload();
  // What was streamed before the reload is there again, and the rest streams in.
  await expectStreamsToTheEnd(chat);
  await expect(chat.assistantMessages()).toHaveCount(1);
  await expectStoredComplete({ db, upstream, conversationId, marker });
});

test("a reload while a reply is regenerated shows the new version streaming, not under the old one", async ({
  page,
  db,
}) => {
  // 60 words, one every 150 ms: the first reply is waited for, the regenerated one is reloaded in the middle.
  const { chat, conversationId } = await startSlowReply(page, "regenerate", "[[words:60]][[slow:150]]");
  await chat.waitForReply();
  const reply = chat.lastAssistant();
  await expect(reply).toContainText("word60");
  await reply.getByRole("button", { name: "Regenerate" }).click();
  await expect(page.getByRole("button", { name: "Stop", exact: true })).toBeVisible();
  await expect(chat.lastAssistant()).toContainText("word3");
  await expect(chat.lastAssistant()).not.toContainText("word60");

  await page.reload();
  await expect(chat.lastAssistant()).toContainText("word3");
  await chat.waitForReply();
  await expect(chat.assistantMessages()).toHaveCount(1);
  // One version's text, not the older one's followed by the new one's.
  await expect(chat.lastAssistant()).toContainText(/word1 .*word60/);
  await expect(chat.lastAssistant()).not.toContainText(/word60.*word1 /);
  await expect(chat.versions(chat.lastAssistant())).toContainText("2/2");
  await expect
    .poll(
      async () =>
        (
          await db.query(
            `SELECT "id" FROM "Message" WHERE "conversationId" = $1 AND "role" = 'assistant' AND "status" = 'complete'`,
            [conversationId],
          )
        ).length,
      { timeout: 60_000 },
    )
    .toBe(2);
});

test("going to another chat and back mid-reply loses nothing", async ({ page, db, upstream }) => {
  const other = `other-chat-${randomUUID()}`;
  const seeded = await page.request.post("/api/chat", {
    data: { conversationId: randomUUID(), model: "gpt-5-mini", text: other },
  });
  expect(seeded.ok()).toBe(true);
  await seeded.text();

  await page.goto("/");
  const { chat, marker, conversationId } = await startSlowReply(page, "switch");

  await chat.sidebar.getByRole("link", { name: other }).click();
  await expect(chat.lastAssistant()).toContainText(`Echo: ${other}`);
  await chat.sidebar.getByRole("link", { name: marker }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${conversationId}$`));
  await expectStreamsToTheEnd(chat);
  await expectStoredComplete({ db, upstream, conversationId, marker });
});

test("closing the page mid-reply still stores the reply complete", async ({ page, db, upstream }) => {
  const { marker, conversationId } = await startSlowReply(page, "close");
  await page.close();
  await expectStoredComplete({ db, upstream, conversationId, marker });
});

test("the browser going away mid-reply (all its connections cut) still settles and stores the reply", async ({
  browser,
  db,
  upstream,
}) => {
  // A browser of its own, so that closing it cuts every connection it had, as a laptop lid or a lost network does;
  // on a serverless host the function lives on until the reply is settled and stored (lib/keep-alive.ts).
  const { account, context, page } = await newSignedInPage(browser, db, "disconnect");
  await page.goto("/");
  const { marker, conversationId } = await startSlowReply(page, "disconnect");
  await context.close();
  await expectStoredComplete({ db, upstream, conversationId, marker });
  const open = await db.query(`SELECT "id" FROM "LedgerEntry" WHERE "userId" = $1 AND "status" = 'reserved'`, [
    account.id,
  ]);
  expect(open).toEqual([]);
});

test("Stop stops the upstream call and charges the estimate", async ({ page, db, upstream }) => {
  // Far longer than the test may take.
  const { chat, marker, conversationId } = await startSlowReply(page, "stop", "[[words:3000]][[slow:80]]");
  await page.getByRole("button", { name: "Stop", exact: true }).click();
  await expect(chat.usage(chat.lastAssistant())).toContainText("Stopped");

  await expect
    .poll(async () => (await upstream.requests({ containing: marker }))[0]?.closedByClient, { timeout: 30_000 })
    .toBe(true);
  const [sent] = await upstream.requests({ containing: marker });
  expect(sent?.deltasSent).toBeLessThan(3000);
  await expect.poll(async () => (await storedReply(db, conversationId)).message?.status).toBe("stopped");
  const { entries } = await storedReply(db, conversationId);
  expect(entries.map((entry) => entry.status)).toEqual(["settled"]);
  expect(Boolean(num(entries[0]?.isEstimated))).toBe(true);
  expect(num(entries[0]?.costMicros)).toBeGreaterThan(0);
});

test("another user can neither stop nor follow a reply", async ({ page, baseURL, db, upstream }) => {
  const { chat, marker, conversationId } = await startSlowReply(page, "other-user");

  const intruder = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "intruder" });
  const stop = await intruder.api.post("/api/chat/stop", { data: { conversationId } });
  expect(stop.status()).toBe(404);
  const follow = await intruder.api.get(`/api/chat/${conversationId}/stream`);
  expect(follow.status()).toBe(404);
  expect(await follow.text()).not.toContain("word");
  // The owner can follow it: the same request answers with the reply so far.
  const own = await page.request.get(`/api/chat/${conversationId}/stream`);
  expect(own.status()).toBe(200);
  expect(await own.text()).toContain("word60");

  // Bad input and anonymous requests are refused, nothing is stopped.
  expect((await intruder.api.post("/api/chat/stop", { data: { conversationId: "../x" } })).status()).toBe(400);
  expect((await intruder.api.get("/api/chat/x/stream")).status()).toBe(400);
  const anonymous = await fetch(`${baseURL}/api/chat/stop`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ conversationId }),
  });
  expect(anonymous.status).toBe(401);

  await chat.waitForReply();
  await expect(chat.usage(chat.lastAssistant())).not.toContainText("Stopped");
  await expectStoredComplete({ db, upstream, conversationId, marker });
});
