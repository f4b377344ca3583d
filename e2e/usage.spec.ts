import fs from "node:fs";
import { request as playwrightRequest } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { newSignedInPage } from "./accounts";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

// gpt-5-mini at $0.25 / $0.025 cached / $2.00 per 1M tokens (micro-USD, rounded half-up once per call):
//   12,345 prompt + 678 completion                  → 3,086.25 + 1,356 = 4,442.25 → 4,442
//   2,000 prompt of which 1,500 cached, 30 completion → 125 + 37.5 + 60 = 222.5   → 223
const FIRST = "[[usage:12345/678]] What does a ledger cost?";
const SECOND = "[[usage:2000/30/1500/12]] And with the cache?";
const PRICE_LABEL = "gpt-5-mini: $0.25 / 1M input, $0.025 / 1M cached, $2.00 / 1M output, prices of 2025-08-07";
const UTC_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

type CsvRow = Record<string, string>;

function today() {
  return new Date().toISOString().slice(0, 10);
}

function region(page: import("@playwright/test").Page, name: string | RegExp) {
  return page.getByRole("region", { name, exact: true });
}

/** The ledger's body rows (not its header), newest first. */
function ledgerRows(page: import("@playwright/test").Page) {
  return region(page, /^Ledger/)
    .getByRole("row")
    .filter({ has: page.getByRole("cell") });
}

/** Opens /usage once every call of the user has settled (the ledger settles as the reply is stored). */
async function openSettledUsage(page: import("@playwright/test").Page, calls: number, query = "") {
  await expect(async () => {
    await page.goto(`/usage${query}`);
    await expect(ledgerRows(page)).toHaveCount(calls, { timeout: 1_000 });
    await expect(ledgerRows(page).getByText("reserved", { exact: true })).toHaveCount(0, { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
}

async function downloadCsv(page: import("@playwright/test").Page) {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  const text = fs.readFileSync(await download.path(), "utf8");
  return { filename: download.suggestedFilename(), text, rows: parse(text, { bom: true, columns: true }) as CsvRow[] };
}

test("the usage page and its CSV show each call's exact tokens and cost, and a second user sees none of it", async ({
  page,
  browser,
  db,
  account: _signedIn,
}) => {
  await page.goto("/");
  const chat = new ChatPage(page);
  await chat.expectReady();
  await chat.send(FIRST);
  await chat.waitForReply(0);
  await chat.send(SECOND);
  await chat.waitForReply(1);
  const conversationId = await chat.conversationId();

  await openSettledUsage(page, 2);
  await expect(page.getByRole("heading", { level: 1, name: "Usage" })).toBeVisible();

  // Newest first; the title links to the conversation; the cost's tooltip is the price it was charged at.
  const [second, first] = [ledgerRows(page).nth(0), ledgerRows(page).nth(1)];
  await expect(second.getByRole("cell")).toHaveText([
    UTC_TIME,
    "chat",
    "gpt-5-mini",
    FIRST,
    "2,000",
    "1,500",
    "30",
    "12",
    "$0.000223",
  ]);
  await expect(first.getByRole("cell")).toHaveText([
    UTC_TIME,
    "chat",
    "gpt-5-mini",
    FIRST,
    "12,345",
    "0",
    "678",
    "0",
    "$0.004442",
  ]);
  await expect(first.getByRole("link", { name: FIRST })).toHaveAttribute("href", `/c/${conversationId}`);
  await expect(first.getByText("$0.004442", { exact: true })).toHaveAttribute("title", PRICE_LABEL);

  // The month's total is the exact sum, 4,442 + 223 micro-USD, here and in the table of months.
  const month = new Date().toISOString().slice(0, 7);
  const thisMonth = region(page, "This month");
  await expect(thisMonth).toContainText("$0.004665");
  await expect(thisMonth).toContainText(`spent in ${month} (UTC) of a $10.00 budget`);
  await expect(thisMonth.getByRole("progressbar", { name: "Monthly budget used" })).toHaveAttribute(
    "aria-valuenow",
    "0",
  );
  const monthRow = region(page, "Totals by month")
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: month }) });
  await expect(monthRow.getByRole("cell")).toHaveText(["2", "14,345", "708", "$0.004665"]);

  // Each chart has a heading and the same figures as a table.
  const daily = page.getByRole("figure", { name: "Spend per day, last 30 days (UTC)" });
  await expect(daily).toContainText("$0.004665 over the last 30 days in 2 calls");
  await daily.getByText("Show as table").click();
  const todayRow = daily.getByRole("row").filter({ has: page.getByRole("rowheader", { name: today() }) });
  await expect(todayRow.getByRole("cell")).toHaveText(["2", "$0.004665"]);
  const perModel = page.getByRole("figure", { name: "Spend per model, last 30 days" });
  await perModel.getByText("Show as table").click();
  const modelRow = perModel.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "gpt-5-mini" }) });
  await expect(modelRow.getByRole("cell")).toHaveText(["2", "14,345", "708", "$0.004665"]);

  // The CSV: one row per call, oldest first, exact amounts and the price snapshot.
  const csv = await downloadCsv(page);
  expect(csv.filename).toBe(`chatledger-usage-${today()}.csv`);
  expect(csv.rows).toHaveLength(2);
  const common = {
    kind: "chat",
    status: "settled",
    model: "gpt-5-mini",
    conversation_id: conversationId,
    conversation_title: FIRST,
    is_estimated: "false",
    is_unpriced: "false",
    price_input_per_1m_usd: "0.250000",
    price_cached_input_per_1m_usd: "0.025000",
    price_output_per_1m_usd: "2.000000",
    price_date: "2025-08-07",
  };
  expect(csv.rows[0]).toMatchObject({
    ...common,
    prompt_tokens: "12345",
    cached_tokens: "0",
    completion_tokens: "678",
    reasoning_tokens: "0",
    cost_usd: "0.004442",
    cost_micros: "4442",
  });
  expect(csv.rows[1]).toMatchObject({
    ...common,
    prompt_tokens: "2000",
    cached_tokens: "1500",
    completion_tokens: "30",
    reasoning_tokens: "12",
    cost_usd: "0.000223",
    cost_micros: "223",
  });
  for (const row of csv.rows) expect(new Date(row.created_at ?? "").toISOString()).toBe(row.created_at);
  expect(csv.rows.reduce((sum, row) => sum + BigInt(row.cost_micros ?? ""), 0n)).toBe(4665n);

  // A second user: nothing of the first user's, on the page or in the export.
  const { context, page: otherPage } = await newSignedInPage(browser, db, "usage-other");
  try {
    await otherPage.goto("/usage");
    await expect(region(otherPage, "This month")).toContainText("$0.00 spent");
    await expect(region(otherPage, "Totals by month")).toContainText("No spend yet.");
    await expect(region(otherPage, /^Ledger/)).toContainText("No calls in this range.");
    await expect(otherPage.getByText(FIRST)).toHaveCount(0);
    const otherCsv = await downloadCsv(otherPage);
    expect(otherCsv.rows).toEqual([]);
    expect(otherCsv.text).not.toContain(conversationId);
    const all = await otherPage.request.get("/api/usage/export?range=all");
    expect(all.status()).toBe(200);
    expect(await all.text()).not.toContain(conversationId);
  } finally {
    await context.close();
  }
});

