import { newSignedInPage } from "./accounts";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

test("another user's conversation is a 404 in pages and every API", async ({
  page,
  browser,
  upstream,
  db,
  account: _owner,
}) => {
  const owner = new ChatPage(page);
  await page.goto("/");
  const secret = `secret-${Date.now()}`;
  await owner.send(`My private note ${secret}`);
  await owner.waitForReply();
  const id = await owner.conversationId();

  const { context, page: intruderPage } = await newSignedInPage(browser, db, "intruder");
  try {
    await intruderPage.goto("/");
    await new ChatPage(intruderPage).expectReady();

    const response = await intruderPage.goto(`/c/${id}`);
    expect(response?.status()).toBe(404);
    await expect(intruderPage.getByRole("heading", { name: "Conversation not found" })).toBeVisible();
    await expect(intruderPage.getByText(secret)).toHaveCount(0);
    await expect(new ChatPage(intruderPage).sidebar.getByRole("link", { name: new RegExp(secret) })).toHaveCount(0);

    const api = intruderPage.request;
    const get = await api.get(`/api/conversations/${id}`);
    expect(get.status()).toBe(404);
    expect(JSON.stringify(await get.json())).not.toContain(secret);
    expect((await api.patch(`/api/conversations/${id}`, { data: { title: "mine now" } })).status()).toBe(404);
    expect((await api.delete(`/api/conversations/${id}`)).status()).toBe(404);

    const hijack = `hijack-${secret}`;
    const post = await api.post("/api/chat", { data: { conversationId: id, model: "gpt-5-mini", text: hijack } });
    expect(post.status()).toBe(404);
    expect(
      (await api.post("/api/chat", { data: { conversationId: id, model: "gpt-5-mini", retry: true } })).status(),
    ).toBe(404);
    expect(await upstream.requests({ containing: hijack })).toEqual([]);
    const list = await (await api.get("/api/conversations")).json();
    expect(list.conversations).toEqual([]);
  } finally {
    await context.close();
  }

  // The owner's conversation is untouched.
  const mine = await page.request.get(`/api/conversations/${id}`);
  expect(mine.status()).toBe(200);
  const { conversation } = await mine.json();
  expect(conversation.title).toBe(`My private note ${secret}`);
  expect(conversation.messages.map((m: { content: string }) => m.content)).not.toContain(`hijack-${secret}`);
  expect(conversation.messages).toHaveLength(2);
});
