import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { signInAs } from "./accounts";
import { num, type TestDatabase } from "./db";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";
import { createApiUser } from "./sessions";

// The Compare page (/compare) against the fake upstream: one prompt to several models, each call a ledger entry of
// its own, settled from the usage the prompt scripts ([[usage:P/C]] answers every model alike). Prices per 1M tokens,
// input / output, from the price table (micro-USD): gpt-5-mini 250,000 / 2,000,000; gpt-4o-mini 150,000 / 600,000;
// gpt-4.1-nano 100,000 / 400,000.
const PRICES: Record<string, { input: number; output: number }> = {
  "gpt-5-mini": { input: 250_000, output: 2_000_000 },
  "gpt-4o-mini": { input: 150_000, output: 600_000 },
  "gpt-4.1-nano": { input: 100_000, output: 400_000 },
};
const MODELS = Object.keys(PRICES);

/** A call's exact cost in micro-USD, rounded half up once (lib/billing/cost.ts's rule), computed here on its own. */
function expectedCost(model: string, promptTokens: number, completionTokens: number): number {
  const price = PRICES[model];
  if (!price) throw new Error(`no price for ${model}`);
  const scaled = BigInt(promptTokens) * BigInt(price.input) + BigInt(completionTokens) * BigInt(price.output);
  return Number((scaled + 500_000n) / 1_000_000n);
}

const usd = (micros: number) => `$${(micros / 1_000_000).toFixed(6)}`;

async function userRows(db: TestDatabase, userId: string) {
  const [entries, comparisons] = await Promise.all([
    db.query(
      `SELECT "id", "model", "status", "costMicros", "conversationId", "isEstimated" FROM "LedgerEntry" WHERE "userId" = $1 ORDER BY "model"`,
      [userId],
    ),
    db.query(`SELECT "id" FROM "Comparison" WHERE "userId" = $1`, [userId]),
  ]);
  return { entries, comparisons };
}

test("three models stream side by side; three ledger entries at their exact cost; continue makes a chat", async ({
  page,
  account,
  db,
  upstream,
}) => {
  const marker = `compare-${randomUUID()}`;
  await page.goto("/");
  await page.getByRole("link", { name: "Compare", exact: true }).first().click();
  await expect(page).toHaveURL(/\/compare$/);
  await expect(page.getByRole("heading", { name: "Compare models" })).toBeVisible();

  await page.getByLabel("Prompt", { exact: true }).fill(`${marker} [[usage:1234/56]] [[words:8]] [[slow:400]]`);
  await page.getByLabel("System prompt (optional)").fill("Answer in one line.");
  for (const model of MODELS) await page.getByRole("checkbox", { name: model, exact: true }).check();
  await page.getByRole("button", { name: "Compare", exact: true }).click();

  const columns = MODELS.map((model) => page.getByRole("article", { name: `Answer from ${model}` }));
  // Streaming: every column has its first words while the comparison still runs (Stop is offered until it ends).
  for (const column of columns) await expect(column).toContainText("word1");
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  // Side by side on a desktop: one row, three places in it.
  const boxes = await Promise.all(columns.map((column) => column.boundingBox()));
  expect(new Set(boxes.map((box) => box?.y)).size).toBe(1);
  expect(new Set(boxes.map((box) => box?.x)).size).toBe(3);

  const costs = MODELS.map((model) => expectedCost(model, 1234, 56));
  const total = costs.reduce((sum, cost) => sum + cost, 0);
  await expect(page.getByText(`Whole comparison: ${usd(total)}`)).toBeVisible();
  await expect(page.getByRole("button", { name: "Stop" })).toBeHidden();
  for (const [i, column] of columns.entries()) {
    await expect(column).toContainText("word1 word2 word3 word4 word5 word6 word7 word8");
    await expect(column).toContainText("1,234 in · 56 out");
    await expect(column).toContainText(usd(costs[i] ?? 0));
    await expect(column.getByText(/^\d[\d,]* ms$/)).toHaveCount(2);
  }

  // Three calls upstream, each with the system prompt; three entries, settled exactly, outside any conversation.
  const calls = await upstream.requests({ containing: marker });
  expect(calls.map((call) => (call.body as { model: string }).model).sort()).toEqual([...MODELS].sort());
  for (const call of calls) expect(JSON.stringify(call.body)).toContain("Answer in one line.");
  const { entries } = await userRows(db, account.id);
  expect(entries.map((entry) => [entry.model, entry.status, num(entry.costMicros), entry.conversationId])).toEqual(
    [...MODELS].sort().map((model) => [model, "settled", expectedCost(model, 1234, 56), null]),
  );

  // Continue with gpt-4o-mini: a normal conversation, its entry linked, its cost on the reply and the chat's meter.
  await columns[1]?.getByRole("button", { name: "Continue with this model" }).click();
  await expect(page).toHaveURL(/\/c\/[\w-]+$/);
  const chat = new ChatPage(page);
  await expect(chat.userMessages().first()).toContainText(marker);
  const reply = chat.lastAssistant();
  await expect(reply).toContainText("word1 word2 word3 word4 word5 word6 word7 word8");
  await expect(chat.usage(reply)).toContainText(usd(costs[1] ?? 0));
  await expect(chat.meter("This chat")).toContainText(usd(costs[1] ?? 0));
  const conversationId = await chat.conversationId();
  await expect(page.getByRole("link", { name: new RegExp(marker) }).first()).toBeVisible();
  const linked = await db.query(`SELECT "model" FROM "LedgerEntry" WHERE "userId" = $1 AND "conversationId" = $2`, [
    account.id,
    conversationId,
  ]);
  expect(linked.map((entry) => entry.model)).toEqual(["gpt-4o-mini"]);
  // The next message goes on with that model, as in any chat.
  await chat.send("and then?");
  await chat.waitForReply(1);
  const next = await upstream.requests({ containing: "and then?" });
  expect(next.map((call) => (call.body as { model: string }).model)).toEqual(["gpt-4o-mini"]);
});

