import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";
import { SettingsPage } from "./pages/settings-page";

// gpt-5-mini's price (from the price table): $0.25 / 1M input, $0.025 / 1M cached input, $2.00 / 1M output.
// 12,345 prompt + 678 completion = 3,086.25 + 1,356 = 4,442.25 → 4,442 micro-USD
// 2,000 prompt (1,500 cached) + 30 completion = 125 + 37.5 + 60 = 222.5 → 223 micro-USD

test.beforeEach(async ({ page, account: _signedIn }) => {
  await page.goto("/");
  await new ChatPage(page).expectReady();
});

test("exact cost per message, per chat and for the month, from the upstream's usage and the price table", async ({
  page,
}) => {
  const chat = new ChatPage(page);
  await expect(chat.meter("This month")).toContainText("$0.00 of $10.00 budget");
  // The meter's new figures ride on each reply's final metadata: a finished reply needs no second request.
  const meterReads: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/api/usage/summary")) meterReads.push(request.url());
  });

  await chat.send("[[usage:12345/678]] first");
  const first = await chat.waitForReply(0);
  const firstCost = chat.usage(first).getByText("$0.004442", { exact: true });
  await expect(firstCost).toBeVisible();
  await expect(firstCost).toHaveAttribute(
    "title",
    "gpt-5-mini: $0.25 / 1M input, $0.025 / 1M cached, $2.00 / 1M output, prices of 2025-08-07",
  );
  await expect(chat.meter("This chat")).toContainText("$0.004442");
  await expect(chat.meter("This chat")).toContainText("12,345 in / 678 out tokens");
  await expect(chat.meter("This month")).toContainText("$0.004442");

  await chat.send("[[usage:2000/30/1500/12]] second");
  const second = await chat.waitForReply(1);
  await expect(chat.usage(second)).toContainText("$0.000223");
  await expect(chat.meter("This chat")).toContainText("$0.004665");
  await expect(chat.meter("This chat")).toContainText("14,345 in / 708 out tokens");
  await expect(chat.meter("This month")).toContainText("$0.004665");
  expect(meterReads).toEqual([]);

  // A second chat: its own total starts at zero, the month carries on.
  await page.goto("/");
  await chat.send("[[usage:1000/100]] another chat");
  await chat.waitForReply(0);
  await expect(chat.meter("This chat")).toContainText("$0.000450");
  await expect(chat.meter("This month")).toContainText("$0.005115");

  // The same figures after a reload, from the ledger.
  await page.reload();
  await expect(chat.meter("This month")).toContainText("$0.005115");
  await expect(chat.usage(chat.lastAssistant())).toContainText("$0.000450");
});

test("the next message's prompt tokens and worst-case cost are estimated while typing", async ({ page }) => {
  const chat = new ChatPage(page);
  const next = chat.meter("Next message");
  await expect(next).toContainText("Type a message");
  // "hello world" is 2 tokens in o200k_base; one user message costs 3 + 1 (role) + 2 + 3 (reply priming) = 9.
  await chat.composer.fill("hello world");
  await expect(next).toContainText(/^Next message9 prompt tokens/);
  // Worst case: 9 × $0.25/1M + 4,096 × $2.00/1M = 2.25 + 8,192 = 8,194.25 → 8,195 micro-USD (rounded up).
  await expect(next).toContainText("up to $0.008195");
  await chat.composer.fill("你好，世界");
  await expect(next).not.toContainText(/^Next message9 prompt tokens/);
  await expect(next).toContainText(/\d+ prompt tokens/);
});

test("a stopped reply is charged an estimate and labelled so", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.send("[[words:3000]][[slow:80]] stop me");
  await expect(chat.lastAssistant()).toContainText("word3");
  await page.getByRole("button", { name: "Stop", exact: true }).click();
  const reply = chat.lastAssistant();
  await expect(async () => {
    await page.reload();
    await expect(chat.usage(reply)).toContainText("Stopped", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(chat.usage(reply).getByText("estimated", { exact: true })).toBeVisible();
  await expect(chat.usage(reply)).toContainText(/~\d+ completion tokens/);
  await expect(chat.usage(reply)).toContainText(/\$0\.000\d{3}/);
  await expect(chat.meter("This chat")).toContainText("incl. estimated");
});

test("over budget: refused with the numbers, nothing sent upstream, the draft kept", async ({ page, upstream }) => {
  await new SettingsPage(page).setBudget("0.001");
  await page.goto("/");
  const chat = new ChatPage(page);
  const marker = `over-budget-${Date.now()}`;
  await chat.send(`Tell me a story ${marker}`);
  await expect(chat.alert()).toContainText("could cost up to $0.00");
  await expect(chat.alert()).toContainText("only $0.001000 of your $0.001000 monthly budget is left");
  await expect(chat.composer).toHaveValue(`Tell me a story ${marker}`);
  await expect(chat.userMessages()).toHaveCount(0);
  expect(await upstream.requests({ containing: marker })).toEqual([]);
  await expect(chat.sidebar.getByRole("link")).toHaveCount(0);
});

test("warnings at 80% and 100% of the budget", async ({ page }) => {
  // A limit of $0.0085 fits one worst case (≈ $0.0082); the upstream then reports usage worth 85% and later 100%+.
  await new SettingsPage(page).setBudget("0.0085");
  await page.goto("/");
  const chat = new ChatPage(page);
  await chat.send("[[usage:100/3600]] almost there"); // 25 + 7,200 = 7,225 micro-USD = 85%
  await chat.waitForReply();
  await expect(chat.meter("This month")).toContainText("85% of your monthly budget is used");
  await expect(chat.meter("This month").getByRole("progressbar")).toHaveAttribute("aria-valuenow", "85");

  await new SettingsPage(page).setBudget("0.0090");
  await page.goto("/");
  // Worst case ≈ 8,195 of the 1,775 left: refused.
  await chat.send("one more");
  await expect(chat.alert()).toContainText("monthly budget is left");

  await new SettingsPage(page).setBudget("0.0160");
  await page.goto("/");
  // The reply stops at the 4,096-token output limit; a prompt larger than counted takes the month over:
  // 3,300 × 0.25 + 4,096 × 2 = 825 + 8,192 = 9,017: 7,225 + 9,017 = 16,242 ≥ 16,000.
  await chat.send("[[usage:3300/4096]] over the top");
  await chat.waitForReply();
  await expect(chat.meter("This month")).toContainText("Your monthly budget is used up");
});
