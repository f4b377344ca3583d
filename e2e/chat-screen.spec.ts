// The chat screen while it is used: typing beside a long conversation, Stop, scrolling during a stream, the header,
// the tab title and the sidebar as a chat begins, and a draft over the length limit.
import { randomUUID } from "node:crypto";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

test.beforeEach(async ({ page, account: _signedIn }) => {
  await page.goto("/");
  await new ChatPage(page).expectReady();
});

/** A reply with some of everything Markdown renders: headings, emphasis, lists, a table, code. */
const MARKDOWN_REPLY = [
  "## A heading",
  "Some **bold**, some _emphasis_ and `inline code`, then a list:",
  "- first point\n- second point\n  - nested",
  "| model | price |\n| --- | --- |\n| gpt-5-mini | $0.25 |",
  "```ts\nconst total = entries.reduce((sum, e) => sum + e.costMicros, 0);\n```",
].join("\n\n");

/** A conversation of `turns` exchanges, through the real API (the fake replies at once); returns its id. */
async function seedConversation(page: Page, turns: number): Promise<string> {
  const conversationId = randomUUID();
  for (let turn = 0; turn < turns; turn++) {
    const response = await page.request.post("/api/chat", {
      data: { conversationId, model: "gpt-5-mini", text: `[[reply:${MARKDOWN_REPLY}]] question ${turn}` },
    });
    expect(response.ok(), `turn ${turn}`).toBe(true);
    // The reply is stored before its stream ends.
    await response.text();
  }
  return conversationId;
}

test("an example prompt of a new chat goes into the composer, focused, to send or change", async ({ page }) => {
  const chat = new ChatPage(page);
  const examples = page.getByRole("list", { name: "Example prompts" }).getByRole("button");
  await expect(examples).toHaveCount(4);
  const text = (await examples.nth(2).textContent()) ?? "";
  expect(text.length).toBeGreaterThan(10);
  await examples.nth(2).click();
  await expect(chat.composer).toHaveValue(text);
  await expect(chat.composer).toBeFocused();
});

test("typing re-renders no message, however long the conversation", async ({ page }) => {
  // Thirty replies through the API, a long page to load and hydrate, and Shiki to load: on a loaded machine that
  // outlasts the default budget.
  test.setTimeout(240_000);
  const conversationId = await seedConversation(page, 30);
  await page.goto(`/c/${conversationId}`);
  const chat = new ChatPage(page);
  // The latest page (as much text as fills several screens: lib/db/conversations.ts FIRST_PAGE_TEXT_LENGTH): the older
  // exchanges load on scroll, and their share of the estimate below is counted by the server while the user types,
  // which must not render a message either.
  await expect(chat.lastAssistant()).toBeVisible();
  const shown = await chat.assistantMessages().count();
  expect(shown, "the first page holds the latest replies, not all 30").toBeLessThan(30);
  expect(shown).toBeGreaterThanOrEqual(10);
  // The code blocks on screen are coloured once hydrated and Shiki loaded (all of them at once): that render comes
  // first.
  await expect(chat.lastAssistant().locator("pre")).toHaveAttribute("data-highlighted", "true", { timeout: 60_000 });

  // React gives an element a new props object each time the component that renders it runs again (and keeps the
  // old one when it does not), so a changed object under a message is a message rendered again. Counting renders
  // this way is exact and independent of the machine's speed.
  // Hydration reaches every element first (the server's HTML has no props to compare).
  const snapshot = () =>
    page.evaluate(() => {
      const elements = [...document.querySelectorAll("[data-role], [data-role] *")];
      const props = elements.map((element) => {
        const key = Object.keys(element).find((name) => name.startsWith("__reactProps$"));
        return key ? (element as unknown as Record<string, unknown>)[key] : undefined;
      });
      (window as unknown as { messageProps: unknown[] }).messageProps = props;
      return { elements: elements.length, hydrated: props.filter((value) => value !== undefined).length };
    });
  await expect
    .poll(
      async () => {
        const { elements, hydrated } = await snapshot();
        return elements - hydrated;
      },
      { timeout: 30_000 },
    )
    .toBe(0);
  expect((await snapshot()).elements).toBeGreaterThan(300);

  const draft = "a question typed key by key";
  await chat.composer.pressSequentially(draft);
  await expect(chat.composer).toHaveValue(draft);
  await expect(chat.meter("Next message")).toContainText(/\d+ prompt tokens/);

  const rendered = await page.evaluate(() => {
    const before = (window as unknown as { messageProps: unknown[] }).messageProps;
    const elements = [...document.querySelectorAll("[data-role], [data-role] *")];
    return elements.filter((element, index) => {
      const key = Object.keys(element).find((name) => name.startsWith("__reactProps$"));
      return key !== undefined && (element as unknown as Record<string, unknown>)[key] !== before[index];
    }).length;
  });
  expect(rendered, "elements of messages rendered again while typing").toBe(0);
});

