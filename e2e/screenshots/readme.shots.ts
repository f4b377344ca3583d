// The README's pictures: a chat with Markdown, versions and the meter; the Parameters panel; history with a search;
// presets; usage; settings; the tokenizer. Written to docs/screenshots/. The fake upstream answers what each prompt's
// [[reply:…]] says; the markers are then removed from the stored prompts so that the pictures show what a user would
// have typed.
import { expect } from "@playwright/test";
import { seedConversations } from "../db";
import { test } from "../fixtures";
import { ChatPage } from "../pages/chat-page";
import { Sidebar } from "../pages/sidebar";
import { shot, showTyped } from "./shots";

const DAY = 86_400_000;

const FIRST_REPLY = `Use **slicing** or \`reversed()\`:

\`\`\`python
numbers = [1, 2, 3, 4]
print(numbers[::-1])            # a new list: [4, 3, 2, 1]
print(list(reversed(numbers)))  # the same, from an iterator
numbers.reverse()               # in place, returns None
\`\`\`

| Way | New list | Cost |
|---|---|---|
| \`numbers[::-1]\` | yes | $O(n)$ time and memory |
| \`numbers.reverse()\` | no | $O(n)$ time, $O(1)$ memory |`;

const SECOND_REPLY = `Sorting first costs $O(n \\log n)$, so for a single reversal it never pays:

$$T(n) = n \\log_2 n \\gg n \\quad \\text{for large } n$$

> Reverse with \`[::-1]\` unless you need the list sorted anyway.`;

test.use({ viewport: { width: 1280, height: 820 } });

test("README screenshots", async ({ page, db, account }) => {
  test.setTimeout(300_000);
  const [user] = await db.query<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" = $1`, [account.email]);
  const now = Date.now();
  await seedConversations(db, user?.id ?? "", [
    { title: "周报：本周工作总结", updatedAt: new Date(now - 2 * 3_600_000), messages: ["帮我整理本周工作", "好的……"] },
    { title: "Trip to Kyoto in April", updatedAt: new Date(now - DAY - 3_600_000), pinnedAt: new Date(now - DAY) },
    { title: "SQL window functions", updatedAt: new Date(now - 3 * DAY) },
    { title: "中英互译：产品介绍", updatedAt: new Date(now - 4 * DAY) },
    {
      title: "Python list comprehension speed",
      updatedAt: new Date(now - 20 * DAY),
      messages: ["Is a list comprehension faster in Python?", "Usually, yes."],
    },
    { title: "Birthday message for Mum", updatedAt: new Date(now - 40 * DAY) },
  ]);

  await page.goto("/");
  const chat = new ChatPage(page);
  await chat.expectReady();
  await chat.send(`How do I reverse a list in Python? [[reply:${FIRST_REPLY}]] [[usage:1200/180]]`);
  await chat.waitForReply();
  await chat.lastAssistant().getByRole("button", { name: "Regenerate" }).click();
  await expect(chat.versions(chat.lastAssistant())).toContainText("2/2", { timeout: 60_000 });
  await chat.send(`Would sorting it first be faster? [[reply:${SECOND_REPLY}]] [[usage:1650/95]]`);
  await chat.waitForReply();
  const conversationId = await chat.conversationId();

  await showTyped(db, { conversationId, title: "Reverse a list in Python" });
  await page.reload();
  await expect(page.locator(".katex").first()).toBeVisible();
  await expect(page.locator(`pre[data-highlighted="true"]`).first()).toBeVisible();
  await shot(page, "chat");

  await chat.picker().selectOption("gpt-4.1");
  await chat.setParameters({ "System prompt": "You are a concise Python tutor.", Temperature: "0.3" });
  await page.getByRole("button", { name: "Parameters" }).click();
  await expect(chat.parameters()).toBeVisible();
  await shot(page, "parameters");
  await chat.parameters().getByRole("button", { name: "Cancel" }).click();

  const sidebar = new Sidebar(page);
  await page.keyboard.press("Control+K");
  await sidebar.search.fill("python");
  await expect(sidebar.results().locator("mark").first()).toBeVisible();
  await shot(page, "history");

  await page.goto("/presets");
  await expect(page.getByRole("heading", { name: "Presets", level: 1 })).toBeVisible();
  await shot(page, "presets");

  await page.goto("/usage");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await shot(page, "usage");

  await page.goto("/settings");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await shot(page, "settings");
});

