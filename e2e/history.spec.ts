// The history beside every chat: rename, pin, delete with Undo, search (English and Chinese), day groups and
// infinite scroll, and that none of it reaches another user's conversations. Chats are seeded straight into the
// database (e2e/db.ts): dozens of them in a moment, no upstream calls.
import { type Page, request } from "@playwright/test";
import { newSignedInPage } from "./accounts";
import { seedConversations } from "./db";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";
import { Sidebar } from "./pages/sidebar";

const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000);
const minutesAgo = (minutes: number) => secondsAgo(minutes * 60);
const daysAgo = (days: number) => minutesAgo(days * 24 * 60);

/**
 * Scripts the page's HTML does not name (the code loaded after the load event: the sidebar's parts and the list's code
 * among them) wait until the returned function is called, so a test can act before they have come.
 */
async function holdLateScripts(page: Page): Promise<() => void> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let html = "";
  await page.route("/", async (route) => {
    const response = await route.fetch();
    html = await response.text();
    await route.fulfill({ response, body: html });
  });
  await page.route("**/_next/static/chunks/**", async (route) => {
    if (!html.includes(new URL(route.request().url()).pathname)) await released;
    await route.continue();
  });
  return release;
}

test("renaming in place updates the sidebar and the open chat, refuses an empty or too long title, and Esc cancels", async ({
  page,
  db,
  account,
}) => {
  const [older] = await seedConversations(db, account.id, [
    { title: "Kyoto plans", updatedAt: minutesAgo(10), messages: ["Plan a trip to Kyoto", "Here is a plan."] },
    { title: "Groceries", updatedAt: minutesAgo(5), messages: ["Milk and eggs"] },
  ]);
  await page.goto(`/c/${older}`);
  const sidebar = new Sidebar(page);
  const header = page.getByRole("main").getByRole("heading", { level: 1 });
  await expect(header).toHaveText("Kyoto plans");

  await sidebar.link("Kyoto plans").dblclick();
  await sidebar.titleField().fill("   ");
  await sidebar.titleField().press("Enter");
  await expect(sidebar.nav.getByRole("alert")).toHaveText("A title cannot be empty.");
  await sidebar.titleField().fill("x".repeat(201));
  await sidebar.titleField().press("Enter");
  await expect(sidebar.nav.getByRole("alert")).toHaveText("A title can be at most 200 characters long.");
  await sidebar.titleField().fill("Not saved");
  await sidebar.titleField().press("Escape");
  await expect(sidebar.titleField()).toHaveCount(0);
  await expect(sidebar.link("Kyoto plans")).toBeVisible();
  await expect(header).toHaveText("Kyoto plans");

  await sidebar.choose("Kyoto plans", "Rename");
  await expect(sidebar.titleField()).toHaveValue("Kyoto plans");
  await sidebar.titleField().fill("Kyoto in autumn 京都");
  await sidebar.titleField().press("Enter");
  await expect(sidebar.link("Kyoto in autumn 京都")).toBeVisible();
  await expect(header).toHaveText("Kyoto in autumn 京都");
  await expect(page).toHaveTitle(/Kyoto in autumn 京都/);

  // Renaming is not activity: the chat keeps its place below the newer one, also after a reload.
  await page.reload();
  await expect(header).toHaveText("Kyoto in autumn 京都");
  expect(await sidebar.titles()).toEqual(["Groceries", "Kyoto in autumn 京都"]);
  const [stored] = await db.query<{ title: string }>(`SELECT "title" FROM "Conversation" WHERE "id" = $1`, [older]);
  expect(stored?.title).toBe("Kyoto in autumn 京都");
});

test("a click on a row's menu before the list's code has loaded opens the menu once it has", async ({
  page,
  db,
  account,
}) => {
  await seedConversations(db, account.id, [{ title: "Kyoto plans", updatedAt: minutesAgo(10) }]);
  const release = await holdLateScripts(page);
  await page.goto("/");
  const sidebar = new Sidebar(page);
  const options = sidebar.nav.getByRole("button", { name: "Options for Kyoto plans" });
  await options.click();
  await expect(page.getByRole("menu", { name: "Options for Kyoto plans" })).toHaveCount(0);
  release();
  await expect(page.getByRole("menu", { name: "Options for Kyoto plans" })).toBeVisible();
  await expect(options).toHaveAttribute("aria-expanded", "true");
});

