// A long conversation opens with its latest messages only, and the older ones load as the reader scrolls up: in
// order, none twice, the view staying on what the reader was looking at. Seeded straight into the database.
import type { Locator, Page } from "@playwright/test";
import { newSignedInPage } from "./accounts";
import { seedConversations } from "./db";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

const COUNT = 120;
/** The server's page size (lib/db/conversations.ts MESSAGE_PAGE_SIZE). */
const PAGE = 50;

/** Message n: user messages ask, replies answer in a few Markdown paragraphs (tall enough to scroll). */
function text(n: number): string {
  if (n % 2 === 0) return `Question ${n}: what comes next?`;
  return [`**Answer ${n}**`, "A paragraph of the reply.", "- one point\n- another point", "And a closing line."].join(
    "\n\n",
  );
}

/**
 * The number in each message in the page, top to bottom. Their text content: the rendered text (innerText) of a
 * message out of view is empty, as it is not laid out (content-visibility).
 */
async function shownNumbers(page: Page): Promise<number[]> {
  const texts = await page.locator("[data-message-id]").allTextContents();
  return texts.map((shown) => Number(/(?:Question|Answer) (\d+)/.exec(shown)?.[1] ?? Number.NaN));
}

/** Where a message's top edge is below the top of the scrolling view. */
function offsetInView(message: Locator): Promise<number> {
  return message.evaluate((element) => {
    const view = element.closest(".overflow-y-auto");
    return element.getBoundingClientRect().top - (view?.getBoundingClientRect().top ?? 0);
  });
}

