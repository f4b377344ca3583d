import { expect, test } from "./fixtures";
import { AuthPage } from "./pages/auth-page";
import { ChatPage } from "./pages/chat-page";

test.beforeEach(async ({ page, account: _signedIn }) => {
  await page.goto("/");
  await new ChatPage(page).expectReady();
});

test("a reply visibly streams token by token", async ({ page }) => {
  const chat = new ChatPage(page);
  // Record every text the reply shows, in the page as the DOM changes: polling from the test could miss states on a
  // busy machine and make a streaming reply look like a burst.
  await page.evaluate(() => {
    const states: string[] = [];
    (window as unknown as { replyStates: string[] }).replyStates = states;
    new MutationObserver(() => {
      const replies = document.querySelectorAll('article[data-role="assistant"] .prose-chat');
      const text = replies[replies.length - 1]?.textContent?.trim() ?? "";
      if (text.startsWith("word") && states.at(-1) !== text) states.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  // A quarter second between words: even a browser starved of CPU renders some of them apart.
  const response = page.waitForResponse((r) => r.url().endsWith("/api/chat") && r.request().method() === "POST");
  await chat.send("[[words:12]][[slow:250]] count for me");
  await chat.waitForReply();
  // The event stream goes out uncompressed (no-transform), though the browser accepts gzip: no flush per frame.
  const headers = (await response).headers();
  expect(headers["cache-control"]).toContain("no-transform");
  expect(headers["content-encoding"]).toBeUndefined();

  const states = await page.evaluate(() => (window as unknown as { replyStates: string[] }).replyStates);
  expect(states.at(-1)).toBe("word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12");
  // Several partial states were on screen before the whole reply, each extending the one before.
  const partial = states.slice(0, -1);
  expect(partial.length).toBeGreaterThanOrEqual(2);
  for (const [i, state] of partial.entries()) expect(states[i + 1]?.startsWith(state)).toBe(true);
});

test("each reply shows the upstream's reported token usage and the model", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.send("[[usage:12345/678]] How much?");
  const reply = await chat.waitForReply();
  await expect(reply).toContainText("Echo: How much?");
  const usage = chat.usage(reply);
  await expect(usage).toContainText("12,345 prompt tokens");
  await expect(usage).toContainText("678 completion tokens");
  await expect(usage).toContainText("gpt-5-mini");

  await chat.send("[[usage:2000/30/1500/12]] and with cache?");
  const second = await chat.waitForReply(1);
  await expect(chat.usage(second)).toContainText("1,500 cached");
  await expect(chat.usage(second)).toContainText("12 reasoning");
});

test("the whole history goes upstream, the title comes from the first message, Shift+Enter adds a line", async ({
  page,
  upstream,
}) => {
  const chat = new ChatPage(page);
  const marker = `hist-${Date.now()}`;
  await chat.send(`Plan a trip to Kyoto ${marker}`);
  await chat.waitForReply(0);
  const id = await chat.conversationId();
  await expect(chat.sidebar.getByRole("link", { name: `Plan a trip to Kyoto ${marker}` })).toHaveAttribute(
    "href",
    `/c/${id}`,
  );

  await chat.composer.fill("line one");
  await chat.composer.press("Shift+Enter");
  await chat.composer.pressSequentially("line two");
  await expect(chat.composer).toHaveValue("line one\nline two");
  await chat.composer.press("Enter");
  await chat.waitForReply(1);
  await expect(chat.userMessages().nth(1)).toHaveText("line one\nline two");

  const sent = await upstream.requests({ containing: "line two" });
  expect(sent).toHaveLength(1);
  const body = sent[0]?.body as { model: string; stream: boolean; messages: { role: string; content: unknown }[] };
  expect(body.model).toBe("gpt-5-mini");
  expect(body.stream).toBe(true);
  expect(body.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
  expect(JSON.stringify(body.messages[0]?.content)).toContain(`Plan a trip to Kyoto ${marker}`);
  expect(JSON.stringify(body.messages[1]?.content)).toContain(`Echo: Plan a trip to Kyoto ${marker}`);
});

test("history survives a reload and a new sign-in from another browser", async ({ page, browser, account }) => {
  const chat = new ChatPage(page);
  await chat.send("[[usage:10/3]] Remember the number 4711");
  await chat.waitForReply();
  const id = await chat.conversationId();

  await page.reload();
  await expect(chat.userMessages()).toHaveText(["[[usage:10/3]] Remember the number 4711"]);
  await expect(chat.lastAssistant()).toContainText("Echo: Remember the number 4711");
  await expect(chat.usage(chat.lastAssistant())).toContainText("10 prompt tokens");

  const other = await browser.newContext();
  try {
    const otherPage = await other.newPage();
    await new AuthPage(otherPage).signIn({ email: account.email, password: account.password });
    const otherChat = new ChatPage(otherPage);
    await otherChat.expectReady();
    await otherChat.sidebar.getByRole("link", { name: "[[usage:10/3]] Remember the number 4711" }).click();
    await expect(otherPage).toHaveURL(new RegExp(`/c/${id}$`));
    await expect(otherChat.lastAssistant()).toContainText("Echo: Remember the number 4711");
    await expect(otherChat.usage(otherChat.lastAssistant())).toContainText("3 completion tokens");
  } finally {
    await other.close();
  }
});

test("stopping a reply keeps what arrived and marks it stopped", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.send("[[words:3000]][[slow:100]] long answer");
  await expect(chat.lastAssistant()).toContainText("word3");
  await page.getByRole("button", { name: "Stop", exact: true }).click();
  await expect(page.getByRole("button", { name: "Send", exact: true })).toBeVisible();
  // The server stores the partial reply when it sees the abort; reload until it has.
  const reply = chat.lastAssistant();
  await expect(async () => {
    await page.reload();
    await expect(chat.usage(reply)).toContainText("Stopped", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(reply).toContainText("word1 word2 word3");
  await expect(reply).not.toContainText("word3000");
});

test("Stop only stops: a draft typed while the reply streams stays in the box and is not sent", async ({
  page,
  upstream,
}) => {
  const chat = new ChatPage(page);
  await chat.send("[[words:3000]][[slow:80]] keep talking");
  await expect(chat.lastAssistant()).toContainText("word3");
  const draft = `my next question ${Date.now()}`;
  await chat.composer.fill(draft);
  // Enter while the reply streams does not send either.
  await chat.composer.press("Enter");
  await page.getByRole("button", { name: "Stop", exact: true }).click();
  await expect(page.getByRole("button", { name: "Send", exact: true })).toBeEnabled();
  await expect(chat.composer).toHaveValue(draft);
  // Once the stopped reply is stored, a wrongly sent draft would have been stored and sent upstream too.
  const stopped = chat.assistantMessages().first();
  await expect(async () => {
    await page.reload();
    await expect(chat.usage(stopped)).toContainText("Stopped", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(chat.userMessages()).toHaveCount(1);
  await expect(chat.userMessages().filter({ hasText: draft })).toHaveCount(0);
  expect(await upstream.requests({ containing: draft })).toEqual([]);
});