test("a search typed before the sidebar's code has come is made once it has", async ({ page, db, account }) => {
  await seedConversations(db, account.id, [
    { title: "Kyoto plans", updatedAt: minutesAgo(10) },
    { title: "Budget review", updatedAt: minutesAgo(20) },
  ]);
  const release = await holdLateScripts(page);
  await page.goto("/");
  const sidebar = new Sidebar(page);
  await sidebar.search.fill("Kyoto");
  // Nothing has happened yet: the server's rows.
  await expect(sidebar.results()).toHaveCount(0);
  await expect(sidebar.link("Budget review")).toBeVisible();
  release();
  const results = sidebar.results().getByRole("link");
  await expect(results).toHaveCount(1);
  await expect(results).toContainText("Kyoto plans");
  await expect(sidebar.search).toHaveValue("Kyoto");
});

test("a language picked before the sidebar's code has come is saved and shown once it has", async ({
  page,
  db,
  account,
}) => {
  const release = await holdLateScripts(page);
  await page.goto("/");
  await page.getByRole("combobox", { name: "Language" }).selectOption("zh-CN");
  await expect(page.getByRole("searchbox", { name: "Search conversations" })).toBeVisible();
  release();
  await expect(page.getByRole("searchbox", { name: "搜索对话" })).toBeVisible();
  const [stored] = await db.query<{ locale: string | null }>(`SELECT "locale" FROM "User" WHERE "id" = $1`, [
    account.id,
  ]);
  expect(stored?.locale).toBe("zh-CN");
});

test("a pinned conversation heads the list under Pinned until it is unpinned", async ({ page, db, account }) => {
  await seedConversations(db, account.id, [
    { title: "Oldest chat", updatedAt: minutesAgo(30) },
    { title: "Middle chat", updatedAt: minutesAgo(20) },
    { title: "Newest chat", updatedAt: minutesAgo(10) },
  ]);
  await page.goto("/");
  const sidebar = new Sidebar(page);
  await expect.poll(() => sidebar.titles()).toEqual(["Newest chat", "Middle chat", "Oldest chat"]);

  await sidebar.choose("Oldest chat", "Pin to top");
  await expect(sidebar.group("Pinned").getByRole("link")).toHaveText(["Oldest chat"]);
  await expect.poll(() => sidebar.titles()).toEqual(["Oldest chat", "Newest chat", "Middle chat"]);
  await page.reload();
  await expect(sidebar.group("Pinned").getByRole("link")).toHaveText(["Oldest chat"]);
  await expect.poll(() => sidebar.titles()).toEqual(["Oldest chat", "Newest chat", "Middle chat"]);

  await sidebar.choose("Oldest chat", "Unpin");
  await expect(sidebar.group("Pinned")).toHaveCount(0);
  await expect.poll(() => sidebar.titles()).toEqual(["Newest chat", "Middle chat", "Oldest chat"]);
});

test("delete asks first; Undo brings the chat back; without Undo it is gone for good", async ({
  page,
  db,
  account,
}) => {
  const [kept, deleted] = await seedConversations(db, account.id, [
    { title: "Keep me", updatedAt: minutesAgo(20), messages: ["Important"] },
    { title: "Throw me away", updatedAt: minutesAgo(10), messages: ["Not important"] },
  ]);
  await page.goto("/");
  const sidebar = new Sidebar(page);

  await sidebar.choose("Keep me", "Delete");
  await page.getByRole("dialog", { name: "Delete “Keep me”?" }).getByRole("button", { name: "Cancel" }).click();
  await expect(sidebar.link("Keep me")).toBeVisible();

  await sidebar.delete("Keep me");
  await expect(sidebar.link("Keep me")).toHaveCount(0);
  await sidebar.undoToast("Keep me").getByRole("button", { name: "Undo" }).click();
  await expect(sidebar.link("Keep me")).toBeVisible();
  await expect(sidebar.undoToast("Keep me")).toHaveCount(0);

  await sidebar.delete("Throw me away");
  await expect(sidebar.link("Throw me away")).toHaveCount(0);
  // The toast goes when the deletion is really sent, a few seconds later (well after Undo's window for "Keep me").
  await expect(sidebar.undoToast("Throw me away")).toHaveCount(0);
  await expect
    .poll(async () => (await db.query(`SELECT 1 FROM "Conversation" WHERE "id" = $1`, [deleted])).length)
    .toBe(0);
  await page.reload();
  await expect(sidebar.link("Keep me")).toBeVisible();
  await expect(sidebar.link("Throw me away")).toHaveCount(0);
  expect(await db.query(`SELECT 1 FROM "Conversation" WHERE "id" = $1`, [kept])).toHaveLength(1);
});

