import type { Locator } from "@playwright/test";
import { newSignedInPage } from "./accounts";
import { num } from "./db";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

type SentBody = {
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  reasoning_effort?: string;
};

async function sentBody(
  upstream: { requests(filter: { containing: string }): Promise<{ body: unknown }[]> },
  marker: string,
) {
  const requests = await upstream.requests({ containing: marker });
  expect(requests).toHaveLength(1);
  return requests[0]?.body as SentBody;
}

/** micro-USD of the meter's "up to $0.00…" (amounts under a cent are shown to the micro-dollar). */
async function shownWorstCase(next: Locator): Promise<number> {
  const match = /up to \$0\.(\d{6})/.exec((await next.textContent()) ?? "");
  if (!match?.[1]) throw new Error(`no worst case shown: ${await next.textContent()}`);
  return Number(match[1]);
}

async function shownPromptTokens(next: Locator): Promise<number> {
  const match = /([\d,]+) prompt tokens/.exec((await next.textContent()) ?? "");
  if (!match?.[1]) throw new Error(`no prompt tokens shown: ${await next.textContent()}`);
  return Number(match[1].replaceAll(",", ""));
}

test("system prompt, temperature and max output tokens set in the panel go upstream and stay with the chat", async ({
  page,
  upstream,
  account: _account,
}) => {
  await page.goto("/");
  const chat = new ChatPage(page);
  await chat.picker().selectOption("gpt-4o-mini");
  // A new chat sets them before its first message.
  await chat.setParameters({
    "System prompt": "You answer like a pirate.",
    Temperature: "0.3",
    "Max output tokens": "1000",
  });
  const marker = `pirate ${Date.now()}`;
  await chat.send(marker);
  await chat.waitForReply();

  const body = await sentBody(upstream, marker);
  expect(body.model).toBe("gpt-4o-mini");
  expect(body.messages[0]).toEqual({ role: "system", content: "You answer like a pirate." });
  expect(body.messages.at(-1)).toEqual({ role: "user", content: marker });
  expect(body.temperature).toBe(0.3);
  expect(body.max_tokens ?? body.max_completion_tokens).toBe(1000);
  expect(body.reasoning_effort).toBeUndefined();

  await chat.conversationId();
  await page.reload();
  await page.getByRole("button", { name: "Parameters" }).click();
  const panel = chat.parameters();
  await expect(panel.getByLabel("System prompt")).toHaveValue("You answer like a pirate.");
  await expect(panel.getByLabel("Temperature", { exact: true })).toHaveValue("0.3");
  await expect(panel.getByLabel("Max output tokens")).toHaveValue("1000");
});

test("a reasoning model takes reasoning effort instead of temperature", async ({
  page,
  upstream,
  account: _account,
}) => {
  await page.goto("/");
  const chat = new ChatPage(page);
  // Set on a plain chat model, then the chat switches to a reasoning one: temperature is neither shown nor sent.
  await chat.picker().selectOption("gpt-4o-mini");
  await chat.setParameters({ Temperature: "0.7" });
  await chat.picker().selectOption("gpt-5-mini");
  await page.getByRole("button", { name: "Parameters" }).click();
  await expect(chat.parameters().getByLabel("Temperature", { exact: true })).toHaveCount(0);
  await expect(chat.parameters().getByLabel("Top P")).toHaveCount(0);
  await chat.setParameters({ "Reasoning effort": "low" });

  const marker = `think briefly ${Date.now()}`;
  await chat.send(marker);
  await chat.waitForReply();
  const body = await sentBody(upstream, marker);
  expect(body.model).toBe("gpt-5-mini");
  expect(body.reasoning_effort).toBe("low");
  expect(body.temperature).toBeUndefined();
  expect(body.top_p).toBeUndefined();
  // The default output limit, for a reasoning model as max_completion_tokens.
  expect(body.max_completion_tokens).toBe(4096);
});