const compare = (api: APIRequestContext, data: Record<string, unknown>) => api.post("/api/compare", { data });

/** The NDJSON events of a finished comparison. */
async function events(response: Awaited<ReturnType<typeof compare>>) {
  return (await response.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; comparisonId?: string; [key: string]: unknown });
}

test("over the budget the comparison is refused as a whole: zero upstream calls, zero entries", async ({
  page,
  baseURL,
  db,
  upstream,
}) => {
  // Worst cases at 1,000 output tokens (a prompt of a few dozen tokens adds under 25 micro-USD each): gpt-5-mini
  // about 2,005, gpt-4o-mini 603, gpt-4.1-nano 402 micro-USD. A $0.0028 budget fits any two of them, not all three.
  const user = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "compare-poor", budgetMicros: 2_800 });
  const marker = `compare-poor-${randomUUID()}`;
  const refused = await compare(user.api, { prompt: `${marker} three`, models: MODELS, maxOutputTokens: 1000 });
  expect(refused.status()).toBe(402);
  const body = (await refused.json()) as { error: { code: string; key: string; message: string } };
  expect(body.error).toMatchObject({ code: "budget_exceeded", key: "errors.budgetWouldExceedCalls" });
  expect(body.error.message).toMatch(/This comparison could cost up to \$0\.0030\d* in all \(3 models/);
  expect(await upstream.requests({ containing: marker })).toHaveLength(0);
  expect(await userRows(db, user.id)).toEqual({ entries: [], comparisons: [] });

  // The page says so, with the figures, and shows no column.
  await signInAs(page.request, user);
  await page.goto("/compare");
  await page.getByLabel("Prompt", { exact: true }).fill(`${marker} from the page`);
  for (const model of MODELS) await page.getByRole("checkbox", { name: model, exact: true }).check();
  await page.getByLabel("Max output tokens").fill("1000");
  await page.getByRole("button", { name: "Compare", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "This comparison" })).toContainText(
    /This comparison could cost up to \$0\.0030\d* in all \(3 models/,
  );
  await expect(page.getByRole("article")).toHaveCount(0);
  expect(await upstream.requests({ containing: marker })).toHaveLength(0);
  expect(await userRows(db, user.id)).toEqual({ entries: [], comparisons: [] });

  // Two of them fit: the same request with two models runs.
  const fits = await compare(user.api, {
    prompt: `${marker} two [[usage:10/3]]`,
    models: ["gpt-5-mini", "gpt-4o-mini"],
    maxOutputTokens: 1000,
  });
  expect(fits.status()).toBe(200);
  expect((await events(fits)).at(-1)).toEqual({
    type: "end",
    totalCostMicros: expectedCost("gpt-5-mini", 10, 3) + expectedCost("gpt-4o-mini", 10, 3),
  });
  expect(await upstream.requests({ containing: marker })).toHaveLength(2);
  expect((await userRows(db, user.id)).entries.map((entry) => entry.status)).toEqual(["settled", "settled"]);
  await user.api.dispose();
});

test("bad input is a 400 with a clear message and nothing recorded or sent", async ({ baseURL, db, upstream }) => {
  const user = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "compare-bad" });
  const marker = `compare-bad-${randomUUID()}`;
  // gpt-4's window is 8,192 tokens, 4,096 of them kept for the reply: 5,000 words of prompt (30,000 characters, within
  // a message's 32,000) do not fit.
  const long = `${marker} ${" hello".repeat(5_000)}`;
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["one model", { prompt: marker, models: ["gpt-5-mini"] }, /Pick from 2 to 4 models/],
    ["five models", { prompt: marker, models: [...MODELS, "gpt-4o", "gpt-4.1"] }, /Pick from 2 to 4 models/],
    ["unknown model", { prompt: marker, models: ["gpt-5-mini", "gpt-nonexistent"] }, /Unknown model "gpt-nonexistent"/],
    ["empty prompt", { prompt: "   ", models: MODELS }, /Type a message/],
    ["over the window", { prompt: long, models: ["gpt-5-mini", "gpt-4"] }, /gpt-4 takes 8,192 tokens in all/],
    ["temperature out of range", { prompt: marker, models: MODELS, temperature: 3 }, /Temperature must be from 0 to 2/],
    [
      "output over a model's limit",
      { prompt: marker, models: ["gpt-5-mini", "gpt-4"], maxOutputTokens: 20_000 },
      /gpt-4 writes at most 8,192 output tokens/,
    ],
    ["a field it does not take", { prompt: marker, models: MODELS, userId: "someone" }, /./],
  ];
  for (const [name, data, message] of cases) {
    const response = await compare(user.api, data);
    expect(response.status(), name).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message, name).toMatch(message);
  }
  expect(await upstream.requests({ containing: marker })).toHaveLength(0);
  expect(await userRows(db, user.id)).toEqual({ entries: [], comparisons: [] });
  await user.api.dispose();
});

