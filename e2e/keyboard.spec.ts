// Keyboard only, as someone who uses no mouse: from the sign-in form to a sent message and its reply with Tab, Enter
// and typing; the shortcuts and their help dialog (`?`); a chat's row actions visible on focus; and the reply read to
// screen readers by whole sentences, not word by word.
import type { Locator, Page } from "@playwright/test";
import { createAccount } from "./accounts";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

const isFocused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement);

/** Presses Tab until `target` has focus (as a keyboard user would), failing if it never comes. */
async function tabTo(page: Page, target: Locator, { backwards = false, max = 30 } = {}) {
  for (let presses = 0; presses < max; presses++) {
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
    if (await isFocused(target)) return;
  }
  throw new Error(`${target} never took focus in ${max} presses of Tab`);
}

/** Every element that got focus shows a ring: the global :focus-visible outline (app/globals.css) or its own. */
async function expectFocusRing(locator: Locator) {
  const outline = await locator.evaluate((element) => {
    const style = getComputedStyle(element);
    return { style: style.outlineStyle, width: Number.parseFloat(style.outlineWidth) };
  });
  expect(outline.style).not.toBe("none");
  expect(outline.width).toBeGreaterThanOrEqual(2);
}

test("keyboard only: sign in, send a message, read the reply, use the shortcuts and their help", async ({
  page,
  db,
}) => {
  const account = await createAccount(db, { prefix: "keyboard" });
  await page.goto("/sign-in");
  const email = page.getByLabel("Email");
  await tabTo(page, email);
  await expectFocusRing(email);
  await page.keyboard.type(account.email);
  await tabTo(page, page.getByLabel("Password"));
  await page.keyboard.type(account.password);
  await page.keyboard.press("Enter");

  const chat = new ChatPage(page);
  await chat.expectReady();
  // The composer takes focus on a new chat.
  await expect(chat.composer).toBeFocused();
  await page.keyboard.type("Hello from the keyboard");
  await page.keyboard.press("Enter");
  const reply = await chat.waitForReply();
  await expect(reply).toContainText("Echo: Hello from the keyboard");

  // A conversation's row shows its menu button once the keyboard reaches the row.
  const row = chat.sidebar.getByRole("listitem").first();
  await tabTo(page, row.getByRole("link"), { backwards: true, max: 60 });
  await expectFocusRing(row.getByRole("link"));
  await expect(row.getByRole("button", { name: /^Options for/ })).toHaveCSS("opacity", "1");

  // `?` outside a text field: the help dialog, labelled, with focus inside; Esc closes it and focus comes back.
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toBeVisible();
  await expect(help.getByRole("row", { name: /New chat/ })).toBeVisible();
  await expect(help.getByRole("button", { name: "Close" })).toBeFocused();
  await page.keyboard.press("Tab");
  expect(await help.evaluate((dialog) => dialog.contains(document.activeElement))).toBe(true);
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();
  await expect(row.getByRole("link")).toBeFocused();

  // `/` goes to the composer; a slow reply stops on Esc.
  await page.keyboard.press("/");
  await expect(chat.composer).toBeFocused();
  await expect(chat.composer).toHaveValue("");
  await page.keyboard.type("[[words:200]][[slow:100]] a long one");
  await page.keyboard.press("Enter");
  const stop = page.getByRole("button", { name: "Stop" });
  await expect(stop).toBeVisible();
  await expect(chat.assistantMessages()).toHaveCount(2);
  await expect(chat.lastAssistant()).toContainText("word3");
  await page.keyboard.press("Escape");
  await expect(chat.usage(chat.lastAssistant())).toContainText("Stopped");

  // Ctrl+Shift+O: a new chat, its composer focused.
  await page.keyboard.press("Control+Shift+O");
  await expect(page).toHaveURL(/\/$/);
  await expect(chat.composer).toBeFocused();
  await expect(chat.assistantMessages()).toHaveCount(0);
});

test("a streaming reply is announced politely by whole sentences, and its code block by name", async ({
  page,
  account: _signedIn,
}) => {
  const chat = await ChatPage.openNew(page);
  const region = page.getByTestId("reply-announcer");
  await expect(region).toHaveAttribute("aria-live", "polite");
  // Everything the region is given, in order.
  await region.evaluate((element) => {
    const said: string[] = [];
    (window as unknown as { said: string[] }).said = said;
    new MutationObserver((records) => {
      for (const record of records)
        for (const node of record.addedNodes) if (node.textContent) said.push(node.textContent);
    }).observe(element, { childList: true, subtree: true, characterData: true });
  });
  const text = "The first sentence is here. A second one follows! Then code:\n```py\nprint(1)\n```\nAnd the last words";
  await chat.send(`[[reply:${text}]][[slow:300]]`);
  await chat.waitForReply();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { said: string[] }).said.join(" ")))
    .toBe("The first sentence is here. A second one follows! Then code: Code block in py. And the last words");
  const said = await page.evaluate(() => (window as unknown as { said: string[] }).said);
  // In pieces as it streamed (sentences that arrive in one frame are said together), each ending a sentence or line.
  expect(said.length).toBeGreaterThanOrEqual(3);
  for (const piece of said.slice(0, -1)) expect(piece).toMatch(/[.!?:]$/);
});
