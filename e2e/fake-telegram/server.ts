// A fake Telegram Bot API server for e2e and integration tests: plain node:http, speaking the real wire format so the
// app's grammY client (`client.apiRoot = TELEGRAM_API_BASE_URL`) runs unchanged against it.
//
// Requests: `${url}/bot<token>/<method>` (method names case-insensitive, as Telegram's), GET with query parameters or
// POST with a JSON, application/x-www-form-urlencoded or multipart/form-data body (grammY sends multipart when it
// uploads a file, objects then being JSON strings and each file an `attach://<id>` field plus a part named <id>).
// Answers `{"ok":true,"result":…}`, or `{"ok":false,"error_code":N,"description":"…"}` with that HTTP status: a wrong
// token is 401 "Unauthorized", an unknown method or path 404 "Not Found".
//
// Methods: getMe, setWebhook, deleteWebhook, getWebhookInfo, setMyCommands, getMyCommands, deleteMyCommands,
// sendMessage, editMessageText, deleteMessage, sendChatAction, sendPhoto, answerInlineQuery, answerCallbackQuery,
// getFile, getUpdates. They refuse what Telegram refuses, with its wording (formatting.ts for text and entities):
// empty or over-long text and captions, bad entities or MarkdownV2/HTML, editing a message the bot never sent in that
// chat or without a change, sending to a chat a test marked blocked (403), getUpdates while a webhook is set (409), a
// webhook URL that is not HTTPS on port 443/80/88/8443, an unknown file_id. Approximations: any numeric chat id
// exists (positive: private, -100…: supergroup, other negative: group); entities Telegram would detect in plain text
// are not added; getUpdates waits at most 2 s.
//
// Every Bot API call is recorded (RecordedCall: method, params, status, response, time, a sequence number `seq`).
// Test hooks (not the Bot API):
//   GET  /__calls?chat_id=&method=&since=  recorded calls, filtered (since: only calls with a greater seq)
//   GET  /__seq                            { seq } of the last call recorded: a mark for `since`
//   POST /__files   { file_id, file_path, base64, mime? }  a file getFile and GET /file/bot<token>/<path> serve
//   POST /__blocked { chat_id }            the user blocked the bot: every call for that chat is 403
//   POST /__updates { update }             queues an update for getUpdates (update_id assigned when absent)
//   GET  /__webhook                        the last setWebhook's parameters (secret_token included), or null
//   GET  /__commands                       [{ scope, language_code, commands }] as setMyCommands left them
// Run standalone: `tsx e2e/fake-telegram/server.ts --port 4020 --token 123:abc` prints the API root.

import { randomBytes } from "node:crypto";
import type http from "node:http";
import busboy from "busboy";
import { serveFake } from "../fake-http";
import { entitiesKey, FormatError, type FormattedText, formatText } from "./formatting";

export interface RecordedCall {
  seq: number;
  /** The Bot API method as documented (sendMessage), whatever case it was called in; "file" for a download. */
  method: string;
  /** Parameters as parsed: form values coerced as Telegram reads them; an uploaded file as { file: {…} }. */
  params: Record<string, unknown>;
  status: number;
  /** The response body sent. */
  response: unknown;
  /** ISO timestamp of arrival. */
  time: string;
}

export interface UploadedFile {
  file: { size: number; mimeType: string; name: string };
}

export interface FakeTelegramOptions {
  /** 0 or absent: a free port picked by the OS. */
  port?: number;
  host?: string;
  /** The bot's token: any other is 401. */
  token: string;
}

export interface FakeTelegram {
  /** The API root, as given to grammY's `apiRoot` (http://127.0.0.1:<port>). */
  url: string;
  port: number;
  calls(): RecordedCall[];
  close(): Promise<void>;
}

export const BOT = {
  id: 7_000_000_001,
  is_bot: true,
  first_name: "ChatLedger Test",
  username: "chatledger_test_bot",
} as const;

