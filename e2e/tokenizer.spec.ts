import type { Locator } from "@playwright/test";
import * as cl100k from "gpt-tokenizer/encoding/cl100k_base";
import * as o200k from "gpt-tokenizer/encoding/o200k_base";
import { EXAMPLES } from "../components/tokenizer/examples";
import { expect, test } from "./fixtures";

// The tokenizer page (/tokenizer) against gpt-tokenizer run here, in the test process: every count expected below
// is the library's, never a number written down. Prices are the app's price sources' (lib/billing/prices.ts):
//   gpt-4 (cl100k_base): $30 / 1M in, $60 / 1M out → 30 and 60 micro-USD per token, exact;
//   gpt-5-mini (o200k_base): $0.25 / 1M in, $2 / 1M out → tokens × 0.25 micro-USD, rounded half-up.

const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };
const library = {
  o200k_base: (text: string) => o200k.encode(text, AS_PLAIN_TEXT),
  cl100k_base: (text: string) => cl100k.encode(text, AS_PLAIN_TEXT),
};

const TEXTS = {
  English: "Hello, world! Tokenizers split text into byte-pair merges: 1234567.",
  Chinese: "人工智能正在改变世界。机器学习是人工智能的一个重要分支。",
  emoji: "👍🏽 👨‍👩‍👧‍👦 🇨🇳🇺🇸 ok",
};

/** The row of a table whose header cell is `name`. */
const rowOf = (table: Locator, name: string) =>
  table.getByRole("row").filter({ has: table.page().getByRole("rowheader", { name, exact: true }) });

/** "1,234": counts as the page writes them in English. */
const grouped = (count: number) => count.toLocaleString("en-US");
/** micro-USD → "$0.003000", the app's format for amounts under a cent (all of this spec's). */
const usd = (micros: number) => `$${(micros / 1_000_000).toFixed(6)}`;

test("counts as gpt-tokenizer does, shows a token's ids on hover, prices each model to the micro-dollar", async ({
  page,
  account: _signedIn,
}) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Tokenizer", exact: true }).click();
  await expect(page).toHaveURL(/\/tokenizer$/);
  await expect(page.getByRole("heading", { level: 1, name: "Tokenizer" })).toBeVisible();

  const textBox = page.getByRole("textbox", { name: "Text", exact: true });
  const counts = page.getByRole("region", { name: "Counts" });
  const tokensOf = (encoding: string) => rowOf(counts, encoding).getByRole("cell").first();
  const expectCounts = async (text: string) => {
    for (const encoding of ["o200k_base", "cl100k_base"] as const) {
      await expect(tokensOf(encoding)).toHaveText(grouped(library[encoding](text).length));
    }
    await expect(counts.getByText(`${grouped([...text].length)} characters (Unicode code points)`)).toBeVisible();
  };

  for (const text of Object.values(TEXTS)) {
    await textBox.fill(text);
    await expectCounts(text);
  }

  // Hover: the first span of "Hello, world!…" in o200k_base is its first token.
  await textBox.fill(TEXTS.English);
  await expectCounts(TEXTS.English);
  const view = page.getByRole("region", { name: /^The text as [\d,]+ tokens$/ });
  const spans = view.locator("[data-token]");
  await expect(spans).toHaveCount(library.o200k_base(TEXTS.English).length);
  await spans.first().hover();
  const [firstId] = library.o200k_base(TEXTS.English);
  await expect(page.getByText(`Token 1 of`)).toHaveText(
    `Token 1 of ${library.o200k_base(TEXTS.English).length}: "Hello" — id ${firstId}`,
  );
  // The spans joined are the text.
  expect(await view.evaluate((element) => element.textContent)).toBe(TEXTS.English);

  // In cl100k_base "龘" is several tokens of its bytes: one span, showing all their ids.
  await page.getByRole("combobox", { name: "Encoding" }).selectOption("cl100k_base");
  await textBox.fill("龘 ok");
  const rare = library.cl100k_base("龘");
  expect(rare.length).toBeGreaterThan(1);
  await expect(view.locator("[data-token='0']")).toHaveText("龘");
  await view.locator("[data-token='0']").hover();
  await expect(page.getByText("Tokens 1–")).toHaveText(
    `Tokens 1–${rare.length} of ${library.cl100k_base("龘 ok").length}: "龘" — ids ${rare.join(", ")}`,
  );

  // One click on an example loads it; the costs follow its counts.
  await page.getByRole("button", { name: "中文", exact: true }).click();
  await expect(textBox).toHaveValue(EXAMPLES.chinese);
  await expectCounts(EXAMPLES.chinese);
  const costs = page.getByRole("region", { name: /^What this text costs/ });
  const gpt4 = library.cl100k_base(EXAMPLES.chinese).length;
  const gpt4Row = rowOf(costs, "gpt-4");
  await expect(gpt4Row.getByRole("cell")).toHaveText([
    "cl100k_base",
    grouped(gpt4),
    usd(gpt4 * 30),
    usd(gpt4 * 60),
    /^\$30\.00 in · \$60\.00 out/,
  ]);
  const mini = library.o200k_base(EXAMPLES.chinese).length;
  const miniRow = rowOf(costs, "gpt-5-mini");
  await expect(miniRow.getByRole("cell")).toHaveText([
    "o200k_base",
    grouped(mini),
    usd(Math.floor((mini * 250_000 + 500_000) / 1_000_000)),
    usd(mini * 2),
    /^\$0\.25 in · \$2\.00 out/,
  ]);

  // A long text shows its first spans, and all on request.
  const long = "Tokens are not words. ".repeat(1_000);
  const longTokens = library.o200k_base(long).length;
  await page.getByRole("combobox", { name: "Encoding" }).selectOption("o200k_base");
  await textBox.fill(long);
  await expectCounts(long);
  await expect(page.getByText(/^Showing the first [\d,]+ of [\d,]+ tokens\.$/)).toHaveText(
    new RegExp(`of ${grouped(longTokens)} tokens\\.$`),
  );
  expect(await spans.count()).toBeLessThan(longTokens);
  await page.getByRole("button", { name: "Show all", exact: true }).click();
  await expect(spans).toHaveCount(longTokens);
  await expect(page.getByText(/^Showing the first/)).toBeHidden();
  expect(await view.evaluate((element) => element.textContent)).toBe(long);

  // A phone: nothing scrolls sideways.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.getByRole("button", { name: "Emoji and code", exact: true }).click();
  await expectCounts(EXAMPLES.emojiAndCode);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});

test("signed out, /tokenizer is the sign-in page", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  try {
    const page = await context.newPage();
    await page.goto("/tokenizer");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=.*tokenizer/);
  } finally {
    await context.close();
  }
});