test("continue and stop are the owner's: another user gets 404; continuing twice is the same chat", async ({
  baseURL,
  db,
}) => {
  const owner = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "compare-owner" });
  const other = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "compare-other" });
  const started = await compare(owner.api, { prompt: "private [[reply:secret answer]]", models: MODELS.slice(0, 2) });
  const comparisonId = (await events(started))[0]?.comparisonId ?? "";
  expect(comparisonId).not.toBe("");
  const before = await userRows(db, owner.id);

  for (const path of [`/api/compare/${comparisonId}/continue`, `/api/compare/${comparisonId}/stop`]) {
    const response = await other.api.post(path, { data: { answer: 0 } });
    expect(response.status(), path).toBe(404);
    expect(await response.text()).not.toContain("secret answer");
  }
  expect(await userRows(db, owner.id)).toEqual(before);
  expect(await db.query(`SELECT "id" FROM "Conversation" WHERE "userId" = $1`, [other.id])).toEqual([]);

  const continued = await owner.api.post(`/api/compare/${comparisonId}/continue`, { data: { answer: 1 } });
  const again = await owner.api.post(`/api/compare/${comparisonId}/continue`, { data: { answer: 1 } });
  expect([continued.status(), again.status()]).toEqual([200, 200]);
  const { conversationId } = (await continued.json()) as { conversationId: string };
  expect(await again.json()).toEqual({ conversationId });
  expect((await other.api.get(`/api/conversations/${conversationId}`)).status()).toBe(404);
  expect((await owner.api.get(`/api/conversations/${conversationId}`)).status()).toBe(200);
  await owner.api.dispose();
  await other.api.dispose();
});

test("Stop, and the page going away, stop every call: each entry settled to what streamed, none left reserved", async ({
  page,
  account,
  db,
  upstream,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/compare");
  const marker = `compare-stop-${randomUUID()}`;
  await page.getByLabel("Prompt", { exact: true }).fill(`${marker} [[words:200]] [[slow:300]]`);
  for (const model of MODELS.slice(0, 2)) await page.getByRole("checkbox", { name: model, exact: true }).check();
  await page.getByRole("button", { name: "Compare", exact: true }).click();
  const columns = MODELS.slice(0, 2).map((model) => page.getByRole("article", { name: `Answer from ${model}` }));
  for (const column of columns) await expect(column).toContainText("word2");
  // Stacked on a phone: one above the other.
  const [top, below] = await Promise.all(columns.map((column) => column.boundingBox()));
  expect((top?.x ?? 0) === (below?.x ?? 1) && (top?.y ?? 0) < (below?.y ?? 0)).toBe(true);
  await page.getByRole("button", { name: "Stop" }).click();
  for (const column of columns) await expect(column).toContainText("estimated");
  await expect(page.getByRole("button", { name: "Stop" })).toBeHidden();
  const stopped = await userRows(db, account.id);
  expect(stopped.entries.map((entry) => [entry.status, Boolean(entry.isEstimated), num(entry.costMicros) > 0])).toEqual(
    [
      ["settled", true, true],
      ["settled", true, true],
    ],
  );
  const calls = await upstream.requests({ containing: marker });
  expect(calls.map((call) => call.closedByClient)).toEqual([true, true]);

  // The page's request dropped mid-stream (a closed tab): the server stops the calls and settles them too.
  const gone = `compare-gone-${randomUUID()}`;
  await page.evaluate(
    async ({ prompt, models }) => {
      const controller = new AbortController();
      const response = await fetch("/api/compare", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ prompt, models }),
        signal: controller.signal,
      });
      const reader = response.body?.getReader();
      let text = "";
      while (reader && !text.includes('"type":"text"')) text += new TextDecoder().decode((await reader.read()).value);
      controller.abort();
    },
    { prompt: `${gone} [[words:200]] [[slow:300]]`, models: MODELS.slice(0, 2) },
  );
  await expect
    .poll(async () => (await upstream.requests({ containing: gone })).map((call) => call.closedByClient))
    .toEqual([true, true]);
  await expect
    .poll(async () => (await userRows(db, account.id)).entries.filter((entry) => entry.status !== "settled").length)
    .toBe(0);
  expect((await userRows(db, account.id)).entries).toHaveLength(4);
});