const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
/** The Bot API's getFile limit: bigger files cannot be downloaded by bots. */
const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
const MAX_UPDATES_WAIT_MS = 2_000;
const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);
const METHODS = [
  "getMe",
  "setWebhook",
  "deleteWebhook",
  "getWebhookInfo",
  "setMyCommands",
  "getMyCommands",
  "deleteMyCommands",
  "sendMessage",
  "editMessageText",
  "deleteMessage",
  "sendChatAction",
  "sendPhoto",
  "answerInlineQuery",
  "answerCallbackQuery",
  "getFile",
  "getUpdates",
] as const;
type Method = (typeof METHODS)[number];
const METHOD_BY_NAME = new Map<string, Method>(METHODS.map((method) => [method.toLowerCase(), method]));

// Form bodies carry every value as a string; these are read as Telegram reads them.
const JSON_FIELDS = new Set([
  "entities",
  "caption_entities",
  "reply_markup",
  "reply_parameters",
  "link_preview_options",
  "results",
  "button",
  "commands",
  "scope",
  "allowed_updates",
]);
const INTEGER_FIELDS = new Set([
  "chat_id",
  "message_id",
  "message_thread_id",
  "reply_to_message_id",
  "offset",
  "limit",
  "timeout",
  "cache_time",
  "max_connections",
]);
const BOOLEAN_FIELDS = new Set([
  "disable_notification",
  "protect_content",
  "drop_pending_updates",
  "show_alert",
  "is_personal",
  "has_spoiler",
  "disable_web_page_preview",
  "allow_sending_without_reply",
  "show_caption_above_media",
]);

class BotApiError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
  }
}
const badRequest = (reason: string) => new BotApiError(400, `Bad Request: ${reason}`);

interface StoredMessage {
  message: Record<string, unknown>;
  /** Text or caption with entities and markup as a key, for "message is not modified". */
  contentKey: string | null;
}

interface Chat {
  nextMessageId: number;
  messages: Map<number, StoredMessage>;
}

interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  bytes: Buffer;
  mime: string;
}