test("README screenshot of the Compare page", async ({ page, account: _signedIn }) => {
  test.setTimeout(120_000);
  const models = ["gpt-5-mini", "gpt-4o-mini", "gpt-4.1-nano"];
  const typed = "In one paragraph: why do prices per token differ between models?";
  const reply =
    "Bigger models need more compute per token (more parameters to run, more memory to hold), so each token costs " +
    "the provider more to serve; smaller and distilled models answer faster and cheaper, at some loss of depth.";
  await page.goto("/compare");
  await page.getByLabel("Prompt", { exact: true }).fill(`${typed} [[reply:${reply}]] [[usage:412/58]] [[slow:40]]`);
  await page.getByLabel("System prompt (optional)").fill("Answer briefly.");
  for (const model of models) await page.getByRole("checkbox", { name: model, exact: true }).check();
  await page.getByRole("button", { name: "Compare", exact: true }).click();
  await expect(page.getByText(/^Whole comparison: /)).toBeVisible();
  // What a user would have typed, without the fake upstream's markers.
  await page.getByLabel("Prompt", { exact: true }).fill(typed);
  await page.getByLabel("Prompt", { exact: true }).blur();
  // Tall enough for the prompt and the answers in one picture.
  await page.setViewportSize({ width: 1280, height: 1100 });
  await page.getByRole("region", { name: "Answers" }).evaluate((answers) => answers.scrollIntoView({ block: "end" }));
  await shot(page, "compare");
});

test("README screenshot of the playground", async ({ page, db, account }) => {
  const prompt = "Write a tagline for a budgeting app for freelancers.\nTagline:";
  const replies = [
    " Know what every invoice leaves you, before you spend it.",
    " Your income is irregular. Your budget shouldn't be.",
  ];
  const response = await page.request.post("/api/playground", {
    data: {
      model: "gpt-3.5-turbo-instruct",
      prompt: `${prompt} [[replies:${replies.join("|||")}]] [[usage:14/26]]`,
      temperature: 0.9,
      maxTokens: 40,
      n: 2,
      stop: ["\n"],
    },
  });
  expect(response.status()).toBe(200);
  await response.text();
  // The prompt as a user would have typed it, without the fake upstream's markers.
  await db.query(`UPDATE "CompletionRun" SET "prompt" = $1 WHERE "userId" = $2`, [prompt, account.id]);
  await page.goto("/playground");
  await page
    .getByRole("region", { name: "History" })
    .getByRole("button", { name: /^Load the prompt and parameters of the run of / })
    .click();
  await expect(page.getByText("14 prompt + 26 completion tokens").first()).toBeVisible();
  // Loading scrolled to the history: the picture starts at the page's top (the title, the form, the output).
  await page.getByRole("heading", { name: "Playground", level: 1 }).evaluate((title) => {
    const scroller = title.closest(".overflow-y-auto");
    if (scroller) scroller.scrollTop = 0;
  });
  await shot(page, "playground");
});

test("README screenshot: tokenizer", async ({ page, account: _signedIn }) => {
  // Tall enough for the text, the counts, the tokens and the first rows of the costs.
  await page.setViewportSize({ width: 1280, height: 1500 });
  await page.goto("/tokenizer");
  await page.getByRole("button", { name: "中文", exact: true }).click();
  await page.getByRole("combobox", { name: "Encoding" }).selectOption("cl100k_base");
  const view = page.getByRole("region", { name: /^The text as [\d,]+ tokens$/ });
  await expect(view.locator("[data-token]").first()).toHaveText("人");
  // A character that cl100k_base writes as several byte tokens (ids separated by spaces in the tooltip): its span
  // shows all their ids.
  await view.locator("[data-token][title*=' ']").first().hover();
  await expect(page.getByText(/^Tokens \d+–\d+ of \d+: .* — ids /)).toBeVisible();
  await shot(page, "tokenizer");
});