test("out-of-range and refused parameters: the form says why, the API answers 400, nothing is written", async ({
  page,
  upstream,
  db,
  account: _account,
}) => {
  await page.goto("/");
  const chat = new ChatPage(page);
  await chat.picker().selectOption("gpt-4o-mini");
  await chat.setParameters({ Temperature: "0.5" });
  const marker = `ranges ${Date.now()}`;
  await chat.send(marker);
  await chat.waitForReply();
  const id = await chat.conversationId();

  await chat.setParameters({ Temperature: "3" }, { expectSaved: false });
  const panel = chat.parameters();
  await expect(panel.getByRole("alert")).toHaveText("Temperature must be from 0 to 2.");
  await chat.setParameters({ Temperature: "1", "Max output tokens": "20000" }, { expectSaved: false });
  await expect(panel.getByRole("alert")).toHaveText("gpt-4o-mini writes at most 16,384 output tokens per reply.");
  await chat.setParameters({ "Max output tokens": "many" }, { expectSaved: false });
  await expect(panel.getByRole("alert")).toHaveText("Max output tokens must be a whole number.");

  const refusals = [
    [{ model: "gpt-4o-mini", settings: { temperature: 5 } }, "Temperature must be from 0 to 2."],
    [{ model: "gpt-4o-mini", settings: { topP: -1 } }, "Top P must be from 0 to 1."],
    [{ model: "o3", settings: { temperature: 1 } }, "Temperature is not accepted by o3, a reasoning model."],
    [
      { model: "gpt-4o-mini", settings: { reasoningEffort: "high" } },
      "Reasoning effort is only accepted by reasoning models; gpt-4o-mini is not one.",
    ],
  ] as const;
  for (const [data, message] of refusals) {
    const response = await page.request.patch(`/api/conversations/${id}/settings`, { data });
    expect(response.status()).toBe(400);
    expect((await response.json()).error.message).toBe(message);
  }
  const neverSent = `never sent ${marker}`;
  const post = await page.request.post("/api/chat", {
    data: { conversationId: id, model: "gpt-4o-mini", text: neverSent, settings: { frequencyPenalty: 2.5 } },
  });
  expect(post.status()).toBe(400);
  expect((await post.json()).error.message).toBe("Frequency penalty must be from -2 to 2.");
  expect(await upstream.requests({ containing: neverSent })).toEqual([]);

  const [stored] = await db.query(`SELECT "model", "settings" FROM "Conversation" WHERE "id" = $1`, [id]);
  expect(stored?.model).toBe("gpt-4o-mini");
  expect(JSON.parse(String(stored?.settings))).toEqual({ temperature: 0.5 });
  const messages = await db.query(`SELECT "id" FROM "Message" WHERE "conversationId" = $1`, [id]);
  expect(messages).toHaveLength(2);
  await page.reload();
  await page.getByRole("button", { name: "Parameters" }).click();
  await expect(chat.parameters().getByLabel("Temperature", { exact: true })).toHaveValue("0.5");
});

test("the worst case shown and the amount reserved follow max output tokens; the system prompt is counted", async ({
  page,
  db,
  account: _account,
}) => {
  await page.goto("/");
  const chat = new ChatPage(page);
  const next = chat.meter("Next message");
  await chat.picker().selectOption("gpt-4o-mini"); // $0.15 input, $0.60 output per 1M
  const marker = `reserve ${Date.now()}`;
  await chat.composer.fill(`hello ${marker} [[slow:400]] [[words:30]]`);
  await expect(next).toContainText("plus up to 4,096 output tokens");
  await expect(next).toContainText(/up to \$0\.\d{6}/);
  const promptWithout = await shownPromptTokens(next);
  expect(await shownWorstCase(next)).toBe(Math.ceil((promptWithout * 150_000 + 4_096 * 600_000) / 1_000_000));

  await chat.setParameters({ "System prompt": "Be brief.", "Max output tokens": "1000" });
  await expect(next).toContainText("plus up to 1,000 output tokens");
  await expect.poll(() => shownPromptTokens(next)).toBeGreaterThan(promptWithout);
  const prompt = await shownPromptTokens(next);
  const worstCase = Math.ceil((prompt * 150_000 + 1_000 * 600_000) / 1_000_000);
  await expect.poll(() => shownWorstCase(next)).toBe(worstCase);

  await chat.composer.press("Enter");
  const id = await chat.conversationId();
  // While the slow reply streams, the ledger holds exactly the worst case the meter showed.
  await expect
    .poll(async () => {
      const rows = await db.query(
        `SELECT "reservedMicros", "maxOutputTokens" FROM "LedgerEntry" WHERE "conversationId" = $1 AND "status" = 'reserved'`,
        [id],
      );
      return rows.map((row) => [num(row.reservedMicros), num(row.maxOutputTokens)]);
    })
    .toEqual([[worstCase, 1000]]);
  await chat.waitForReply();
});