export async function startFakeTelegram(options: FakeTelegramOptions): Promise<FakeTelegram> {
  const { token } = options;
  const log: RecordedCall[] = [];
  let seq = 0;
  const chats = new Map<string, Chat>();
  const inlineMessages = new Map<string, string>();
  const blocked = new Set<string>();
  const files = new Map<string, StoredFile>();
  const updates: Record<string, unknown>[] = [];
  let nextUpdateId = 1;
  let confirmedUpdateId = 0;
  const updateWaiters = new Set<() => void>();
  let webhook: Record<string, unknown> | null = null;
  const commands = new Map<string, { scope: unknown; language_code: string; commands: unknown[] }>();

  function chatOf(chatId: unknown): { key: string; chat: Record<string, unknown>; state: Chat } {
    if (chatId === undefined || chatId === null || chatId === "") throw badRequest("chat_id is empty");
    const id = typeof chatId === "number" ? chatId : Number(chatId);
    // The fake knows no @usernames: only numeric ids name a chat.
    if (!Number.isSafeInteger(id) || id === 0) throw badRequest("chat not found");
    const key = String(id);
    let state = chats.get(key);
    if (!state) {
      state = { nextMessageId: 1, messages: new Map() };
      chats.set(key, state);
    }
    const type = id > 0 ? "private" : String(id).startsWith("-100") ? "supergroup" : "group";
    return { key, chat: { id, type }, state };
  }

  function assertNotBlocked(key: string) {
    if (blocked.has(key)) throw new BotApiError(403, "Forbidden: bot was blocked by the user");
  }

  function formatted(params: Record<string, unknown>, field: "text" | "caption"): FormattedText {
    const text = field === "text" ? params.text : String(params.caption ?? "");
    if (typeof text !== "string" || text.trim() === "") throw badRequest("message text is empty");
    try {
      const result = formatText({
        text,
        entities: params[field === "text" ? "entities" : "caption_entities"],
        parseMode: params.parse_mode,
      });
      if (field === "text" && result.text.trim() === "") throw badRequest("message text is empty");
      if (field === "text" && result.text.length > MAX_TEXT) throw badRequest("message is too long");
      if (field === "caption" && result.text.length > MAX_CAPTION) throw badRequest("message caption is too long");
      return result;
    } catch (error) {
      if (error instanceof FormatError) throw badRequest(error.message);
      throw error;
    }
  }

  function newMessage(state: Chat, chat: Record<string, unknown>, content: Record<string, unknown>) {
    const message: Record<string, unknown> = {
      message_id: state.nextMessageId++,
      from: { ...BOT },
      chat,
      date: Math.floor(Date.now() / 1000),
      ...content,
    };
    return message;
  }

  function contentKey(text: FormattedText, replyMarkup: unknown): string {
    return JSON.stringify([text.text, entitiesKey(text.entities), replyMarkup ?? null]);
  }

  function withText(text: FormattedText, field: "text" | "caption"): Record<string, unknown> {
    const content: Record<string, unknown> = { [field]: text.text };
    if (text.entities.length > 0) content[field === "text" ? "entities" : "caption_entities"] = text.entities;
    return content;
  }

  function storeFile({ bytes, mime, path }: { bytes: Buffer; mime: string; path: string }, fileId?: string) {
    const file: StoredFile = {
      file_id: fileId ?? `AgAC${randomBytes(24).toString("base64url")}`,
      file_unique_id: `AQAD${randomBytes(8).toString("base64url")}`,
      file_path: path,
      bytes,
      mime,
    };
    files.set(file.file_id, file);
    return file;
  }

  function queueUpdate(update: Record<string, unknown>): number {
    const id = typeof update.update_id === "number" ? update.update_id : nextUpdateId;
    nextUpdateId = Math.max(nextUpdateId, id + 1);
    updates.push({ ...update, update_id: id });
    for (const wake of updateWaiters) wake();
    return id;
  }

  async function pendingUpdates(params: Record<string, unknown>) {
    const offset = typeof params.offset === "number" ? params.offset : 0;
    const limit = typeof params.limit === "number" ? Math.min(Math.max(params.limit, 1), 100) : 100;
    // An offset confirms every update before it: they are gone for good, as on Telegram.
    if (offset > 0) confirmedUpdateId = Math.max(confirmedUpdateId, offset - 1);
    const available = () =>
      updates.filter((update) => (update.update_id as number) > confirmedUpdateId).slice(Math.min(offset, 0));
    for (let i = updates.length - 1; i >= 0; i--) {
      if ((updates[i]?.update_id as number) <= confirmedUpdateId) updates.splice(i, 1);
    }
    const timeoutMs = Math.min(typeof params.timeout === "number" ? params.timeout * 1000 : 0, MAX_UPDATES_WAIT_MS);
    if (available().length === 0 && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          updateWaiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, timeoutMs);
        updateWaiters.add(wake);
      });
    }
    return available().slice(0, limit);
  }

  function commandsKey(params: Record<string, unknown>) {
    const scope = (params.scope as { type?: unknown } | undefined) ?? { type: "default" };
    const language = typeof params.language_code === "string" ? params.language_code : "";
    return { key: JSON.stringify([scope, language]), scope, language };
  }

  const handlers: Record<Method, (params: Record<string, unknown>) => unknown> = {
    getMe: () => ({
      ...BOT,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: true,
      can_connect_to_business: false,
      has_main_web_app: false,
    }),

    setWebhook(params) {
      const url = typeof params.url === "string" ? params.url : "";
      if (url === "") {
        webhook = null;
        return true;
      }
      const parsed = URL.parse(url);
      if (parsed?.protocol !== "https:") throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
      if (parsed.port && !["443", "80", "88", "8443"].includes(parsed.port)) {
        throw badRequest("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
      }
      const secret = params.secret_token;
      if (secret !== undefined && (typeof secret !== "string" || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))) {
        throw badRequest("secret token contains unallowed characters");
      }
      if (params.drop_pending_updates === true) updates.length = 0;
      webhook = { ...params };
      return true;
    },

    deleteWebhook(params) {
      webhook = null;
      if (params.drop_pending_updates === true) updates.length = 0;
      return true;
    },

    getWebhookInfo: () => ({
      url: typeof webhook?.url === "string" ? webhook.url : "",
      has_custom_certificate: false,
      pending_update_count: updates.length,
      ...(webhook?.max_connections !== undefined ? { max_connections: webhook.max_connections } : {}),
      ...(Array.isArray(webhook?.allowed_updates) ? { allowed_updates: webhook.allowed_updates } : {}),
    }),

    setMyCommands(params) {
      const list = params.commands;
      if (!Array.isArray(list)) throw badRequest("commands must be an Array");
      if (list.length > 100) throw badRequest("BOT_COMMANDS_TOO_MUCH");
      for (const entry of list) {
        const { command, description } = (entry ?? {}) as { command?: unknown; description?: unknown };
        if (typeof command !== "string" || !/^[a-z0-9_]{1,32}$/.test(command)) throw badRequest("BOT_COMMAND_INVALID");
        if (typeof description !== "string" || description.trim() === "" || description.length > 256) {
          throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
        }
      }
      const { key, scope, language } = commandsKey(params);
      if (list.length === 0) commands.delete(key);
      else commands.set(key, { scope, language_code: language, commands: list });
      return true;
    },

    getMyCommands: (params) => commands.get(commandsKey(params).key)?.commands ?? [],

    deleteMyCommands(params) {
      commands.delete(commandsKey(params).key);
      return true;
    },

    sendMessage(params) {
      const { key, chat, state } = chatOf(params.chat_id);
      const text = formatted(params, "text");
      assertNotBlocked(key);
      const message = newMessage(state, chat, {
        ...withText(text, "text"),
        ...(params.reply_markup ? { reply_markup: params.reply_markup } : {}),
      });
      state.messages.set(message.message_id as number, {
        message,
        contentKey: contentKey(text, params.reply_markup),
      });
      return message;
    },

    editMessageText(params) {
      const text = formatted(params, "text");
      const key = contentKey(text, params.reply_markup);
      if (typeof params.inline_message_id === "string" && params.inline_message_id !== "") {
        if (inlineMessages.get(params.inline_message_id) === key) throw notModified();
        inlineMessages.set(params.inline_message_id, key);
        return true;
      }
      const { key: chatKey, state } = chatOf(params.chat_id);
      assertNotBlocked(chatKey);
      const stored = state.messages.get(Number(params.message_id));
      if (!stored) throw badRequest("message to edit not found");
      if (stored.contentKey === null || stored.message.text === undefined) {
        throw badRequest("there is no text in the message to edit");
      }
      if (stored.contentKey === key) throw notModified();
      const { entities: _entities, reply_markup: _markup, ...rest } = stored.message;
      stored.message = {
        ...rest,
        ...withText(text, "text"),
        ...(params.reply_markup ? { reply_markup: params.reply_markup } : {}),
        edit_date: Math.floor(Date.now() / 1000),
      };
      stored.contentKey = key;
      return stored.message;
    },

    deleteMessage(params) {
      const { key, state } = chatOf(params.chat_id);
      assertNotBlocked(key);
      if (!state.messages.delete(Number(params.message_id))) throw badRequest("message to delete not found");
      return true;
    },

    sendChatAction(params) {
      const { key } = chatOf(params.chat_id);
      if (typeof params.action !== "string" || !CHAT_ACTIONS.has(params.action)) {
        throw badRequest("wrong parameter action in request");
      }
      assertNotBlocked(key);
      return true;
    },

    sendPhoto(params) {
      const { key, chat, state } = chatOf(params.chat_id);
      const photo = params.photo;
      let file: StoredFile | undefined;
      if (photo && typeof photo === "object" && "file" in photo) {
        const upload = (photo as UploadedFile & { bytes?: Buffer }).file;
        if (upload.size === 0) throw badRequest("file must be non-empty");
      } else if (typeof photo === "string" && photo !== "") {
        const isUrl = /^https?:\/\//i.test(photo) && URL.canParse(photo);
        file = files.get(photo);
        if (!isUrl && !file) throw badRequest("wrong file identifier/HTTP URL specified");
      } else throw badRequest("there is no photo in the request");
      const caption = params.caption === undefined ? null : formatted(params, "caption");
      assertNotBlocked(key);
      const bytes = uploads.get(params)?.get("photo") ?? file?.bytes ?? Buffer.alloc(0);
      const stored = file ?? storeFile({ bytes, mime: "image/jpeg", path: `photos/file_${files.size}.jpg` });
      const message = newMessage(state, chat, {
        photo: [
          {
            file_id: stored.file_id,
            file_unique_id: stored.file_unique_id,
            file_size: stored.bytes.length,
            width: 320,
            height: 320,
          },
        ],
        ...(caption && caption.text !== "" ? withText(caption, "caption") : {}),
        ...(params.reply_markup ? { reply_markup: params.reply_markup } : {}),
      });
      state.messages.set(message.message_id as number, { message, contentKey: null });
      return message;
    },

    answerInlineQuery(params) {
      if (typeof params.inline_query_id !== "string" || params.inline_query_id === "") {
        throw badRequest("inline_query_id is empty");
      }
      const results = params.results;
      if (!Array.isArray(results)) throw badRequest("can't parse inline query results JSON object");
      if (results.length > 50) throw badRequest("RESULTS_TOO_MUCH");
      const ids = new Set<string>();
      for (const [index, raw] of results.entries()) {
        const result = (raw ?? {}) as Record<string, unknown>;
        if (typeof result.type !== "string")
          throw badRequest(`can't parse inline query result ${index}: type is missing`);
        if (typeof result.id !== "string" || result.id === "" || Buffer.byteLength(result.id) > 64) {
          throw badRequest("RESULT_ID_INVALID");
        }
        if (ids.has(result.id)) throw badRequest("RESULT_ID_DUPLICATE");
        ids.add(result.id);
        if (result.type === "article") {
          if (typeof result.title !== "string" || result.title === "") throw badRequest("RESULT_TITLE_EMPTY");
          const content = result.input_message_content as Record<string, unknown> | undefined;
          if (typeof content?.message_text !== "string") throw badRequest("MESSAGE_EMPTY");
          formatted({ ...content, text: content.message_text }, "text");
        }
      }
      return true;
    },

    answerCallbackQuery(params) {
      if (typeof params.callback_query_id !== "string" || params.callback_query_id === "") {
        throw badRequest("callback_query_id is empty");
      }
      if (typeof params.text === "string" && params.text.length > 200) throw badRequest("MESSAGE_TOO_LONG");
      return true;
    },

    getFile(params) {
      const file = typeof params.file_id === "string" ? files.get(params.file_id) : undefined;
      if (!file) throw badRequest("invalid file_id");
      if (file.bytes.length > MAX_DOWNLOAD_BYTES) throw badRequest("file is too big");
      return {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_size: file.bytes.length,
        file_path: file.file_path,
      };
    },

    getUpdates(params) {
      if (webhook) {
        throw new BotApiError(
          409,
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        );
      }
      return pendingUpdates(params);
    },
  };

  // The uploaded bytes of a multipart request's file fields (by field name), by the params object they belong to.
  const uploads: Uploads = new WeakMap();

  function notModified() {
    return badRequest(
      "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
    );
  }

  function record(method: string, params: Record<string, unknown>, status: number, response: unknown, time: Date) {
    log.push({ seq: ++seq, method, params, status, response, time: time.toISOString() });
  }

  function sendJson(res: http.ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  async function botApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const arrived = new Date();
    const match = /^\/bot([^/]*)\/([^/]+)$/.exec(url.pathname);
    let params: Record<string, unknown> = {};
    let name = match?.[2] ?? url.pathname;
    const answer = (status: number, body: unknown) => {
      record(name, params, status, body, arrived);
      sendJson(res, status, body);
    };
    const fail = (error: BotApiError) =>
      answer(error.status, { ok: false, error_code: error.status, description: error.description });
    try {
      params = await readParams(req, url, uploads);
    } catch {
      return fail(badRequest("can't parse request body"));
    }
    if (!match) return fail(new BotApiError(404, "Not Found"));
    if (match[1] !== token) return fail(new BotApiError(401, "Unauthorized"));
    const method = METHOD_BY_NAME.get(name.toLowerCase());
    if (!method) return fail(new BotApiError(404, "Not Found"));
    name = method;
    try {
      const result = await handlers[method](params);
      answer(200, { ok: true, result });
    } catch (error) {
      if (!(error instanceof BotApiError)) throw error;
      fail(error);
    }
  }

  async function testHook(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const path = url.pathname;
    const body = () => readBody(req).then((raw) => (raw ? JSON.parse(raw) : {}) as Record<string, unknown>);
    if (path === "/__calls" && req.method === "GET") {
      const chatId = url.searchParams.get("chat_id");
      const method = url.searchParams.get("method")?.toLowerCase();
      const since = Number(url.searchParams.get("since") ?? 0);
      return sendJson(
        res,
        200,
        log.filter(
          (call) =>
            call.seq > since &&
            (method === undefined || call.method.toLowerCase() === method) &&
            (chatId === null || String(call.params.chat_id) === chatId),
        ),
      );
    }
    if (path === "/__seq" && req.method === "GET") return sendJson(res, 200, { seq });
    if (path === "/__files" && req.method === "POST") {
      const { file_id, file_path, base64, mime } = await body();
      if (typeof file_id !== "string" || typeof file_path !== "string" || typeof base64 !== "string") {
        return sendJson(res, 400, { error: "file_id, file_path and base64 are required" });
      }
      const file = storeFile(
        {
          bytes: Buffer.from(base64, "base64"),
          mime: typeof mime === "string" ? mime : "application/octet-stream",
          path: file_path,
        },
        file_id,
      );
      return sendJson(res, 200, {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_size: file.bytes.length,
        file_path,
      });
    }
    if (path === "/__blocked" && req.method === "POST") {
      const { chat_id } = await body();
      blocked.add(String(chat_id));
      return sendJson(res, 200, { chat_id });
    }
    if (path === "/__updates" && req.method === "POST") {
      const { update } = await body();
      if (typeof update !== "object" || update === null) return sendJson(res, 400, { error: "update is required" });
      return sendJson(res, 200, { update_id: queueUpdate(update as Record<string, unknown>) });
    }
    if (path === "/__webhook" && req.method === "GET") return sendJson(res, 200, webhook);
    if (path === "/__commands" && req.method === "GET") return sendJson(res, 200, [...commands.values()]);
    sendJson(res, 404, { error: `no test hook ${req.method} ${path}` });
  }

  function download(res: http.ServerResponse, url: URL) {
    const prefix = `/file/bot${token}/`;
    const path = url.pathname.startsWith(prefix) ? decodeURIComponent(url.pathname.slice(prefix.length)) : null;
    const file = path === null ? undefined : [...files.values()].find((candidate) => candidate.file_path === path);
    const status = file ? 200 : url.pathname.startsWith("/file/bot") && path === null ? 401 : 404;
    record("file", { file_path: path }, status, file ? { size: file.bytes.length } : null, new Date());
    if (!file) {
      const description = status === 401 ? "Unauthorized" : "Not Found";
      return sendJson(res, status, { ok: false, error_code: status, description });
    }
    res.writeHead(200, { "content-type": file.mime, "content-length": file.bytes.length });
    res.end(file.bytes);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://fake-telegram");
    if (url.pathname.startsWith("/__")) return testHook(req, res, url);
    if (url.pathname.startsWith("/file/") && req.method === "GET") return download(res, url);
    return botApi(req, res, url);
  }

  const served = await serveFake({
    name: "fake-telegram",
    handle,
    answerFailure: (res) => sendJson(res, 500, { ok: false, error_code: 500, description: "Internal Server Error" }),
    port: options.port,
    host: options.host,
  });

  return {
    url: served.url,
    port: served.port,
    calls: () => structuredClone(log),
    close: () => {
      for (const wake of updateWaiters) wake();
      return served.close();
    },
  };
}

