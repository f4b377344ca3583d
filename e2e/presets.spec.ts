import { request } from "@playwright/test";
import { newSignedInPage } from "./accounts";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

const DEFAULT_NAMES = [
  "中英互译 Chinese ↔ English translator",
  "Code reviewer",
  "Writing polisher",
  "润色 中文写作润色",
  "周报助手 Weekly report assistant",
];

type UpstreamBody = { model: string; messages: { role: string; content: string }[] };

/** The body of the one request the fake upstream received with this text in it. */
async function upstreamBody(
  upstream: { requests: (f: { containing: string }) => Promise<{ body: unknown }[]> },
  text: string,
) {
  const sent = await upstream.requests({ containing: text });
  expect(sent, `requests containing ${text}`).toHaveLength(1);
  return sent[0]?.body as UpstreamBody;
}

type PresetJson = { id: string; name: string; model: string; settings: Record<string, unknown> };

async function presetCount(db: { query: (sql: string, params?: unknown[]) => Promise<unknown[]> }, userId: string) {
  const [row] = (await db.query(`SELECT COUNT(*) AS n FROM "Preset" WHERE "userId" = $1`, [userId])) as {
    n: number | string;
  }[];
  return Number(row?.n);
}

test("the default presets are there on the first visit, in English and Chinese, once", async ({
  page,
  db,
  account,
}) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Presets" }).click();
  await expect(page.getByRole("heading", { name: "Presets", level: 1 })).toBeVisible();
  for (const name of DEFAULT_NAMES) await expect(page.getByRole("listitem", { name })).toBeVisible();
  const translator = page.getByRole("listitem", { name: DEFAULT_NAMES[0] });
  await expect(translator).toContainText("你是一名专业的中英互译译者");
  await expect(page.getByRole("listitem", { name: "Code reviewer" })).toContainText("senior software engineer");
  await expect(page.getByRole("listitem", { name: "周报助手 Weekly report assistant" })).toContainText("周报");

  await page.reload();
  await expect(page.getByRole("listitem", { name: DEFAULT_NAMES[0] })).toBeVisible();
  await expect(page.getByRole("main").getByRole("listitem")).toHaveCount(DEFAULT_NAMES.length);
  expect(await presetCount(db, account.id)).toBe(DEFAULT_NAMES.length);
});

test("two first visits at once copy the defaults once", async ({ page, db, account }) => {
  const answers = await Promise.all([page.request.get("/api/presets"), page.request.get("/api/presets")]);
  for (const answer of answers) {
    expect(answer.status()).toBe(200);
    const { presets } = (await answer.json()) as { presets: PresetJson[] };
    expect(presets.map((preset) => preset.name).sort()).toEqual([...DEFAULT_NAMES].sort());
  }
  expect(await presetCount(db, account.id)).toBe(DEFAULT_NAMES.length);
});

test("a preset is created, edited and deleted (after a confirmation)", async ({ page, db, account }) => {
  const name = `Pirate ${Date.now()}`;
  await page.goto("/presets");
  await page.getByRole("button", { name: "New preset" }).click();
  const form = page.getByRole("region", { name: "New preset" });
  await form.getByLabel("Name").fill(name);
  await form.getByRole("combobox", { name: /^Model/ }).selectOption("gpt-4.1");
  await form.getByLabel("System prompt").fill("Answer like a pirate.");
  await form.getByLabel("Temperature").fill("0.7");
  await form.getByRole("button", { name: "Create preset" }).click();
  const item = page.getByRole("listitem", { name });
  await expect(item).toContainText("Answer like a pirate.");
  await expect(item).toContainText("gpt-4.1");

  await page.reload();
  await item.getByRole("button", { name: "Edit" }).click();
  await expect(item.getByLabel("Temperature")).toHaveValue("0.7");
  await item.getByLabel("Name").fill(`${name} v2`);
  await item.getByLabel("System prompt").fill("Answer like a polite pirate.");
  await item.getByRole("button", { name: "Save preset" }).click();
  const edited = page.getByRole("listitem", { name: `${name} v2` });
  await expect(edited).toContainText("Answer like a polite pirate.");
  await page.reload();
  await expect(edited).toContainText("Answer like a polite pirate.");
  await expect(page.getByRole("listitem", { name, exact: true })).toHaveCount(0);
  const [stored] = (await db.query(`SELECT model, settings FROM "Preset" WHERE "userId" = $1 AND name = $2`, [
    account.id,
    `${name} v2`,
  ])) as { model: string; settings: string }[];
  expect(stored?.model).toBe("gpt-4.1");
  expect(JSON.parse(stored?.settings ?? "{}")).toEqual({
    systemPrompt: "Answer like a polite pirate.",
    temperature: 0.7,
  });

  // A default is the user's to delete like their own; Cancel keeps it.
  const reviewer = page.getByRole("listitem", { name: "Code reviewer" });
  await reviewer.getByRole("button", { name: "Delete" }).click();
  await reviewer.getByRole("button", { name: "Cancel" }).click();
  await expect(reviewer.getByRole("button", { name: "Edit" })).toBeVisible();
  await reviewer.getByRole("button", { name: "Delete" }).click();
  await expect(reviewer).toContainText("This cannot be undone.");
  await reviewer.getByRole("button", { name: "Delete preset" }).click();
  await expect(reviewer).toHaveCount(0);
  await edited.getByRole("button", { name: "Delete" }).click();
  await edited.getByRole("button", { name: "Delete preset" }).click();
  await expect(edited).toHaveCount(0);

  // Gone for good: a default deleted is not copied again.
  await page.reload();
  await expect(page.getByRole("listitem", { name: "Writing polisher" })).toBeVisible();
  await expect(page.getByRole("listitem", { name: "Code reviewer" })).toHaveCount(0);
  expect(await presetCount(db, account.id)).toBe(DEFAULT_NAMES.length - 1);
});

