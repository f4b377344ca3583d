// The README's gallery: the chat in English and Chinese, light and dark, on a desktop (1440×900) and a phone
// (390×844, the drawer closed), as docs/screenshots/<language>-<theme>-<device>.png. One account with a conversation
// in each language, each reply with a code block and a table, so the meter and the reply's cost show figures.
import { expect } from "@playwright/test";
import { signInAs } from "../accounts";
import { test } from "../fixtures";
import { ChatPage } from "../pages/chat-page";
import { shot, showTyped } from "./shots";

const REPLIES = {
  en: {
    title: "Reverse a list in Python",
    prompt: "How do I reverse a list in Python?",
    reply: `Use **slicing** or \`reversed()\`:

\`\`\`python
numbers = [1, 2, 3, 4]
print(numbers[::-1])            # a new list: [4, 3, 2, 1]
numbers.reverse()               # in place, returns None
\`\`\`

| Way | New list | Memory |
|---|---|---|
| \`numbers[::-1]\` | yes | O(n) |
| \`reversed(numbers)\` | iterator | O(1) |
| \`numbers.reverse()\` | no | O(1) |`,
  },
  "zh-CN": {
    title: "Python 列表反转",
    prompt: "Python 里怎么把列表反过来？",
    reply: `可以用**切片**或 \`reversed()\`：

\`\`\`python
numbers = [1, 2, 3, 4]
print(numbers[::-1])            # 新列表：[4, 3, 2, 1]
numbers.reverse()               # 原地反转，返回 None
\`\`\`

| 写法 | 生成新列表 | 额外内存 |
|---|---|---|
| \`numbers[::-1]\` | 是 | O(n) |
| \`reversed(numbers)\` | 迭代器 | O(1) |
| \`numbers.reverse()\` | 否 | O(1) |`,
  },
} as const;

const DEVICES = {
  desktop: { viewport: { width: 1440, height: 900 }, isMobile: false, hasTouch: false },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
} as const;

test("README gallery: languages × themes × devices", async ({ page, browser, account, db }) => {
  test.setTimeout(600_000);
  // The sidebar shows the account's name: a person's, not the fixture's address.
  await db.query(`UPDATE "User" SET "name" = $1 WHERE "id" = $2`, ["Alex Chen", account.id]);
  const chat = new ChatPage(page);
  const conversations: Record<string, string> = {};
  for (const [language, { title, prompt, reply }] of Object.entries(REPLIES)) {
    await page.goto("/");
    await chat.expectReady();
    await chat.send(`${prompt} [[reply:${reply}]] [[usage:1234/186]]`);
    await chat.waitForReply();
    const conversationId = await chat.conversationId();
    await showTyped(db, { conversationId, title });
    conversations[language] = conversationId;
  }

  for (const language of Object.keys(REPLIES)) {
    for (const colorScheme of ["light", "dark"] as const) {
      for (const [device, options] of Object.entries(DEVICES)) {
        // A browser of that language (Accept-Language) and colour scheme: the account has no saved language, and the
        // theme follows the system until one is chosen.
        const context = await browser.newContext({ ...options, locale: language, colorScheme });
        await signInAs(context.request, account);
        const shown = await context.newPage();
        await shown.goto(`/c/${conversations[language]}`);
        await expect(shown.locator("html")).toHaveAttribute("lang", language);
        await expect(shown.locator(`pre[data-highlighted="true"]`).first()).toBeVisible();
        await expect(shown.locator('article[data-role="assistant"] table').first()).toBeVisible();
        await shot(shown, `${language}-${colorScheme}-${device}`);
        await context.close();
      }
    }
  }
});