test("the picker lists the upstream's models with context window and prices, unpriced ones marked", async ({
  page,
  account: _account,
}) => {
  await page.goto("/");
  const picker = new ChatPage(page).picker();
  await expect(picker.locator('option[value="gpt-4o"]')).toHaveText(
    "gpt-4o — context 128,000 · in $2.50 · cached $1.25 · out $10.00 per 1M",
  );
  // From the upstream's GET /v1/models, beside the catalog.
  await expect(picker.locator('option[value="fake-model"]')).toHaveText("fake-model — context unknown · unpriced");
  await expect(picker.locator('option[value="gpt-4"]')).toContainText("gpt-4 — context 8,192 · ");
});

test("a prompt that cannot fit the context window is refused with the counts; nothing is sent or stored", async ({
  page,
  upstream,
  db,
  account,
}) => {
  await page.goto("/");
  const chat = new ChatPage(page);
  await chat.picker().selectOption("gpt-4");
  const marker = `too long ${Date.now()}`;
  await chat.composer.fill(`${marker} ${"lorem ".repeat(5000)}`);
  const refusal =
    /This conversation is ([\d,]+) tokens; gpt-4 takes 8,192 tokens in all, 4,096 of them kept for the reply\./;
  const next = chat.meter("Next message");
  await expect(next).toContainText(refusal);
  const estimated = refusal.exec((await next.textContent()) ?? "")?.[1];

  await chat.composer.press("Enter");
  await expect(chat.alert()).toContainText(refusal);
  // The server counted what the meter counted.
  expect(refusal.exec((await chat.alert().textContent()) ?? "")?.[1]).toBe(estimated);
  expect(await upstream.requests({ containing: marker })).toEqual([]);
  expect(await db.query(`SELECT "id" FROM "Conversation" WHERE "userId" = $1`, [account.id])).toEqual([]);
  expect(await db.query(`SELECT "id" FROM "LedgerEntry" WHERE "userId" = $1`, [account.id])).toEqual([]);
});

test("keep the last N tokens: the oldest messages are left out of the request, and the chat says so", async ({
  page,
  upstream,
  account: _account,
}) => {
  await page.goto("/");
  const chat = new ChatPage(page);
  await chat.picker().selectOption("gpt-4o-mini");
  await chat.setParameters({ "When the chat outgrows the context window": "keep-last", "Tokens to keep": "1000" });
  const marker = `${Date.now()}`;
  // About 400 tokens each: two fit in 1,000 with the new message, three do not.
  const long = (name: string) => `${name}-${marker} ${"alpha ".repeat(400)}[[reply:ok]]`;
  await chat.send(long("first"));
  await chat.waitForReply(0);
  await chat.send(long("second"));
  await chat.waitForReply(1);

  await chat.composer.fill(long("third"));
  await expect(chat.meter("Next message")).toContainText("1 older message will be left out");
  await chat.composer.press("Enter");
  await chat.waitForReply(2);
  await expect(chat.lastAssistant().getByRole("note")).toHaveText(
    "1 older message was left out of this request to keep within the chat's context limit.",
  );

  const body = await sentBody(upstream, `third-${marker}`);
  const sent = JSON.stringify(body.messages);
  expect(sent).not.toContain(`first-${marker}`);
  expect(sent).toContain(`second-${marker}`);
  expect(body.messages.map((message) => message.role)).toEqual(["assistant", "user", "assistant", "user"]);
});

test("another user's conversation settings are a 404, and anonymous requests a 401", async ({
  page,
  browser,
  db,
  playwright,
  account: _account,
}) => {
  await page.goto("/");
  const chat = new ChatPage(page);
  await chat.picker().selectOption("gpt-4o-mini");
  await chat.setParameters({ Temperature: "0.2" });
  await chat.send(`mine ${Date.now()}`);
  await chat.waitForReply();
  const id = await chat.conversationId();

  const { context, page: intruder } = await newSignedInPage(browser, db, "intruder");
  try {
    const response = await intruder.request.patch(`/api/conversations/${id}/settings`, {
      data: { model: "gpt-4o-mini", settings: { temperature: 1.5 } },
    });
    expect(response.status()).toBe(404);
  } finally {
    await context.close();
  }
  const anonymous = await playwright.request.newContext({ baseURL: process.env.E2E_BASE_URL });
  try {
    const response = await anonymous.patch(`/api/conversations/${id}/settings`, {
      data: { model: "gpt-4o-mini", settings: { temperature: 1.5 } },
    });
    expect(response.status()).toBe(401);
  } finally {
    await anonymous.dispose();
  }
  const [stored] = await db.query(`SELECT "settings" FROM "Conversation" WHERE "id" = $1`, [id]);
  expect(JSON.parse(String(stored?.settings))).toEqual({ temperature: 0.2 });
});