/** Query parameters merged with the body's, read as Telegram reads them (see JSON_FIELDS and its neighbours). */
type Uploads = WeakMap<Record<string, unknown>, Map<string, Buffer>>;

async function readParams(req: http.IncomingMessage, url: URL, uploads: Uploads): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = {};
  for (const [name, value] of url.searchParams) params[name] = coerce(name, value);
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    const { fields, parts } = await readMultipart(req);
    for (const [name, value] of Object.entries(fields)) params[name] = coerce(name, value);
    // A file goes as `photo=attach://<id>` plus a part named <id> (grammY), or as a part named `photo` itself.
    const bytes = new Map<string, Buffer>();
    for (const [name, value] of Object.entries(params)) {
      const attached = typeof value === "string" ? /^attach:\/\/(.+)$/.exec(value)?.[1] : undefined;
      const part = attached ? parts.get(attached) : undefined;
      if (part) {
        params[name] = { file: part.info };
        bytes.set(name, part.bytes);
      }
    }
    for (const [name, part] of parts) {
      if (Object.values(fields).includes(`attach://${name}`)) continue;
      params[name] = { file: part.info };
      bytes.set(name, part.bytes);
    }
    uploads.set(params, bytes);
    return params;
  }
  const raw = await readBody(req);
  if (type.startsWith("application/x-www-form-urlencoded")) {
    for (const [name, value] of new URLSearchParams(raw)) params[name] = coerce(name, value);
  } else if (raw.trim() !== "") {
    const body: unknown = JSON.parse(raw);
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("not an object");
    Object.assign(params, body);
  }
  return params;
}

