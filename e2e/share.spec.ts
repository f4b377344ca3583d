import { randomBytes } from "node:crypto";
import { type Browser, type Page, request as playwrightRequest } from "@playwright/test";
import { newSignedInPage } from "./accounts";
import { num } from "./db";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";
import { sendChat } from "./sessions";

const NOT_FOUND = "Shared conversation not found";

/** Opens a page as a visitor who is signed in nowhere, in a fresh browser context (closed by `close`). */
async function signedOutVisit(browser: Browser, url: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(url);
  return { page, response, close: () => context.close() };
}

function shareDialog(page: Page) {
  return page.getByRole("dialog", { name: "Share conversation" });
}

test("a shared link shows the messages to a signed-out visitor, without costs, unindexed, and is gone once revoked", async ({
  page,
  browser,
  account,
}) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const chat = new ChatPage(page);
  await page.goto("/");
  await chat.expectReady();
  const secret = `share-${Date.now().toString(36)}`;
  await chat.send(`[[usage:12345/678]] Tell me about ${secret}`);
  await chat.waitForReply();
  await expect(chat.usage(chat.lastAssistant())).toContainText("$0.004442");

  await page.getByRole("button", { name: "Share", exact: true }).click();
  const dialog = shareDialog(page);
  await dialog.getByRole("button", { name: "Create link" }).click();
  const linkBox = dialog.getByRole("textbox", { name: "Share link" });
  await expect(linkBox).toHaveValue(/\/share\/[A-Za-z0-9_-]{32}$/);
  const link = await linkBox.inputValue();
  await dialog.getByRole("button", { name: "Copy link" }).click();
  await expect(dialog.getByRole("status")).toHaveText("Link copied.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();

  const visit = await signedOutVisit(browser, link);
  try {
    expect(visit.response?.status()).toBe(200);
    expect(visit.response?.headers()["x-robots-tag"]).toBe("noindex, nofollow");
    await expect(visit.page.locator('meta[name="robots"]')).toHaveAttribute("content", "noindex, nofollow");
    await expect(visit.page.getByRole("heading", { level: 1 })).toHaveText(
      `[[usage:12345/678]] Tell me about ${secret}`,
    );
    await expect(visit.page.locator('[data-role="user"]')).toHaveText(`[[usage:12345/678]] Tell me about ${secret}`);
    await expect(visit.page.locator('article[data-role="assistant"]')).toHaveText(`Echo: Tell me about ${secret}`);
    // Messages only: no cost, price, tokens, model or owner.
    const shown = (await visit.page.locator("header, main").allTextContents()).join("\n");
    for (const hidden of ["$", "token", "estimated"]) expect(shown).not.toContain(hidden);
    // Nor anywhere in the page's HTML and data: no model, cost or owner.
    const html = await visit.page.content();
    for (const hidden of ["gpt-5-mini", "0.004442", account.email, account.id]) expect(html).not.toContain(hidden);
  } finally {
    await visit.close();
  }

  // Opening the dialog again shows the same link; stopping sharing kills it.
  await page.getByRole("button", { name: "Share", exact: true }).click();
  await expect(linkBox).toHaveValue(link);
  await dialog.getByRole("button", { name: "Stop sharing" }).click();
  await expect(dialog.getByRole("status")).toHaveText("Sharing stopped: the link no longer works.");
  await expect(dialog.getByRole("button", { name: "Create link" })).toBeVisible();

  const revoked = await signedOutVisit(browser, link);
  const wrong = await signedOutVisit(browser, link.replace(/[^/]+$/, randomBytes(24).toString("base64url")));
  try {
    // A revoked link and one that never existed look exactly alike.
    expect(revoked.response?.status()).toBe(404);
    expect(wrong.response?.status()).toBe(404);
    await expect(revoked.page.getByRole("heading", { name: NOT_FOUND })).toBeVisible();
    await expect(wrong.page.getByRole("heading", { name: NOT_FOUND })).toBeVisible();
    expect(await revoked.page.locator("main").textContent()).toBe(await wrong.page.locator("main").textContent());
    await expect(revoked.page.getByText(secret)).toHaveCount(0);
  } finally {
    await revoked.close();
    await wrong.close();
  }
});

test("deleting a shared chat makes its link a 404", async ({ page, browser, db, account: _owner }) => {
  const { conversationId, status } = await sendChat(page.request, { text: "Soon deleted" });
  expect(status).toBe(200);
  const created = await page.request.post(`/api/conversations/${conversationId}/share`);
  expect(created.status()).toBe(201);
  const { share } = await created.json();
  // Asking again gives the same link.
  const again = await page.request.post(`/api/conversations/${conversationId}/share`);
  expect(again.status()).toBe(200);
  expect((await again.json()).share.id).toBe(share.id);

  const before = await signedOutVisit(browser, share.path);
  try {
    expect(before.response?.status()).toBe(200);
  } finally {
    await before.close();
  }
  expect((await page.request.delete(`/api/conversations/${conversationId}`)).status()).toBe(204);
  const after = await signedOutVisit(browser, share.path);
  try {
    expect(after.response?.status()).toBe(404);
    await expect(after.page.getByRole("heading", { name: NOT_FOUND })).toBeVisible();
  } finally {
    await after.close();
  }
  const [row] = await db.query(`SELECT COUNT(*) AS shares FROM "Share" WHERE "id" = $1`, [share.id]);
  expect(num(row?.shares)).toBe(0);
});

test("nobody but the owner can share, see or revoke a chat's link; the API wants a session", async ({
  page,
  browser,
  db,
  baseURL,
  account: _owner,
}) => {
  const { conversationId } = await sendChat(page.request, { text: "Mine to share" });
  const created = await page.request.post(`/api/conversations/${conversationId}/share`);
  expect(created.status()).toBe(201);
  const { share } = await created.json();
  const url = `/api/conversations/${conversationId}/share`;

  const { context, page: intruder } = await newSignedInPage(browser, db, "share-intruder");
  try {
    for (const method of ["get", "post", "delete"] as const) {
      const response = await intruder.request[method](url);
      expect(response.status(), method).toBe(404);
      expect(await response.text()).not.toContain(share.id);
    }
  } finally {
    await context.close();
  }
  const anonymous = await playwrightRequest.newContext({ baseURL });
  try {
    for (const method of ["get", "post", "delete"] as const) {
      expect((await anonymous[method](url)).status(), method).toBe(401);
    }
  } finally {
    await anonymous.dispose();
  }
  // The owner's link survived all of it.
  expect((await (await page.request.get(url)).json()).share.id).toBe(share.id);
  const visit = await signedOutVisit(browser, share.path);
  try {
    expect(visit.response?.status()).toBe(200);
    await expect(visit.page.getByText("Echo: Mine to share")).toBeVisible();
  } finally {
    await visit.close();
  }
});