test("leaving the page while Undo is offered deletes the chat at once", async ({ page, db, account }) => {
  const [id] = await seedConversations(db, account.id, [{ title: "Leave and delete", updatedAt: minutesAgo(5) }]);
  await page.goto("/");
  await new Sidebar(page).delete("Leave and delete");
  await page.goto("/usage");
  await expect.poll(async () => (await db.query(`SELECT 1 FROM "Conversation" WHERE "id" = $1`, [id])).length).toBe(0);
});

test("deleting the open chat goes to a new chat, and Undo still brings it back", async ({ page, db, account }) => {
  const [id] = await seedConversations(db, account.id, [
    { title: "Open and delete", updatedAt: minutesAgo(5), messages: ["Some question", "Some answer"] },
  ]);
  await page.goto(`/c/${id}`);
  const chat = new ChatPage(page);
  const sidebar = new Sidebar(page);
  await expect(page.getByRole("main").getByRole("heading", { level: 1 })).toHaveText("Open and delete");
  await sidebar.delete("Open and delete");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("main").getByRole("heading", { level: 1 })).toHaveText("New chat");
  await expect(chat.userMessages()).toHaveCount(0);
  await sidebar.undoToast("Open and delete").getByRole("button", { name: "Undo" }).click();
  await sidebar.link("Open and delete").click();
  await expect(chat.userMessages()).toHaveText(["Some question"]);
});

