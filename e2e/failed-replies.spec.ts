// Replies that fail after the provider began answering: what the user reads, what stays in the chat, and that every
// charge stays next to the reply it paid for, through Retry and a reload.
import { num } from "./db";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

test.beforeEach(async ({ page, account: _signedIn }) => {
  await page.goto("/");
  await new ChatPage(page).expectReady();
});

test("a stream cut mid-reply says the connection dropped; Retry keeps the fragment and its cost", async ({
  page,
  db,
  upstream,
}) => {
  const chat = new ChatPage(page);
  const text = `[[words:10]][[cut:4]] cut me ${Date.now()}`;
  await chat.send(text);
  await expect(chat.alert()).toContainText("The connection to the model provider dropped after part of the reply");
  await expect(chat.alert()).not.toContainText("refused");
  const first = chat.assistantMessages().first();
  await expect(first).toContainText("word1 word2 word3 word4");
  await expect(chat.usage(first).getByText("estimated", { exact: true })).toBeVisible();
  const firstCost =
    (await chat
      .usage(first)
      .getByText(/^\$0\.\d{6}$/)
      .textContent()) ?? "";

  // The same prompt is cut again: a second fragment comes after the first, which keeps its text and its cost.
  await chat.alert().getByRole("button", { name: "Retry" }).click();
  await expect(chat.assistantMessages()).toHaveCount(2);
  await expect(chat.alert()).toContainText("dropped after part of the reply");
  await expect(first).toContainText("word1 word2 word3 word4");
  await expect(chat.usage(first)).toContainText(firstCost);
  await expect(chat.usage(first)).toContainText("Cut off");
  await expect(chat.userMessages()).toHaveCount(1);

  // Every charge of this chat belongs to a reply still in it.
  const id = await chat.conversationId();
  await expect
    .poll(async () => {
      const entries = await db.query(
        `SELECT e."status", e."costMicros", m."status" AS "messageStatus" FROM "LedgerEntry" e
         LEFT JOIN "Message" m ON m."id" = e."messageId" WHERE e."conversationId" = $1`,
        [id],
      );
      return entries.map((entry) => `${entry.status}:${num(entry.costMicros) > 0}:${entry.messageStatus}`);
    })
    .toEqual(["settled:true:error", "settled:true:error"]);

  // After a reload both fragments are there, the earlier one with the reason it ended.
  await page.reload();
  await expect(chat.assistantMessages()).toHaveCount(2);
  await expect(first).toContainText("word1 word2 word3 word4");
  await expect(first).toContainText("The connection to the model provider dropped after part of the reply");
  await expect(chat.usage(first)).toContainText(firstCost);
  await expect(chat.alert()).toContainText("dropped after part of the reply");

  // The fragments never go upstream: the next message's history is the two user messages.
  const next = `and now in full ${Date.now()}`;
  await chat.send(next);
  await chat.waitForReply(2);
  const sent = await upstream.requests({ containing: next });
  const body = sent[0]?.body as { messages: { role: string }[] };
  expect(body.messages.map((message) => message.role)).toEqual(["user", "user"]);
});