test("a deleted chat's calls stay in the ledger and the export, and titles are quoted and defused", async ({
  page,
  account: _signedIn,
}) => {
  await page.goto("/");
  const chat = new ChatPage(page);
  await chat.expectReady();
  // A spreadsheet would run a cell starting with "=": the export prefixes an apostrophe.
  const risky = '=SUM(1,2) "预算", 报告 [[usage:10/3]]';
  await chat.send(risky);
  await chat.waitForReply();
  const kept = await chat.conversationId();

  await page.goto("/");
  await chat.expectReady();
  await chat.send("[[usage:12345/678]] soon deleted");
  await chat.waitForReply();
  const deleted = await chat.conversationId();
  expect((await page.request.delete(`/api/conversations/${deleted}`)).status()).toBe(204);

  await openSettledUsage(page, 2, "?range=month");
  await expect(
    page.getByRole("navigation", { name: "Range" }).getByRole("link", { name: "This month" }),
  ).toHaveAttribute("aria-current", "page");
  const [newest, oldest] = [ledgerRows(page).nth(0), ledgerRows(page).nth(1)];
  await expect(newest.getByRole("cell").nth(3)).toHaveText("deleted chat");
  await expect(newest.getByRole("link")).toHaveCount(0);
  await expect(newest.getByRole("cell").last()).toHaveText("$0.004442");
  // 10 × $0.25 + 3 × $2.00 per 1M = 8.5 micro-USD → 9.
  await expect(oldest.getByRole("cell").last()).toHaveText("$0.000009");
  await expect(oldest.getByRole("link", { name: risky })).toHaveAttribute("href", `/c/${kept}`);
  await expect(region(page, "This month")).toContainText("$0.004451");

  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", "/api/usage/export?range=month");
  const csv = await downloadCsv(page);
  expect(csv.rows.map((row) => [row.conversation_id, row.conversation_title, row.cost_usd])).toEqual([
    [kept, `'${risky}`, "0.000009"],
    [deleted, "", "0.004442"],
  ]);
  // The title went through the quoting rules, not around them.
  expect(csv.text).toContain(`"'=SUM(1,2) ""预算"", 报告 [[usage:10/3]]"`);
});

test("signed out: the page sends you to sign in and the export is a 401", async ({ page, baseURL }) => {
  await page.goto("/usage");
  await expect(page).toHaveURL(/\/sign-in/);
  const anonymous = await playwrightRequest.newContext({ baseURL });
  try {
    const response = await anonymous.get("/api/usage/export");
    expect(response.status()).toBe(401);
    expect((await response.json()).error.code).toBe("unauthorized");
  } finally {
    await anonymous.dispose();
  }
});

test("a wrong export range is a 400 and a wrong page parameter falls back to the first page", async ({
  page,
  account: _signedIn,
}) => {
  await page.goto("/");
  await new ChatPage(page).expectReady();
  const response = await page.request.get("/api/usage/export?range=7d");
  expect(response.status()).toBe(400);
  expect((await response.json()).error.code).toBe("bad_request");
  const pageResponse = await page.goto("/usage?range=forever&page=-3");
  expect(pageResponse?.status()).toBe(200);
  await expect(
    page.getByRole("navigation", { name: "Range" }).getByRole("link", { name: "Last 30 days" }),
  ).toHaveAttribute("aria-current", "page");
});
