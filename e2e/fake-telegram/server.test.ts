import { Api, GrammyError, InputFile } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeTelegram, type RecordedCall, startFakeTelegram } from "./server";

const TOKEN = "7000000001:AAEunitTestTokenxxxxxxxxxxxxxxxxxxxx";
let fake: FakeTelegram;
let api: Api;
let nextChat = 1_000;

beforeAll(async () => {
  fake = await startFakeTelegram({ token: TOKEN });
  api = new Api(TOKEN, { apiRoot: fake.url });
});
afterAll(async () => {
  await fake.close();
});

/** A chat of the test's own, so tests never see each other's messages. */
const newChat = () => nextChat++;

async function call(method: string, params: Record<string, unknown>, token = TOKEN) {
  const response = await fetch(`${fake.url}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function hook(path: string, body?: unknown) {
  const response = await fetch(`${fake.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json() as Promise<unknown>;
}

const refusal = (status: number, description: string) => ({
  status,
  body: { ok: false, error_code: status, description },
});

describe("grammY against the fake", () => {
  it("sends a message and uploads a photo (multipart), both recorded as sent", async () => {
    const chatId = newChat();
    const { seq } = (await hook("/__seq")) as { seq: number };
    expect(await api.getMe()).toMatchObject({ id: 7_000_000_001, username: "chatledger_test_bot", is_bot: true });

    const first = await api.sendMessage(chatId, "Hello *there*", { parse_mode: "MarkdownV2" });
    expect(first).toMatchObject({
      message_id: 1,
      chat: { id: chatId, type: "private" },
      from: { id: 7_000_000_001, is_bot: true },
      text: "Hello there",
      entities: [{ type: "bold", offset: 6, length: 5 }],
    });
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
    const photo = await api.sendPhoto(chatId, new InputFile(png, "chart.png"), {
      caption: "A chart",
      caption_entities: [{ type: "italic", offset: 2, length: 5 }],
    });
    expect(photo.message_id).toBe(2);
    expect(photo.photo?.[0]?.file_size).toBe(png.length);
    expect(photo.caption_entities).toEqual([{ type: "italic", offset: 2, length: 5 }]);

    const calls = (await hook(`/__calls?chat_id=${chatId}&since=${seq}`)) as RecordedCall[];
    expect(calls.map((c) => [c.method, c.status])).toEqual([
      ["sendMessage", 200],
      ["sendPhoto", 200],
    ]);
    // Multipart values arrive as strings: the fake reads them as Telegram does.
    expect(calls[1]?.params).toMatchObject({
      chat_id: chatId,
      caption: "A chart",
      caption_entities: [{ type: "italic", offset: 2, length: 5 }],
      photo: { file: { size: png.length, mimeType: "application/octet-stream", name: "chart.png" } },
    });

    // The uploaded photo can be fetched back like any file.
    const file = await api.getFile(photo.photo?.[0]?.file_id ?? "");
    const download = await fetch(`${fake.url}/file/bot${TOKEN}/${file.file_path}`);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(png);
  });

  it("makes grammY throw Telegram's errors", async () => {
    const error = await api.sendMessage(newChat(), "   ").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 400, description: "Bad Request: message text is empty" });
  });
});