test("Stop shows Stopped and the estimated cost at once, and the reply shown is the reply stored", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.send("[[words:5000]][[slow:40]] stop me soon");
  const reply = chat.lastAssistant();
  await expect(reply).toContainText("word5");
  await page.getByRole("button", { name: "Stop", exact: true }).click();

  // No reload: the screen catches up with what the server settled and stored.
  const usage = chat.usage(reply);
  await expect(usage).toContainText("Stopped");
  await expect(usage.getByText("estimated", { exact: true })).toBeVisible();
  await expect(usage).toContainText(/~\d+ completion tokens/);
  const cost = (await usage.getByText(/^\$0\.\d{6}$/).textContent()) ?? "";
  await expect(chat.meter("This chat")).toContainText(cost);
  await expect(chat.meter("This chat")).toContainText("incl. estimated");

  const id = await chat.conversationId();
  const stored = (await (await page.request.get(`/api/conversations/${id}`)).json()) as {
    conversation: { messages: { role: string; content: string; status: string }[] };
  };
  const last = stored.conversation.messages.at(-1);
  expect(last?.status).toBe("stopped");
  await expect(reply.locator(".prose-chat")).toHaveText(last?.content ?? "(nothing stored)");
});

/** Where the conversation's scrolling container (the nearest one around its messages) is scrolled to. */
function scrollPosition(page: Page) {
  return page.evaluate(() => {
    let element = document.querySelector("[data-role]")?.parentElement ?? null;
    while (element && !/(auto|scroll)/.test(getComputedStyle(element).overflowY)) element = element.parentElement;
    if (!element) throw new Error("no scrolling container around the messages");
    return { top: element.scrollTop, fromBottom: element.scrollHeight - element.scrollTop - element.clientHeight };
  });
}

/** The number of the last word a `[[words:N]]` reply shows so far. */
async function lastWord(reply: Locator): Promise<number> {
  const text = (await reply.textContent()) ?? "";
  return Number(text.match(/word(\d+)\s*$/)?.[1] ?? 0);
}

test("while a reply streams the reader may scroll up; the view follows only from the bottom", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.send("[[words:8000]][[slow:25]] a very long story");
  const reply = chat.lastAssistant();
  const fromBottom = async () => (await scrollPosition(page)).fromBottom;
  // Long enough to scroll, and following the stream so far.
  await expect.poll(async () => (await reply.boundingBox())?.height ?? 0, { timeout: 30_000 }).toBeGreaterThan(1_200);
  await expect.poll(fromBottom).toBeLessThan(40);

  const box = await reply.boundingBox();
  await page.mouse.move((box?.x ?? 0) + 50, 300);
  await page.mouse.wheel(0, -600);
  await expect.poll(fromBottom).toBeGreaterThan(400);
  const readingAt = (await scrollPosition(page)).top;

  // The stream goes on (at least 40 more words) and the reader stays where they were.
  const word = await lastWord(reply);
  await expect(reply).toContainText(`word${word + 40}`);
  expect(Math.abs((await scrollPosition(page)).top - readingAt)).toBeLessThan(2);
  const jump = page.getByRole("button", { name: "Jump to latest" });
  await expect(jump).toBeVisible();

  // Back at the bottom, the view follows the stream again.
  await jump.click();
  await expect.poll(fromBottom).toBeLessThan(40);
  await expect(jump).toBeHidden();
  const later = await lastWord(reply);
  await expect(reply).toContainText(`word${later + 40}`);
  await expect.poll(fromBottom).toBeLessThan(40);
  await page.getByRole("button", { name: "Stop", exact: true }).click();
});

/** `count` distinct-looking CJK ideographs: about 57,000 o200k tokens for 30,000, over the 40,000-token limit. */
function rareCharacters(count: number): string {
  return Array.from({ length: count }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919 + 13) % 20902))).join("");
}

test("a refused message in a chat with replies keeps the chat's title in the header", async ({ page }) => {
  const chat = new ChatPage(page);
  const header = page.getByRole("main").getByRole("heading", { level: 1 });
  await chat.send("Plan a trip to Kyoto");
  await chat.waitForReply();
  await expect(header).toHaveText("Plan a trip to Kyoto");

  await chat.composer.fill(rareCharacters(30_000));
  await chat.composer.press("Enter");
  await expect(chat.alert()).toContainText("40,000 tokens");
  await expect(header).toHaveText("Plan a trip to Kyoto");
  await expect(page).toHaveTitle("Plan a trip to Kyoto · ChatLedger");
});