/** The meter's estimate of the next prompt once counted (a count under way is shown grey). */
async function settledEstimate(next: Locator): Promise<string> {
  await expect(next).toContainText(/prompt tokens/);
  await expect(next.locator("span.text-zinc-400")).toHaveCount(0);
  return /([\d,]+) prompt tokens/.exec((await next.textContent()) ?? "")?.[1] ?? "";
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

test("a long conversation shows its latest messages, and older ones load in order above as the reader scrolls up", async ({
  page,
  db,
  account,
}) => {
  const [id] = await seedConversations(db, account.id, [
    { title: "A long chat", updatedAt: new Date(), messages: range(0, COUNT).map(text) },
  ]);
  const chat = new ChatPage(page);
  await page.goto(`/c/${id}`);
  await chat.expectReady();
  await expect(page.getByText(`Answer ${COUNT - 1}`)).toBeVisible();
  expect(await shownNumbers(page)).toEqual(range(COUNT - PAGE, COUNT));

  // The estimate covers the whole prompt: the older messages the browser has not loaded are counted by the server.
  const next = chat.meter("Next message");
  await chat.composer.fill("hello world");
  const estimate = await settledEstimate(next);
  expect(Number(estimate.replaceAll(",", ""))).toBeGreaterThan(COUNT * 10);
  await chat.composer.fill("");

  const scroller = page.locator(".overflow-y-auto", { has: page.locator("[data-message-id]") });
  const loadOlder = page.getByRole("button", { name: /older messages/ });
  await expect(loadOlder).toBeAttached();

  // Up to the top: the page before loads above, and the message that was at the top stays where it was in view.
  const firstShown = page.locator("[data-message-id]").first();
  await scroller.evaluate((element) => {
    element.scrollTop = 0;
  });
  const anchor = page.locator(`[data-message-id="${await firstShown.getAttribute("data-message-id")}"]`);
  const before = await offsetInView(anchor);
  await expect(page.getByText(`Question ${COUNT - 2 * PAGE}`, { exact: false })).toBeAttached();
  expect(await shownNumbers(page)).toEqual(range(COUNT - 2 * PAGE, COUNT));
  await expect.poll(() => offsetInView(anchor)).toBeCloseTo(before, 0);
  expect(await scroller.evaluate((element) => element.scrollTop)).toBeGreaterThan(0);

  // Up again: the rest, and nothing older is left to load.
  await scroller.evaluate((element) => {
    element.scrollTop = 0;
  });
  await expect(loadOlder).toHaveCount(0);
  expect(await shownNumbers(page)).toEqual(range(0, COUNT));
  const ids = await page
    .locator("[data-message-id]")
    .evaluateAll((elements) => elements.map((element) => element.getAttribute("data-message-id")));
  expect(new Set(ids).size).toBe(COUNT);
  // Counted in the browser now that it holds every message: the same estimate.
  await chat.composer.fill("hello world");
  expect(await settledEstimate(next)).toBe(estimate);

  // The conversation goes on at the bottom as before.
  await chat.send("One more question");
  await chat.waitForReply();
  expect((await shownNumbers(page)).slice(0, COUNT)).toEqual(range(0, COUNT));
});

test("a conversation of long replies opens on its latest few, and the rest load in order as the reader scrolls up", async ({
  page,
  db,
  account,
}) => {
  // Replies of ~1,900 characters: the first page ends at the server's limit of text (FIRST_PAGE_TEXT_LENGTH, 12,000
  // characters), well short of PAGE messages; older pages are PAGE messages again.
  const count = 40;
  const long = (n: number) =>
    n % 2 === 0 ? `Question ${n}: tell me more.` : `**Answer ${n}**\n\n${"A long paragraph of the reply. ".repeat(60)}`;
  const [id] = await seedConversations(db, account.id, [
    { title: "Long replies", updatedAt: new Date(), messages: range(0, count).map(long) },
  ]);
  const chat = new ChatPage(page);
  await page.goto(`/c/${id}`);
  await chat.expectReady();
  await expect(page.locator("[data-message-id]").last()).toBeInViewport();
  const first = await shownNumbers(page);
  expect(first.length).toBeLessThan(count / 2);
  expect(first).toEqual(range(count - first.length, count));

  // Scrolling up as a reader does, a screen at a time: the older messages come in above, in order, none twice.
  const scroller = page.locator(".overflow-y-auto", { has: page.locator("[data-message-id]") });
  await expect
    .poll(async () => {
      await scroller.evaluate((element) => {
        element.scrollTop = Math.max(0, element.scrollTop - element.clientHeight);
      });
      return (await shownNumbers(page)).length;
    })
    .toBe(count);
  expect(await shownNumbers(page)).toEqual(range(0, count));
});

test("older messages are only for their owner, and a cursor must be a message of the branch", async ({
  page,
  browser,
  db,
  account,
}) => {
  const [id] = await seedConversations(db, account.id, [
    { title: "Mine", updatedAt: new Date(), messages: range(0, 60).map(text) },
  ]);
  const latest = await page.request.get(`/api/conversations/${id}/messages`);
  expect(latest.status()).toBe(200);
  const { messages, hasOlder } = (await latest.json()) as { messages: { id: string }[]; hasOlder: boolean };
  expect(hasOlder).toBe(true);
  const oldest = messages[0]?.id ?? "";
  const older = await page.request.get(`/api/conversations/${id}/messages?before=${oldest}`);
  expect(older.status()).toBe(200);
  expect(await older.json()).toMatchObject({ hasOlder: false });

  expect((await page.request.get(`/api/conversations/${id}/messages?before=../../x`)).status()).toBe(400);
  expect((await page.request.get(`/api/conversations/${id}/messages?before=c0000000000missing`)).status()).toBe(400);
  expect((await page.request.get(`/api/conversations/${id}/messages?after=${oldest}`)).status()).toBe(400);
  const prompt = await page.request.get(`/api/conversations/${id}/prompt?before=${oldest}&model=gpt-5-mini`);
  expect(prompt.status()).toBe(200);
  expect(((await prompt.json()) as { messages: unknown[] }).messages).toHaveLength(60 - PAGE);

  const other = await newSignedInPage(browser, db);
  try {
    for (const url of [
      `/api/conversations/${id}/messages`,
      `/api/conversations/${id}/messages?before=${oldest}`,
      `/api/conversations/${id}/prompt?before=${oldest}&model=gpt-5-mini`,
    ]) {
      expect((await other.page.request.get(url)).status(), url).toBe(404);
    }
  } finally {
    await other.context.close();
  }
});