test("a chat started from a preset sends its system prompt and model upstream, on every message", async ({
  page,
  upstream,
  db,
  account,
}) => {
  const marker = `preset-${Date.now()}`;
  const systemPrompt = `You are a test preset ${marker}. 只用中文回答。`;
  const created = await page.request.post("/api/presets", {
    data: { name: `Test ${marker}`, model: "gpt-4.1-mini", settings: { systemPrompt, temperature: 0.5 } },
  });
  expect(created.status()).toBe(201);

  await page.goto("/presets");
  await page
    .getByRole("listitem", { name: `Test ${marker}` })
    .getByRole("link", { name: "Start chat" })
    .click();
  const chat = new ChatPage(page);
  await chat.expectReady();
  await expect(page.getByText(`Preset: Test ${marker}`)).toBeVisible();
  await expect(page.getByLabel("Model")).toHaveValue("gpt-4.1-mini");

  const first = `first ${marker}`;
  await chat.send(first);
  await chat.waitForReply();
  const request1 = await upstreamBody(upstream, first);
  expect(request1.model).toBe("gpt-4.1-mini");
  expect(request1.messages).toEqual([
    { role: "system", content: systemPrompt },
    { role: "user", content: first },
  ]);

  // The conversation keeps the preset's settings: a later message (after a reload, nothing sent but the text) too.
  const id = await chat.conversationId();
  const [conversation] = (await db.query(`SELECT settings FROM "Conversation" WHERE id = $1 AND "userId" = $2`, [
    id,
    account.id,
  ])) as { settings: string | null }[];
  expect(JSON.parse(conversation?.settings ?? "null")).toEqual({ systemPrompt, temperature: 0.5 });
  await page.reload();
  await chat.expectReady();
  const second = `second ${marker}`;
  await chat.send(second);
  await chat.waitForReply(1);
  const request2 = await upstreamBody(upstream, second);
  expect(request2.messages[0]).toEqual({
    role: "system",
    content: systemPrompt,
  });

  // A plain new chat has no system prompt.
  await page.goto("/");
  const plain = `plain ${marker}`;
  await chat.send(plain);
  await chat.waitForReply();
  const request3 = await upstreamBody(upstream, plain);
  expect(request3.messages).toEqual([{ role: "user", content: plain }]);
});

