// The chat on a phone: below 1024 px the sidebar is a drawer behind the top bar's menu button and the cost meter a
// bar above the composer that unfolds on a tap; nothing scrolls sideways, and the controls are big enough for a finger.
import { randomUUID } from "node:crypto";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

const PHONES = [
  { width: 360, height: 740 },
  { width: 390, height: 844 },
];

/** WCAG 2.5.5's and the platforms' minimum for a control a finger taps, in CSS px. */
const MIN_TOUCH_PX = 44;

/** The drawer: the sidebar as a modal dialog. */
function drawer(page: Page): Locator {
  return page.getByRole("dialog", { name: "Menu" });
}

function menuButton(page: Page): Locator {
  return page.getByRole("button", { name: "Open menu" });
}

/** The folded meter: a button above the composer that unfolds the whole meter. */
function meterBar(page: Page): Locator {
  return page.getByRole("button", { name: /^This chat / });
}

async function expectTouchSized(control: Locator, name: string) {
  // Measured once laid out (a row of the list may be replaced as the list's code takes it over).
  await expect(async () => {
    const box = await control.boundingBox();
    expect(box, `${name} is laid out`).not.toBeNull();
    expect(box?.height ?? 0, `${name}'s height`).toBeGreaterThanOrEqual(MIN_TOUCH_PX);
    expect(box?.width ?? 0, `${name}'s width`).toBeGreaterThanOrEqual(MIN_TOUCH_PX);
  }).toPass();
}

async function expectNoSidewaysScroll(page: Page, what: string) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
  });
  expect(scrollWidth, `${what}: the page's width (${clientWidth} px) is all there is`).toBeLessThanOrEqual(clientWidth);
}

for (const viewport of PHONES) {
  test.describe(`a ${viewport.width} px phone`, () => {
    test.use({ viewport, hasTouch: true, isMobile: true });

    test("drawer, a chat with its folded meter, history through the drawer, sign out", async ({
      page,
      account: _signedIn,
    }) => {
      const chat = new ChatPage(page);
      await page.goto("/");
      await chat.expectReady();

      // No sidebar beside the chat: the top bar's menu opens it as a modal drawer, focus inside.
      await expect(chat.sidebar).toBeHidden();
      await expectTouchSized(menuButton(page), "the menu button");
      await menuButton(page).click();
      await expect(drawer(page)).toBeVisible();
      await expect(drawer(page)).toHaveAttribute("aria-modal", "true");
      await expect(chat.sidebar).toBeVisible();
      await expect(drawer(page).locator(":focus")).toHaveCount(1);
      for (const [control, name] of [
        [drawer(page).getByRole("button", { name: "Close menu" }), "Close menu"],
        [drawer(page).getByRole("link", { name: "New chat" }), "New chat"],
        [drawer(page).getByRole("searchbox", { name: "Search conversations" }), "the search box"],
        [drawer(page).getByRole("link", { name: "Usage" }), "Usage"],
        [drawer(page).getByRole("button", { name: "Sign out" }), "Sign out"],
        [drawer(page).getByRole("combobox", { name: "Language" }), "the language switch"],
      ] as const) {
        await expect(control).toBeInViewport();
        await expectTouchSized(control, name);
      }
      // Esc closes it and gives focus back to the menu button.
      await page.keyboard.press("Escape");
      await expect(drawer(page)).toBeHidden();
      await expect(menuButton(page)).toBeFocused();
      // So does a tap on the backdrop beside it.
      await menuButton(page).click();
      await expect(drawer(page)).toBeVisible();
      await page.mouse.click(viewport.width - 10, viewport.height / 2);
      await expect(drawer(page)).toBeHidden();

      // A new chat suggests prompts; a tap puts one in the composer.
      await page.getByRole("button", { name: /compound interest/ }).click();
      await expect(chat.composer).toHaveValue(/compound interest/);
      await expect(chat.composer).toBeFocused();

      // The meter is folded into a bar above the composer, there before the first reply (nothing moves when it comes).
      await expect(meterBar(page)).toHaveText(/This chat 0 in \/ 0 out · \$0\.00/);
      await expect(meterBar(page)).toHaveAttribute("aria-expanded", "false");
      await expect(chat.meter("This chat")).toBeHidden();

      // The conversation's title is its first message (markers included).
      const title = `Phone chat ${viewport.width} [[usage:12345/678]]`;
      await chat.composer.fill(title);
      const send = page.getByRole("button", { name: "Send" });
      await expectTouchSized(send, "Send");
      await send.click();
      const reply = await chat.waitForReply(0);
      await expect(reply).toContainText(`Echo: Phone chat ${viewport.width}`);
      await expect(chat.usage(reply)).toContainText("$0.004442");
      await expectTouchSized(reply.getByRole("button", { name: "Copy message" }), "Copy message");
      await expectTouchSized(reply.getByRole("button", { name: "Regenerate" }), "Regenerate");
      await expectTouchSized(meterBar(page), "the meter's bar");
      await expectTouchSized(page.getByRole("button", { name: "Parameters" }), "Parameters");
      await expectTouchSized(chat.picker(), "the model picker");

      // gpt-5-mini: 12,345 × $0.25 / 1M + 678 × $2.00 / 1M = 4,442 micro-USD.
      await expect(meterBar(page)).toHaveText(/This chat 12,345 in \/ 678 out · \$0\.004442/);
      await meterBar(page).click();
      await expect(meterBar(page)).toHaveAttribute("aria-expanded", "true");
      await expect(chat.meter("This chat")).toBeVisible();
      await expect(chat.meter("This chat")).toContainText("12,345 in / 678 out tokens");
      await expect(chat.meter("This month")).toContainText("$0.004442");
      await meterBar(page).click();
      await expect(chat.meter("This chat")).toBeHidden();
      await expectNoSidewaysScroll(page, "the chat");
      const conversationUrl = page.url();

      // Another chat, then back to the first through the drawer, which closes as it navigates.
      await page.getByRole("link", { name: "New chat" }).click();
      await expect(page).toHaveURL(/\/$/);
      await chat.expectReady();
      await menuButton(page).click();
      const row = chat.sidebar.getByRole("link", { name: title });
      await expectTouchSized(row, "a conversation in the list");
      await expectTouchSized(chat.sidebar.getByRole("button", { name: `Options for ${title}` }), "its options");
      await row.click();
      await expect(page).toHaveURL(conversationUrl);
      await expect(drawer(page)).toBeHidden();
      await expect(page.getByRole("main").getByRole("heading", { level: 1 })).toHaveText(title);
      await expect(chat.lastAssistant()).toContainText(`Echo: Phone chat ${viewport.width}`);

      // The app's other pages and signing out are in the drawer too.
      await menuButton(page).click();
      await drawer(page).getByRole("button", { name: "Sign out" }).click();
      await expect(page).toHaveURL(/\/sign-in/);
    });
  });
}

