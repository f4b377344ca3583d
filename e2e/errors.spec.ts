import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

test.beforeEach(async ({ page, account: _signedIn }) => {
  await page.goto("/");
  await new ChatPage(page).expectReady();
});

test("an upstream server error is shown, the message is kept, and Retry recovers", async ({ page, upstream }) => {
  const chat = new ChatPage(page);
  const text = `[[status-once:401]] hello after failure ${Date.now()}`;
  await chat.send(text);
  await expect(chat.alert()).toContainText("rejected the API key (401)");
  await expect(chat.userMessages()).toHaveText([text]);

  // The failure is stored: it is still there after a reload, with its Retry button.
  await page.reload();
  await expect(chat.userMessages()).toHaveText([text]);
  await expect(chat.alert()).toContainText("401");

  await chat.alert().getByRole("button", { name: "Retry" }).click();
  const reply = await chat.waitForReply();
  await expect(reply).toContainText("Echo: hello after failure");
  await expect(chat.alert()).toHaveCount(0);
  await expect(chat.userMessages()).toHaveCount(1);

  // Retrying sent the same single user message again, not a duplicate.
  const sent = await upstream.requests({ containing: text });
  expect(sent.length).toBe(2);
  const lastBody = sent.at(-1)?.body as { messages: unknown[] };
  expect(lastBody.messages).toHaveLength(1);

  await page.reload();
  await expect(chat.alert()).toHaveCount(0);
  await expect(chat.lastAssistant()).toContainText("Echo: hello after failure");
});

test("rate limits and server errors read clearly, even after the automatic retry", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.send("[[status:429]] busy?");
  await expect(chat.alert()).toContainText("rate limiting requests (429)");
  await chat.send("[[status:500]] broken?");
  await expect(chat.alert()).toContainText("server error (500)");
  await expect(chat.userMessages()).toHaveCount(2);
});

test("a stream cut mid-reply keeps the partial text and says so", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.send("[[words:10]][[cut:4]] cut me");
  await expect(chat.alert()).toBeVisible({ timeout: 20_000 });
  await expect(chat.lastAssistant()).toContainText("word1 word2 word3 word4");
});

/** `count` distinct-looking CJK ideographs, deterministic: about 57,000 o200k tokens for 30,000. */
function rareCharacters(count: number): string {
  return Array.from({ length: count }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919 + 13) % 20902))).join("");
}

test("bad input gets a clear 400 and writes nothing", async ({ page, upstream }) => {
  const api = page.request;
  const conversationId = `bad-input-${Date.now()}`;
  const marker = `never-sent-${conversationId}`;
  const cases: [string, unknown, RegExp][] = [
    ["empty", { conversationId, model: "gpt-5-mini", text: "   " }, /Type a message/],
    ["unknown model", { conversationId, model: "gpt-nonexistent-9", text: marker }, /Unknown model/],
    ["bad id", { conversationId: "../x", model: "gpt-5-mini", text: marker }, /Invalid conversation id/],
    ["extra field", { conversationId, model: "gpt-5-mini", text: marker, messages: [] }, /.+/],
    [
      "too long",
      { conversationId, model: "gpt-5-mini", text: marker + "x".repeat(40_000) },
      /limited to 32,000 characters/,
    ],
    ["oversized", { conversationId, model: "gpt-5-mini", text: marker + "x".repeat(300_000) }, /too large/],
    // Within the character limit, over the byte limit (4 bytes each): refused before any counting.
    ["too many bytes", { conversationId, model: "gpt-5-mini", text: marker + "😀".repeat(30_000) }, /96,000 bytes/],
    // Within both, but rare characters cost about two tokens each: over the token limit, counted before reserving.
    [
      "too many tokens",
      { conversationId, model: "gpt-5-mini", text: marker + rareCharacters(30_000) },
      /40,000 tokens/,
    ],
  ];
  for (const [label, data, message] of cases) {
    const response = await api.post("/api/chat", { data });
    expect(response.status(), label).toBe(400);
    const body = await response.json();
    expect(body.error.code, label).toBe("bad_request");
    expect(body.error.message, label).toMatch(message);
  }
  const malformed = await api.post("/api/chat", {
    data: Buffer.from("{not json"),
    headers: { "content-type": "application/json" },
  });
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).error.message).toMatch(/valid JSON/);

  expect(await upstream.requests({ containing: marker })).toEqual([]);
  expect((await (await api.get("/api/conversations")).json()).conversations).toEqual([]);
  expect((await api.get(`/api/conversations/${conversationId}`)).status()).toBe(404);
  expect((await api.patch(`/api/conversations/${conversationId}`, { data: { title: "" } })).status()).toBe(400);

  // The composer does not send blank messages.
  const chat = new ChatPage(page);
  await chat.composer.fill("   ");
  await expect(page.getByRole("button", { name: "Send", exact: true })).toBeDisabled();
});
