import type { Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { computeCost } from "../lib/billing/cost";
import { formatUsd } from "../lib/billing/money";
import { findPrice } from "../lib/billing/prices";
import { newSignedInPage } from "./accounts";
import { expect, test } from "./fixtures";

// The Completions playground (/playground) against the fake upstream's POST /v1/completions
// (e2e/fake-openai/completions.ts), whose usage is scripted with [[usage:P/C]] so the cost is known exactly.
// gpt-3.5-turbo-instruct: $1.50 in, $2.00 out per 1M (@pydantic/genai-prices):
//   1,234 prompt + 57 completion tokens = 1,851 + 114 = 1,965 micro-USD, $0.001965.

const MODEL = "gpt-3.5-turbo-instruct";

/** The exact cost of that usage at today's price, from the price table and the cost rule the app charges with. */
function expectedCost(promptTokens: number, completionTokens: number): number {
  const price = findPrice({ model: MODEL, at: new Date() });
  if (!price) throw new Error(`${MODEL} has no price`);
  return computeCost({ promptTokens, cachedTokens: 0, completionTokens }, price);
}

async function openPlayground(page: Page) {
  await page.goto("/playground");
  await expect(page.getByRole("heading", { name: "Playground", level: 1 })).toBeVisible();
}

async function entriesOf(
  db: { query: (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]> },
  userId: string,
) {
  return db.query(
    `SELECT "id", "kind", "status", "costMicros", "promptTokens", "completionTokens", "maxOutputTokens", "isEstimated", "conversationId" FROM "LedgerEntry" WHERE "userId" = $1 ORDER BY "createdAt"`,
    [userId],
  );
}

test("a run streams its choices, shows its usage and exact cost, is a settled completion entry, and stays in the history", async ({
  page,
  account,
  db,
  upstream,
}) => {
  const cost = expectedCost(1_234, 57);
  expect(cost).toBe(1_965);
  await openPlayground(page);
  const marker = `story-${account.id}`;
  await page
    .getByLabel("Prompt", { exact: true })
    .fill(`Once upon a time. The end ${marker} [[usage:1234/57]] [[slow:150]]`);
  await expect(page.getByLabel("Model")).toHaveValue(MODEL);
  await expect(page.getByText("$1.50 in · $2.00 out per 1M tokens")).toBeVisible();
  await page.getByLabel("Temperature").fill("0.7");
  await page.getByLabel("Max tokens").fill("100");
  await page.getByLabel("Completions (n)").selectOption("2");
  await page.getByLabel("Stop sequences").fill(".");
  await page.getByRole("button", { name: "Run", exact: true }).click();

  // Streaming: the worst case held, the first words before the last, Stop offered.
  const output = page.getByRole("region", { name: "Output" });
  await expect(output.getByText(/^Up to \$0\.\d+ held while it runs$/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Stop", exact: true })).toBeEnabled();
  const first = output.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Completion 1" }) });
  const second = output.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Completion 2" }) });
  await expect(first.locator("pre")).toHaveText("Echo: Once upon a time");
  await expect(second.locator("pre")).toHaveText("Echo 2: Once upon a time");
  await expect(first.getByText("Finished", { exact: true })).toBeVisible();

  // Settled: the upstream's usage and its exact cost.
  await expect(output.getByText("1,234 prompt + 57 completion tokens")).toBeVisible();
  await expect(output.getByText(`Cost ${formatUsd(cost)}`, { exact: true })).toBeVisible();
  await expect(output.getByText("$0.001965")).toBeVisible();
  const [entry] = await entriesOf(db, account.id);
  expect(entry).toMatchObject({
    kind: "completion",
    status: "settled",
    promptTokens: 1_234,
    completionTokens: 57,
    maxOutputTokens: 200,
    conversationId: null,
  });
  expect(Number(entry?.costMicros)).toBe(cost);
  expect(Boolean(entry?.isEstimated)).toBe(false);
  const [call] = await upstream.requests({ containing: marker });
  expect(call?.path).toBe("/v1/completions");
  expect(call?.body).toMatchObject({
    model: MODEL,
    max_tokens: 100,
    n: 2,
    stop: ["."],
    temperature: 0.7,
    stream: true,
    stream_options: { include_usage: true },
  });
  expect(call?.body).not.toHaveProperty("top_p");

  // The history keeps it, across a reload, and loads its prompt and parameters back.
  const history = page.getByRole("region", { name: "History" });
  await expect(history.getByRole("listitem")).toHaveCount(1);
  await page.reload();
  await expect(history.getByText("1,234 prompt + 57 completion tokens")).toBeVisible();
  await expect(history.getByText(`Cost ${formatUsd(cost)}`)).toBeVisible();
  await expect(history.getByText(`${MODEL} · temperature 0.7 · top P default · max 100 · n 2`)).toBeVisible();
  await page.getByLabel("Prompt", { exact: true }).fill("something else");
  await history.getByRole("button", { name: /^Load the prompt and parameters of the run of / }).click();
  await expect(page.getByLabel("Prompt", { exact: true })).toHaveValue(
    `Once upon a time. The end ${marker} [[usage:1234/57]] [[slow:150]]`,
  );
  await expect(page.getByLabel("Completions (n)")).toHaveValue("2");
  await expect(page.getByLabel("Temperature")).toHaveValue("0.7");
  await expect(page.getByLabel("Stop sequences")).toHaveValue(".");
  await expect(page.getByRole("region", { name: "Output" }).getByText("Echo 2: Once upon a time")).toBeVisible();

  // The usage page counts it as its own kind.
  await page.goto("/usage");
  const kinds = page.getByRole("region", { name: /^Spend by kind/ });
  await expect(kinds.getByRole("row", { name: /^Completions 1 / })).toContainText("$0.001965");
  const csv = parse(await (await page.request.get("/api/usage/export?range=all")).text(), {
    bom: true,
    columns: true,
  }) as Record<string, string>[];
  expect(
    csv.map((row) => [row.kind, row.status, row.model, row.prompt_tokens, row.completion_tokens, row.cost_usd]),
  ).toEqual([["completion", "settled", MODEL, "1234", "57", "0.001965"]]);

  // Deleting the run keeps its ledger entry: money history never changes.
  await openPlayground(page);
  await page.getByRole("button", { name: /^Delete the run of / }).click();
  await expect(page.getByRole("region", { name: "History" }).getByText("No runs yet.")).toBeVisible();
  expect(await db.query(`SELECT "id" FROM "CompletionRun" WHERE "userId" = $1`, [account.id])).toEqual([]);
  expect((await entriesOf(db, account.id)).map((row) => [row.status, Number(row.costMicros)])).toEqual([
    ["settled", cost],
  ]);
});

test("Stop ends a run at once: charged what streamed, estimated, kept as stopped", async ({
  page,
  account,
  db,
  upstream,
}) => {
  await openPlayground(page);
  const marker = `stop-${account.id}`;
  await page.getByLabel("Prompt", { exact: true }).fill(`${marker} [[words:300]] [[slow:100]]`);
  await page.getByLabel("Max tokens").fill("400");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const output = page.getByRole("region", { name: "Output" });
  await expect(output.locator("pre")).toContainText("word3 ");
  await page.getByRole("button", { name: "Stop", exact: true }).click();
  await expect(output.getByText("estimated", { exact: true })).toBeVisible();
  await expect(output.getByText("Stopped", { exact: true })).toBeVisible();
  await expect.poll(async () => (await upstream.requests({ containing: marker }))[0]?.closedByClient).toBe(true);
  const [entry] = await entriesOf(db, account.id);
  expect(entry).toMatchObject({ kind: "completion", status: "settled" });
  expect(Boolean(entry?.isEstimated)).toBe(true);
  expect(Number(entry?.completionTokens)).toBeGreaterThan(0);
  expect(Number(entry?.completionTokens)).toBeLessThan(300);
  expect(Number(entry?.costMicros)).toBeGreaterThan(0);
  const [run] = await db.query(`SELECT "status" FROM "CompletionRun" WHERE "userId" = $1`, [account.id]);
  expect(run?.status).toBe("stopped");

  // Leaving the page mid-run stops it too (nothing would read the rest): settled, estimated, kept as stopped.
  const left = `left-${account.id}`;
  await page.getByLabel("Prompt", { exact: true }).fill(`${left} [[words:300]] [[slow:100]]`);
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(output.locator("pre")).toContainText("word3 ");
  await page.goto("/usage");
  await expect.poll(async () => (await upstream.requests({ containing: left }))[0]?.closedByClient).toBe(true);
  await expect
    .poll(async () => (await entriesOf(db, account.id)).map((row) => [row.status, Boolean(row.isEstimated)]))
    .toEqual([
      ["settled", true],
      ["settled", true],
    ]);
  await expect
    .poll(async () => (await db.query(`SELECT "status" FROM "CompletionRun" WHERE "userId" = $1`, [account.id])).length)
    .toBe(2);
});

test("fits a phone: nothing scrolls sideways, the controls are reachable", async ({ page, account: _signedIn }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await openPlayground(page);
  await expect(page.getByRole("button", { name: "Run", exact: true })).toBeVisible();
  const overflow = await page.evaluate(() => {
    const main = document.querySelector("h1")?.closest(".overflow-y-auto");
    return main ? main.scrollWidth - main.clientWidth : -1;
  });
  expect(overflow).toBe(0);
  const run = await page.getByRole("button", { name: "Run", exact: true }).boundingBox();
  expect(run?.height ?? 0).toBeGreaterThanOrEqual(44);
});

test("an upstream without text completions is said so: the call released, nothing charged, no run kept", async ({
  page,
  account,
  db,
}) => {
  await openPlayground(page);
  // A chat model, which OpenAI refuses on /v1/completions with a 404.
  await page.getByLabel("Model").selectOption("gpt-4o-mini");
  await page.getByLabel("Prompt", { exact: true }).fill("Complete me");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const alert = page.locator("form").getByRole("alert");
  await expect(alert).toContainText("This server does not offer text completions for gpt-4o-mini");
  await expect(alert).toContainText("This is a chat model and not supported in the v1/completions endpoint");
  await expect(alert).toContainText("Nothing was charged.");
  // A server without the endpoint at all.
  await page.getByLabel("Model").selectOption(MODEL);
  await page.getByLabel("Prompt", { exact: true }).fill("Complete me [[no-route]]");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(alert).toContainText(`This server does not offer text completions for ${MODEL} (404`);
  expect((await entriesOf(db, account.id)).map((row) => [row.kind, row.status, Number(row.costMicros)])).toEqual([
    ["completion", "released", 0],
    ["completion", "released", 0],
  ]);
  expect(await db.query(`SELECT "id" FROM "CompletionRun" WHERE "userId" = $1`, [account.id])).toEqual([]);
  await expect(page.getByRole("region", { name: "History" }).getByText("No runs yet.")).toBeVisible();
  // In Chinese too.
  const response = await page.request.post("/api/playground", {
    headers: { "accept-language": "zh-CN" },
    data: { model: "gpt-4o-mini", prompt: "hi", maxTokens: 10 },
  });
  expect(response.status()).toBe(502);
  expect((await response.json()).error.key).toBe("errors.playgroundNoCompletions");
});

test("bad input is a 400 with a clear message: nothing reserved, sent or kept", async ({
  page,
  account,
  db,
  upstream,
}) => {
  const marker = `bad-${account.id}`;
  const base = { model: MODEL, prompt: `${marker} hello`, maxTokens: 16 };
  const cases: [Record<string, unknown>, string][] = [
    [{ ...base, prompt: "   " }, "Write a prompt to complete."],
    [{ ...base, temperature: 2.5 }, "Temperature must be from 0 to 2."],
    [{ ...base, topP: -0.1 }, "Top P must be from 0 to 1."],
    [{ ...base, maxTokens: 0 }, "Max tokens must be a whole number, at least 1."],
    [{ ...base, maxTokens: 4_096 }, `for this prompt: ${MODEL} takes 4,096 tokens in all and the prompt uses`],
    [{ ...base, n: 5 }, "Completions (n) must be a whole number from 1 to 4."],
    [{ ...base, stop: ["a", "b", "c", "d", "e"] }, "At most 4 stop sequences."],
    [{ ...base, stop: [""] }, "A stop sequence must be 1 to 100 characters long."],
    [
      { ...base, model: "gpt-5-mini" },
      "“gpt-5-mini” is not offered in the playground. Choose one of: gpt-3.5-turbo-instruct, gpt-4o-mini.",
    ],
    [{ ...base, prompt: `${marker} ${"lorem ipsum ".repeat(3_000)}` }, `but ${MODEL} takes 4,096 tokens in all`],
    [{ ...base, extra: true }, "Unrecognized key"],
  ];
  for (const [data, message] of cases) {
    const response = await page.request.post("/api/playground", { data });
    expect(response.status(), JSON.stringify(data).slice(0, 80)).toBe(400);
    expect((await response.json()).error.message).toContain(message);
  }
  expect(await entriesOf(db, account.id)).toEqual([]);
  expect(await upstream.requests({ containing: marker })).toEqual([]);
  expect(await db.query(`SELECT "id" FROM "CompletionRun" WHERE "userId" = $1`, [account.id])).toEqual([]);
  // The page says so in place, and keeps the prompt.
  await openPlayground(page);
  await page.getByLabel("Prompt", { exact: true }).fill(`${marker} again`);
  await page.getByLabel("Temperature").fill("3");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("Temperature must be from 0 to 2.");
  await expect(page.getByLabel("Prompt", { exact: true })).toHaveValue(`${marker} again`);
});

test("another user's run is a 404 everywhere, and their history holds none of it", async ({
  page,
  account,
  browser,
  db,
}) => {
  const response = await page.request.post("/api/playground", {
    data: { model: MODEL, prompt: `private ${account.id} [[usage:5/5]]`, maxTokens: 8 },
  });
  expect(response.status()).toBe(200);
  const lines = (await response.text())
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  const end = lines.at(-1) as { type: string; run: { id: string } };
  expect(end.type).toBe("end");
  const runId = end.run.id;
  const [entry] = await entriesOf(db, account.id);
  const other = await newSignedInPage(browser, db, "playground-other");
  try {
    const api = other.page.request;
    expect((await api.get(`/api/playground/runs/${runId}`)).status()).toBe(404);
    expect((await api.delete(`/api/playground/runs/${runId}`)).status()).toBe(404);
    expect((await api.get(`/api/playground/runs?before=${runId}`)).status()).toBe(404);
    expect((await api.post("/api/playground/stop", { data: { callId: String(entry?.id) } })).status()).toBe(404);
    const list = await api.get("/api/playground/runs");
    expect(list.status()).toBe(200);
    expect(await list.text()).not.toContain(`private ${account.id}`);
  } finally {
    await other.context.close();
  }
  expect((await page.request.get(`/api/playground/runs/${runId}`)).status()).toBe(200);
});