test("bad input is refused with a clear message and nothing is written", async ({ page, db, account, baseURL }) => {
  const api = page.request;
  expect((await api.get("/api/presets")).status()).toBe(200);
  const before = await presetCount(db, account.id);
  const good = { name: "Valid", model: "gpt-5-mini", settings: {} };
  const cases: [unknown, string][] = [
    [{ ...good, name: "  " }, "Give the preset a name."],
    [{ ...good, name: "x".repeat(81) }, "limited to 80 characters"],
    [{ ...good, model: "" }, "Choose a model."],
    [{ ...good, model: "gpt-unknown" }, 'Unknown model "gpt-unknown"'],
    [{ ...good, settings: { temperature: 3 } }, "Temperature must be from 0 to 2."],
    [{ ...good, settings: { systemPrompt: "x".repeat(20_001) } }, "limited to 20,000 characters"],
    [{ ...good, settings: { colour: "blue" } }, ""],
    [{ ...good, owner: "someone" }, ""],
  ];
  for (const [data, message] of cases) {
    const answer = await api.post("/api/presets", { data });
    expect(answer.status(), JSON.stringify(data).slice(0, 100)).toBe(400);
    expect(((await answer.json()) as { error: { message: string } }).error.message).toContain(message);
  }
  const notJson = await api.post("/api/presets", { data: "{", headers: { "content-type": "application/json" } });
  expect(notJson.status()).toBe(400);
  const duplicate = await api.post("/api/presets", { data: { ...good, name: "Code reviewer" } });
  expect(duplicate.status()).toBe(409);
  expect(await presetCount(db, account.id)).toBe(before);

  const { presets } = (await (await api.get("/api/presets")).json()) as { presets: PresetJson[] };
  const reviewer = presets.find((preset) => preset.name === "Code reviewer");
  if (!reviewer) throw new Error("no Code reviewer preset");
  for (const data of [
    {},
    { name: "" },
    { model: "gpt-unknown" },
    { settings: { topP: 2 } },
    { name: "Writing polisher" },
  ]) {
    const answer = await api.patch(`/api/presets/${reviewer.id}`, { data });
    expect([400, 409], JSON.stringify(data)).toContain(answer.status());
  }
  expect(((await (await api.get(`/api/presets/${reviewer.id}`)).json()) as { preset: PresetJson }).preset).toEqual(
    reviewer,
  );

  // In the form: the server's sentence, the preset unchanged.
  await page.goto("/presets");
  const item = page.getByRole("listitem", { name: "Code reviewer" });
  await item.getByRole("button", { name: "Edit" }).click();
  await item.getByLabel("Temperature").fill("5");
  await item.getByRole("button", { name: "Save preset" }).click();
  await expect(item.getByRole("alert")).toHaveText("Temperature must be from 0 to 2.");
  await page.reload();
  await expect(
    page.getByRole("listitem", { name: "Code reviewer" }).getByRole("button", { name: "Edit" }),
  ).toBeVisible();
  expect(((await (await api.get(`/api/presets/${reviewer.id}`)).json()) as { preset: PresetJson }).preset).toEqual(
    reviewer,
  );

  // Settings on a chat's first message are checked the same way: nothing stored, nothing sent.
  const conversationId = `bad-settings-${Date.now()}`;
  const chat = await api.post("/api/chat", {
    data: { conversationId, model: "gpt-5-mini", text: "hello", settings: { temperature: -1 } },
  });
  expect(chat.status()).toBe(400);
  expect(await db.query(`SELECT id FROM "Conversation" WHERE id = $1`, [conversationId])).toEqual([]);

  // Signed out: 401 from the API, the sign-in page for /presets.
  const anonymous = await request.newContext({ baseURL });
  try {
    expect((await anonymous.get("/api/presets")).status()).toBe(401);
    expect((await anonymous.post("/api/presets", { data: good })).status()).toBe(401);
    expect((await anonymous.patch(`/api/presets/${reviewer.id}`, { data: { name: "x" } })).status()).toBe(401);
    expect((await anonymous.delete(`/api/presets/${reviewer.id}`)).status()).toBe(401);
    const redirected = await anonymous.get("/presets");
    expect(redirected.url()).toContain("/sign-in");
  } finally {
    await anonymous.dispose();
  }
});

test("a second user sees only their own presets and gets 404 on the first user's", async ({
  page,
  browser,
  db,
  account: _owner,
}) => {
  const secret = `owner-secret-${Date.now()}`;
  const created = await page.request.post("/api/presets", {
    data: { name: `Private ${secret}`, model: "gpt-5-mini", settings: { systemPrompt: secret } },
  });
  const { preset } = (await created.json()) as { preset: PresetJson };

  const { context, page: otherPage, account: other } = await newSignedInPage(browser, db, "presets-other");
  try {
    await otherPage.goto("/presets");
    for (const name of DEFAULT_NAMES) await expect(otherPage.getByRole("listitem", { name })).toBeVisible();
    await expect(otherPage.getByRole("main").getByRole("listitem")).toHaveCount(DEFAULT_NAMES.length);
    await expect(otherPage.getByText(secret)).toHaveCount(0);

    const api = otherPage.request;
    const get = await api.get(`/api/presets/${preset.id}`);
    expect(get.status()).toBe(404);
    expect(await get.text()).not.toContain(secret);
    expect((await api.patch(`/api/presets/${preset.id}`, { data: { name: "Mine now" } })).status()).toBe(404);
    expect((await api.delete(`/api/presets/${preset.id}`)).status()).toBe(404);
    const list = (await (await api.get("/api/presets")).json()) as { presets: PresetJson[] };
    expect(list.presets.map((p) => p.name).sort()).toEqual([...DEFAULT_NAMES].sort());

    // Starting a chat from someone else's preset is a plain new chat.
    await otherPage.goto(`/?preset=${preset.id}`);
    await new ChatPage(otherPage).expectReady();
    await expect(otherPage.getByText(/^Preset:/)).toHaveCount(0);
    expect(await presetCount(db, other.id)).toBe(DEFAULT_NAMES.length);
  } finally {
    await context.close();
  }

  const mine = await page.request.get(`/api/presets/${preset.id}`);
  expect(((await mine.json()) as { preset: PresetJson }).preset).toEqual(preset);
});