test("no page scrolls sideways at 360, 390, 768 and 1440 px, even with a long code block and a wide table", async ({
  page,
  account: _signedIn,
}) => {
  const longLine = `const ledger = [${Array.from({ length: 40 }, (_, i) => `"entry-${i}"`).join(", ")}];`;
  const table = `| ${Array.from({ length: 12 }, (_, i) => `column ${i}`).join(" | ")} |\n|${" --- |".repeat(12)}\n| ${Array.from({ length: 12 }, (_, i) => `value-${i}-long`).join(" | ")} |`;
  const conversationId = randomUUID();
  const response = await page.request.post("/api/chat", {
    data: {
      conversationId,
      model: "gpt-5-mini",
      text: `[[reply:Wide things:\n\n\`\`\`ts\n${longLine}\n\`\`\`\n\n${table}\n\nSupercalifragilisticexpialidocious_${"x".repeat(80)}]]`,
    },
  });
  expect(response.ok()).toBe(true);
  await response.text();

  for (const width of [360, 390, 768, 1440]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto(`/c/${conversationId}`);
    const chat = new ChatPage(page);
    const reply = await chat.waitForReply();
    await expectNoSidewaysScroll(page, `the chat at ${width} px`);
    // The code block is wider than the screen at phone widths: it scrolls inside itself, not the page.
    const code = reply.locator("pre");
    const sizes = await code.evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
    expect(sizes.scroll, "the code block holds its long line").toBeGreaterThan(sizes.client);
    if (width < 1024) {
      await menuButton(page).click();
      await expect(drawer(page)).toBeVisible();
      await expectNoSidewaysScroll(page, `the open drawer at ${width} px`);
      await page.keyboard.press("Escape");
      await meterBar(page).click();
      await expect(chat.meter("This month")).toBeVisible();
      await expectNoSidewaysScroll(page, `the unfolded meter at ${width} px`);
    } else {
      await expect(menuButton(page)).toBeHidden();
      await expect(chat.meter("This chat")).toBeVisible();
    }
  }
});

test.describe("in Chinese", () => {
  test.use({ locale: "zh-CN", viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test("the folded meter reads naturally: 本次对话 12,345 输入 / 678 输出 · $0.004442", async ({
    page,
    account: _signedIn,
  }) => {
    await page.goto("/");
    const composer = page.getByRole("textbox", { name: "消息" });
    await expect(composer).toBeVisible();
    await expect(page.getByRole("button", { name: "打开菜单" })).toBeVisible();
    await composer.fill("你好 [[usage:12345/678]]");
    await page.getByRole("button", { name: "发送" }).click();
    const bar = page.getByRole("button", { name: /^本次对话 / });
    await expect(bar).toHaveText(/^本次对话 12,345 输入 \/ 678 输出 · \$0\.004442/, { timeout: 60_000 });
    await bar.click();
    await expect(page.getByRole("complementary", { name: "费用表" })).toContainText("12,345 输入 / 678 输出 tokens");
  });
});