test.describe("search", () => {
  // The browser's time zone decides the day groups; a zone far from UTC shows they follow it.
  test.use({ timezoneId: "Asia/Shanghai" });

  test("finds English and Chinese text, two characters included, with the match highlighted; Ctrl+K and Esc", async ({
    page,
    db,
    account,
  }) => {
    await seedConversations(db, account.id, [
      {
        title: "Trip planning",
        updatedAt: secondsAgo(30),
        messages: ["Where to stay?", "The hotel in Kyoto costs 120 euros a night."],
      },
      { title: "工作", updatedAt: secondsAgo(20), messages: ["本周完成了项目预算的审核，下周写周报。"] },
      { title: "Unrelated", updatedAt: secondsAgo(10), messages: ["Nothing to see"] },
    ]);
    await page.goto("/");
    const sidebar = new Sidebar(page);
    await new ChatPage(page).composer.click();

    await page.keyboard.press("Control+k");
    await expect(sidebar.search).toBeFocused();
    await page.keyboard.type("KYOTO");
    const english = sidebar.results().getByRole("link");
    await expect(english).toHaveCount(1);
    await expect(english).toContainText("Trip planning");
    await expect(english.locator("mark")).toHaveText(["Kyoto"]);
    await expect(english).toContainText("The hotel in Kyoto costs 120 euros a night.");

    for (const query of ["项目预算", "预算"]) {
      await sidebar.search.fill(query);
      const chinese = sidebar.results().getByRole("link");
      await expect(chinese).toHaveCount(1);
      await expect(chinese).toContainText("工作");
      await expect(chinese.locator("mark")).toHaveText([query]);
    }
    await sidebar.search.fill("工作");
    await expect(sidebar.results().getByRole("link").locator("mark")).toHaveText(["工作"]);

    await sidebar.search.fill("nothing like this anywhere");
    await expect(sidebar.nav.getByRole("status")).toHaveText("No conversations contain “nothing like this anywhere”.");

    await sidebar.search.press("Escape");
    await expect(sidebar.search).toHaveValue("");
    await expect(sidebar.group("Today").getByRole("link")).toHaveText(["Unrelated", "工作", "Trip planning"]);

    await sidebar.search.fill("euros");
    await sidebar.results().getByRole("link").click();
    await expect(page).toHaveURL(/\/c\//);
    await expect(page.getByRole("main").getByRole("heading", { level: 1 })).toHaveText("Trip planning");
  });

  test("the list is grouped by day and loads more pages as it scrolls", async ({ page, db, account }) => {
    const total = 120;
    await seedConversations(db, account.id, [
      ...Array.from({ length: total - 3 }, (_, index) => ({
        title: `Old chat ${String(index).padStart(3, "0")}`,
        updatedAt: daysAgo(30 + index),
      })),
      { title: "Three days ago", updatedAt: daysAgo(3) },
      { title: "Yesterday's chat", updatedAt: daysAgo(1) },
      { title: "Today's chat", updatedAt: secondsAgo(1) },
    ]);
    await page.goto("/");
    const sidebar = new Sidebar(page);
    await expect(sidebar.group("Today").getByRole("link")).toHaveText(["Today's chat"]);
    await expect(sidebar.group("Yesterday").getByRole("link")).toHaveText(["Yesterday's chat"]);
    await expect(sidebar.group("Previous 7 days").getByRole("link")).toHaveText(["Three days ago"]);
    const links = sidebar.nav.getByRole("listitem").getByRole("link");
    // The first page only (50), until the list is scrolled.
    await expect(links).toHaveCount(50);
    await expect(sidebar.link("Old chat 116")).toHaveCount(0);

    for (const count of [100, total]) {
      await links.last().scrollIntoViewIfNeeded();
      await expect(links).toHaveCount(count);
    }
    await expect(sidebar.link("Old chat 116")).toBeVisible();
    expect(new Set(await sidebar.titles()).size).toBe(total);
  });
});

test("another user cannot rename, pin, delete or find a conversation; bad input is a 400 that changes nothing", async ({
  page,
  db,
  account,
  browser,
  baseURL,
}) => {
  const secret = `zanzibar-${Date.now()}`;
  const [id] = await seedConversations(db, account.id, [
    { title: `Private ${secret}`, updatedAt: minutesAgo(5), messages: [`The safe code is ${secret} 保险箱密码`] },
  ]);
  const owner = page.request;

  for (const [body, message] of [
    [{ title: "" }, "A title cannot be empty."],
    [{ title: "x".repeat(201) }, "A title can be at most 200 characters long."],
    [{ pinned: "yes" }, "pinned must be true or false."],
    [{}, "Send a new title, or pinned: true or false."],
    [{ title: "ok", owner: "me" }, undefined],
  ] as const) {
    const response = await owner.patch(`/api/conversations/${id}`, { data: body });
    expect(response.status(), JSON.stringify(body)).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe("bad_request");
    if (message) expect(error.message).toBe(message);
  }
  const notJson = await owner.patch(`/api/conversations/${id}`, {
    headers: { "content-type": "application/json" },
    data: "{title",
  });
  expect(notJson.status()).toBe(400);
  for (const query of ["", "x".repeat(201), "ab\0c"]) {
    expect((await owner.get(`/api/conversations/search?q=${encodeURIComponent(query)}`)).status()).toBe(400);
  }
  expect((await owner.get("/api/conversations?limit=0")).status()).toBe(400);
  expect((await owner.get("/api/conversations?cursor=garbage")).status()).toBe(400);
  const [unchanged] = await db.query(`SELECT "title", "pinnedAt" FROM "Conversation" WHERE "id" = $1`, [id]);
  expect(unchanged).toEqual({ title: `Private ${secret}`, pinnedAt: null });

  const { context, page: intruder } = await newSignedInPage(browser, db);
  try {
    const api = intruder.request;
    expect((await api.patch(`/api/conversations/${id}`, { data: { title: "Mine now" } })).status()).toBe(404);
    expect((await api.patch(`/api/conversations/${id}`, { data: { pinned: true } })).status()).toBe(404);
    expect((await api.delete(`/api/conversations/${id}`)).status()).toBe(404);
    for (const query of [secret, "保险箱密码", "密码", "Private"]) {
      const found = await api.get(`/api/conversations/search?q=${encodeURIComponent(query)}`);
      expect(found.status()).toBe(200);
      expect((await found.json()).results, query).toEqual([]);
    }
    await intruder.goto("/");
    const sidebar = new Sidebar(intruder);
    await sidebar.search.fill(secret);
    await expect(sidebar.nav.getByRole("status")).toHaveText(`No conversations contain “${secret}”.`);
  } finally {
    await context.close();
  }

  const anonymous = await request.newContext({ baseURL });
  try {
    expect((await anonymous.patch(`/api/conversations/${id}`, { data: { title: "x" } })).status()).toBe(401);
    expect((await anonymous.get(`/api/conversations/search?q=${secret}`)).status()).toBe(401);
  } finally {
    await anonymous.dispose();
  }

  const [after] = await db.query(`SELECT "title", "pinnedAt" FROM "Conversation" WHERE "id" = $1`, [id]);
  expect(after).toEqual({ title: `Private ${secret}`, pinnedAt: null });
  const mine = await (await owner.get(`/api/conversations/search?q=${encodeURIComponent("保险箱")}`)).json();
  expect(mine.results.map((result: { id: string }) => result.id)).toEqual([id]);
});