describe("refusals", () => {
  it("a wrong token is 401, an unknown method 404", async () => {
    expect(await call("getMe", {}, "7000000001:wrong")).toEqual(refusal(401, "Unauthorized"));
    expect(await call("sendTelepathy", {})).toEqual(refusal(404, "Not Found"));
    expect((await call("GETME", {})).status).toBe(200);
  });

  it("text longer than 4096 UTF-16 code units", async () => {
    const chat_id = newChat();
    expect((await call("sendMessage", { chat_id, text: "x".repeat(4096) })).status).toBe(200);
    expect(await call("sendMessage", { chat_id, text: "x".repeat(4097) })).toEqual(
      refusal(400, "Bad Request: message is too long"),
    );
    // 2,049 emoji are 4,098 UTF-16 code units.
    expect((await call("sendMessage", { chat_id, text: "😀".repeat(2049) })).status).toBe(400);
  });

  it("entities out of range, of no known type, or a text_link without a url", async () => {
    const chat_id = newChat();
    const text = "héllo wörld";
    const send = (entities: unknown) => call("sendMessage", { chat_id, text, entities });
    expect((await send([{ type: "bold", offset: 6, length: 5 }])).status).toBe(200);
    for (const entities of [
      [{ type: "bold", offset: 6, length: 6 }],
      [{ type: "bold", offset: -1, length: 2 }],
      [{ type: "bold", offset: 0, length: 0 }],
      [{ type: "shouting", offset: 0, length: 2 }],
      [{ type: "text_link", offset: 0, length: 2 }],
    ]) {
      const { status, body } = await send(entities);
      expect(status, JSON.stringify(entities)).toBe(400);
      expect(body.description).toMatch(/^Bad Request: can't parse entities: /);
    }
    // A form body carries entities as a JSON string.
    const form = await fetch(`${fake.url}/bot${TOKEN}/sendMessage`, {
      method: "POST",
      body: new URLSearchParams({
        chat_id: String(chat_id),
        text,
        entities: '[{"type":"code","offset":0,"length":99}]',
      }),
    });
    expect(form.status).toBe(400);
  });

  it("MarkdownV2: an unescaped reserved character is refused, escaped text and balanced markup accepted", async () => {
    const chat_id = newChat();
    const send = (text: string) => call("sendMessage", { chat_id, text, parse_mode: "MarkdownV2" });
    expect(await send("Total: 1.5 USD")).toEqual(
      refusal(
        400,
        "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
      ),
    );
    expect((await send("Wow!")).body.description).toContain("Character '!' is reserved");
    expect((await send("a *bold")).body.description).toBe(
      "Bad Request: can't parse entities: Can't find end of Bold entity at byte offset 2",
    );
    const accepted = await send(
      "Total: 1\\.5 USD \\(net\\) *bold _italic_* __under__ ~gone~ ||secret|| `a.b!` [link](https://example.com/a\\)b)\n```ts\nconst x = 1;\n```",
    );
    expect(accepted.status).toBe(200);
    const result = accepted.body.result as { text: string; entities: unknown[] };
    expect(result.text).toBe("Total: 1.5 USD (net) bold italic under gone secret a.b! link\nconst x = 1;\n");
    expect(result.entities).toEqual([
      { type: "bold", offset: 21, length: 11 },
      { type: "italic", offset: 26, length: 6 },
      { type: "underline", offset: 33, length: 5 },
      { type: "strikethrough", offset: 39, length: 4 },
      { type: "spoiler", offset: 44, length: 6 },
      { type: "code", offset: 51, length: 4 },
      { type: "text_link", offset: 56, length: 4, url: "https://example.com/a)b" },
      { type: "pre", offset: 61, length: 13, language: "ts" },
    ]);
  });

  it("editing: a message the bot never sent, and an edit that changes nothing", async () => {
    const chat_id = newChat();
    const sent = await api.sendMessage(chat_id, "Thinking…");
    const edit = (text: string, message_id = sent.message_id) => call("editMessageText", { chat_id, message_id, text });
    expect(await edit("Done", 999)).toEqual(refusal(400, "Bad Request: message to edit not found"));
    expect(await call("editMessageText", { chat_id: newChat(), message_id: sent.message_id, text: "x" })).toEqual(
      refusal(400, "Bad Request: message to edit not found"),
    );
    expect((await edit("Done")).status).toBe(200);
    expect(await edit("Done")).toEqual(
      refusal(
        400,
        "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      ),
    );
    // The same text with other entities is a change.
    const bold = await call("editMessageText", {
      chat_id,
      message_id: sent.message_id,
      text: "Done",
      entities: [{ type: "bold", offset: 0, length: 4 }],
    });
    expect(bold.status).toBe(200);
  });

  it("a chat that blocked the bot is 403 for every send", async () => {
    const chat_id = newChat();
    await hook("/__blocked", { chat_id });
    const blocked = refusal(403, "Forbidden: bot was blocked by the user");
    expect(await call("sendMessage", { chat_id, text: "hi" })).toEqual(blocked);
    expect(await call("sendChatAction", { chat_id, action: "typing" })).toEqual(blocked);
    expect((await call("sendMessage", { chat_id: newChat(), text: "hi" })).status).toBe(200);
  });
});

describe("updates and files", () => {
  it("getUpdates honours offset and waits for a queued update", async () => {
    const { update_id: first } = (await hook("/__updates", { update: { message: { text: "one" } } })) as {
      update_id: number;
    };
    await hook("/__updates", { update: { update_id: first + 1, message: { text: "two" } } });
    const all = await api.getUpdates({ offset: first });
    expect(all.map((u) => u.update_id)).toEqual([first, first + 1]);
    // Asking from first + 1 confirms (drops) the first for good.
    expect((await api.getUpdates({ offset: first + 1 })).map((u) => u.update_id)).toEqual([first + 1]);
    expect((await api.getUpdates({})).map((u) => u.update_id)).toEqual([first + 1]);

    const waiting = api.getUpdates({ offset: first + 2, timeout: 10 });
    setTimeout(() => void hook("/__updates", { update: { message: { text: "three" } } }), 100);
    expect((await waiting).map((u) => u.update_id)).toEqual([first + 2]);
    // With nothing queued, the long poll returns empty after at most 2 s.
    const started = Date.now();
    expect(await api.getUpdates({ offset: first + 3, timeout: 30 })).toEqual([]);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("getUpdates is a conflict while a webhook is set, and the webhook keeps its secret for the tests", async () => {
    expect(await call("setWebhook", { url: "http://127.0.0.1:3000/api/telegram/webhook" })).toEqual(
      refusal(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"),
    );
    await api.setWebhook("https://chat.example.com/api/telegram/webhook", { secret_token: "s3cret_-x" });
    expect(await hook("/__webhook")).toMatchObject({ secret_token: "s3cret_-x" });
    expect((await api.getWebhookInfo()).url).toBe("https://chat.example.com/api/telegram/webhook");
    expect((await call("getUpdates", {})).status).toBe(409);
    await api.deleteWebhook();
    expect((await call("getUpdates", {})).status).toBe(200);
  });

  it("serves registered files through getFile and the file URL", async () => {
    const bytes = Buffer.from("OggS fake voice");
    await hook("/__files", { file_id: "voice-1", file_path: "voice/file_1.oga", base64: bytes.toString("base64") });
    expect(await api.getFile("voice-1")).toMatchObject({ file_size: bytes.length, file_path: "voice/file_1.oga" });
    expect((await fetch(`${fake.url}/file/bot${TOKEN}/voice/file_1.oga`)).status).toBe(200);
    expect((await fetch(`${fake.url}/file/bot${TOKEN}/voice/other.oga`)).status).toBe(404);
    expect((await call("getFile", { file_id: "nope" })).status).toBe(400);
  });

  it("keeps commands per language", async () => {
    await api.setMyCommands([{ command: "start", description: "Start" }]);
    await api.setMyCommands([{ command: "start", description: "Starten" }], { language_code: "de" });
    expect(await api.getMyCommands({ language_code: "de" })).toEqual([{ command: "start", description: "Starten" }]);
    expect((await call("setMyCommands", { commands: [{ command: "Start", description: "x" }] })).status).toBe(400);
    expect(await hook("/__commands")).toHaveLength(2);
  });
});