test("the tab shows the chat's title from its first message, without a reload", async ({ page }) => {
  const chat = new ChatPage(page);
  await expect(page).toHaveTitle("ChatLedger");
  await chat.send("Compare two databases");
  await expect(page).toHaveTitle("Compare two databases · ChatLedger");
  await chat.waitForReply();
  await expect(page).toHaveTitle("Compare two databases · ChatLedger");

  // A first message the server refuses leaves a new chat, and so a plain title.
  await page.goto("/");
  await expect(page).toHaveTitle("ChatLedger");
  await chat.composer.fill(rareCharacters(30_000));
  await chat.composer.press("Enter");
  await expect(chat.alert()).toContainText("40,000 tokens");
  await expect(page).toHaveTitle("ChatLedger");
});

test("a new chat appears in the sidebar as soon as it is sent, before its reply ends", async ({ page }) => {
  const chat = new ChatPage(page);
  // Far longer than the test may take: Stop is there to press at the end.
  const text = "[[words:2000]][[slow:250]] Sidebar at once";
  await chat.send(text);
  await expect(chat.sidebar.getByRole("link", { name: text })).toBeVisible();
  // Still answering: the link did not wait for the reply.
  await expect(page.getByRole("button", { name: "Stop", exact: true })).toBeVisible();
  await expect(chat.lastAssistant()).not.toContainText("word2000");
  await expect(chat.sidebar.getByRole("link", { name: text })).toHaveAttribute("aria-current", "page");
  await page.getByRole("button", { name: "Stop", exact: true }).click();
});

test("a draft over the length limit is kept whole, says so, and is not sent", async ({ page, upstream }) => {
  const chat = new ChatPage(page);
  const marker = `too-long-${Date.now()}`;
  const long = `${marker} ${"lorem ipsum ".repeat(2_700)}`;
  expect(long.length).toBeGreaterThan(32_000);
  // Pasted text arrives as one insertion, as `fill` inserts it.
  await chat.composer.fill(long);
  await expect(chat.composer).toHaveJSProperty("textLength", long.length);
  await expect(chat.composer).toHaveAccessibleDescription(
    `This message is ${long.length.toLocaleString("en-US")} characters long; messages are limited to 32,000 characters.`,
  );
  await expect(page.getByRole("button", { name: "Send", exact: true })).toBeDisabled();
  await chat.composer.press("Enter");
  await expect(chat.composer).toHaveJSProperty("textLength", long.length);
  await expect(chat.userMessages()).toHaveCount(0);

  // Shortened to the limit, it goes.
  await chat.composer.fill(long.slice(0, 32_000));
  await expect(chat.composer).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("button", { name: "Send", exact: true })).toBeEnabled();
  await chat.composer.press("Enter");
  await chat.waitForReply();
  expect(await upstream.requests({ containing: marker })).toHaveLength(1);
});

test("a chat whose model was since removed opens with an offered model, says so, and sends", async ({
  page,
  db,
  upstream,
}) => {
  const chat = new ChatPage(page);
  await chat.send("A chat from last year");
  await chat.waitForReply();
  const id = await chat.conversationId();
  // The operator no longer offers the model this chat used.
  await db.query(`UPDATE "Conversation" SET "model" = 'gpt-3.5-turbo' WHERE "id" = $1`, [id]);
  await page.reload();

  const picker = page.getByRole("combobox", { name: "Model" });
  await expect(picker).toHaveValue("gpt-5-mini");
  await expect(picker.locator("option", { hasText: "gpt-3.5-turbo" })).toHaveCount(0);
  const notice = page.getByText("This chat used gpt-3.5-turbo, which is no longer offered.");
  await expect(notice).toContainText("New messages go to gpt-5-mini");

  const marker = `after the model was removed ${Date.now()}`;
  await chat.send(marker);
  await chat.waitForReply(1);
  await expect(chat.alert()).toHaveCount(0);
  await expect(notice).toBeHidden();
  const sent = await upstream.requests({ containing: marker });
  expect(sent.map((request) => (request.body as { model: string }).model)).toEqual(["gpt-5-mini"]);

  // The chat now uses the model it was sent with.
  await page.reload();
  await expect(picker).toHaveValue("gpt-5-mini");
  await expect(notice).toBeHidden();
});