function coerce(name: string, value: string): unknown {
  if (INTEGER_FIELDS.has(name) && /^-?\d+$/.test(value)) return Number(value);
  if (BOOLEAN_FIELDS.has(name) && (value === "true" || value === "false")) return value === "true";
  if (JSON_FIELDS.has(name)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

type Part = { info: UploadedFile["file"]; bytes: Buffer };

function readMultipart(req: http.IncomingMessage) {
  return new Promise<{ fields: Record<string, string>; parts: Map<string, Part> }>((resolve, reject) => {
    const fields: Record<string, string> = {};
    const parts = new Map<string, Part>();
    const parser = busboy({ headers: req.headers });
    parser.on("field", (name, value) => {
      fields[name] = value;
    });
    parser.on("file", (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const bytes = Buffer.concat(chunks);
        parts.set(name, { info: { size: bytes.length, mimeType: info.mimeType, name: info.filename ?? "" }, bytes });
      });
    });
    parser.on("close", () => resolve({ fields, parts }));
    parser.on("error", reject);
    req.pipe(parser);
  });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

// Standalone: argv[1] is this file when run as `tsx e2e/fake-telegram/server.ts` (import.meta is unavailable under CJS).
if (/[\\/]fake-telegram[\\/]server\.[cm]?[jt]s$/.test(process.argv[1] ?? "")) {
  const arg = (name: string) => {
    const index = process.argv.indexOf(name);
    return index >= 0 ? process.argv[index + 1] : undefined;
  };
  const token = arg("--token");
  if (!token) {
    console.error("usage: tsx e2e/fake-telegram/server.ts --token <bot token> [--port <port>]");
    process.exit(2);
  }
  startFakeTelegram({ port: Number(arg("--port") ?? 0), token }).then(
    (fake) => {
      console.log(fake.url);
      const stop = () => void fake.close().then(() => process.exit(0));
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
