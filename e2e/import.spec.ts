import { type Page, request as playwrightRequest } from "@playwright/test";
import { num, type TestDatabase } from "./db";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";
import { createApiUser, sendChat } from "./sessions";

async function countsOf(db: TestDatabase, userId: string) {
  const [row] = await db.query(
    `SELECT (SELECT COUNT(*) FROM "Conversation" WHERE "userId" = $1) AS conversations,
            (SELECT COUNT(*) FROM "Message" m JOIN "Conversation" c ON c."id" = m."conversationId" WHERE c."userId" = $1) AS messages,
            (SELECT COUNT(*) FROM "LedgerEntry" WHERE "userId" = $1) AS entries`,
    [userId],
  );
  return { conversations: num(row?.conversations), messages: num(row?.messages), entries: num(row?.entries) };
}

/** Uploads a file in Settings → Your data and presses Import. */
async function importFile(page: Page, content: string) {
  await page.getByLabel("Archive to import").setInputFiles({
    name: "archive.json",
    mimeType: "application/json",
    buffer: Buffer.from(content),
  });
  await page.getByRole("button", { name: "Import", exact: true }).click();
}

test("an archive exported by one user imports into another's account: the chats and their messages, not the spend", async ({
  page,
  db,
  baseURL,
  account: importer,
}) => {
  const exporter = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "exporter" });
  const stamp = Date.now().toString(36);
  const chats = [`Import me ${stamp} [[usage:100/5]]`, `和我一起导入 ${stamp}`];
  try {
    const sent = [];
    for (const text of chats) sent.push(await sendChat(exporter.api, { text }));
    expect(sent.map((result) => result.status)).toEqual([200, 200]);
    // One more turn in the first chat: two replies there.
    expect(
      (await sendChat(exporter.api, { conversationId: sent[0]?.conversationId, text: "Second turn" })).status,
    ).toBe(200);
    await expect.poll(async () => (await countsOf(db, exporter.id)).messages, { timeout: 60_000 }).toBe(6);
    const exported = await exporter.api.get("/api/export");
    expect(exported.status()).toBe(200);
    const archive = await exported.text();
    expect(JSON.parse(archive).ledger).toHaveLength(3);

    await page.goto("/settings");
    await importFile(page, archive);
    await expect(page.getByRole("main").getByRole("status").filter({ hasText: "Imported" })).toHaveText(
      "Imported 2 conversations (6 messages). 3 ledger entries left out: spend stays with the server it was spent on.",
    );
    expect(await countsOf(db, importer.id)).toEqual({ conversations: 2, messages: 6, entries: 0 });
    const ids = await db.query(`SELECT "id" FROM "Conversation" WHERE "userId" = $1`, [importer.id]);
    for (const { id } of ids) expect(sent.map((result) => result.conversationId)).not.toContain(id);

    // The sidebar lists them at once; each opens with its messages, and the chat goes on from there.
    const chat = new ChatPage(page);
    await chat.sidebar.getByRole("link", { name: chats[0] }).click();
    await expect(chat.userMessages()).toHaveText([chats[0] ?? "", "Second turn"]);
    await expect(chat.assistantMessages()).toHaveText([new RegExp(`^Echo: Import me ${stamp}`), /^Echo: Second turn/]);
    await expect(chat.usage(chat.assistantMessages().first())).toContainText("100 prompt tokens");
    await chat.sidebar.getByRole("link", { name: chats[1] }).click();
    await expect(chat.userMessages()).toHaveText([chats[1] ?? ""]);
    await chat.send("And one more");
    await chat.waitForReply(1);
    await expect(chat.lastAssistant()).toContainText("Echo: And one more");
    // The exporter's data is untouched.
    expect(await countsOf(db, exporter.id)).toEqual({ conversations: 2, messages: 6, entries: 3 });
  } finally {
    await exporter.api.dispose();
  }
});

test("a file that is not a valid archive is refused with a clear message, and nothing is written", async ({
  page,
  db,
  baseURL,
  account,
}) => {
  const valid = {
    format: "chatledger-archive",
    version: 1,
    conversations: [
      {
        title: "Good chat",
        model: "gpt-5-mini",
        createdAt: "2026-01-01T00:00:00.000Z",
        updatedAt: "2026-01-01T00:00:00.000Z",
        messages: [{ role: "user", content: "hi", status: "complete", createdAt: "2026-01-01T00:00:00.000Z" }],
      },
    ],
  };
  const [good] = valid.conversations;
  const broken = { ...valid, conversations: [good, { ...good, title: "Bad chat", createdAt: "yesterday" }] };

  await page.goto("/settings");
  await importFile(page, JSON.stringify({ hello: "world" }));
  await expect(page.getByRole("main").getByRole("alert")).toContainText("This is not a ChatLedger archive");
  await importFile(page, JSON.stringify(broken));
  await expect(page.getByRole("main").getByRole("alert")).toContainText(
    "The archive is invalid at conversations[1].createdAt:",
  );

  const api = page.request;
  const refusals: [string, string][] = [
    ["{not json", "Request body must be valid JSON."],
    [JSON.stringify({ ...valid, version: 2 }), "This archive is version 2; this server reads version 1."],
    [JSON.stringify([valid]), "This is not a ChatLedger archive"],
  ];
  for (const [body, message] of refusals) {
    const response = await api.post("/api/import", {
      data: Buffer.from(body),
      headers: { "content-type": "application/json" },
    });
    expect(response.status(), body).toBe(400);
    expect((await response.json()).error.message).toContain(message);
  }
  // Nothing of the good conversation in the broken archive was stored either: all or nothing.
  expect(await countsOf(db, account.id)).toEqual({ conversations: 0, messages: 0, entries: 0 });

  const anonymous = await playwrightRequest.newContext({ baseURL });
  try {
    expect((await anonymous.post("/api/import", { data: valid })).status()).toBe(401);
  } finally {
    await anonymous.dispose();
  }
  // The valid one goes in.
  const accepted = await api.post("/api/import", { data: valid });
  expect(accepted.status()).toBe(201);
  expect((await accepted.json()).imported).toEqual({ conversations: 1, messages: 1, skippedLedgerEntries: 0 });
  expect(await countsOf(db, account.id)).toEqual({ conversations: 1, messages: 1, entries: 0 });
});
