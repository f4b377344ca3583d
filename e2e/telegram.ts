// Helpers for the Telegram specs: ids no other test uses, updates in the JSON Telegram sends, posting them to the
// shared app's webhook, and reading what the app sent to the fake Telegram (e2e/fake-telegram/server.ts) that global
// setup started. The fake is one process shared by all workers and by both database runs' specs in turn: find calls
// by your own chat id (and a `since` mark), never by order alone.
import { createHash, randomBytes, randomInt } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { createAccount } from "./accounts";
import { TEST_SECRETS } from "./app-server";
import type { TestDatabase } from "./db";
import { BOT, type RecordedCall } from "./fake-telegram/server";
import { waitForRecordedCall } from "./recorded-calls";

export type { RecordedCall } from "./fake-telegram/server";

export interface TelegramUser {
  id: number;
  is_bot: false;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TelegramChat {
  id: number;
  type: "private" | "group" | "supergroup";
  title?: string;
  first_name?: string;
  username?: string;
}

export type Update = { update_id: number } & Record<string, unknown>;
export type Message = Record<string, unknown> & { message_id: number; chat: TelegramChat };

/** A random id in [10⁹, 2·10⁹): parallel workers and both database runs never meet. */
const randomId = () => 1_000_000_000 + randomInt(1_000_000_000);
// Monotonic per process from a random base, as Telegram's are per bot.
let updateId = randomId();
let messageId = randomInt(1_000_000);
const now = () => Math.floor(Date.now() / 1000);

/** A new user, their private chat (whose id is the user's, as on Telegram) and a supergroup, for one test. */
export function telegramIds(user: Partial<Omit<TelegramUser, "id" | "is_bot">> = {}) {
  const id = randomId();
  const person: TelegramUser = {
    id,
    is_bot: false,
    first_name: "Tess",
    username: `tess_${id}`,
    language_code: "en",
    ...user,
  };
  const privateChat: TelegramChat = {
    id,
    type: "private",
    first_name: person.first_name,
    ...(person.username ? { username: person.username } : {}),
  };
  // Supergroup ids are -100 followed by the channel's id.
  const group: TelegramChat = { id: -(1_000_000_000_000 + randomId()), type: "supergroup", title: `Group ${id}` };
  return { user: person, userId: id, chatId: id, privateChat, group, groupId: group.id };
}

export const nextUpdateId = () => ++updateId;

function privateChatOf(user: TelegramUser): TelegramChat {
  return {
    id: user.id,
    type: "private",
    first_name: user.first_name,
    ...(user.username ? { username: user.username } : {}),
  };
}

function message({
  user,
  chat,
  replyTo,
  ...content
}: {
  user: TelegramUser;
  chat?: TelegramChat;
  replyTo?: Message;
} & Record<string, unknown>): Update {
  return {
    update_id: nextUpdateId(),
    message: {
      message_id: ++messageId,
      from: user,
      chat: chat ?? privateChatOf(user),
      date: now(),
      ...(replyTo ? { reply_to_message: replyTo } : {}),
      ...content,
    },
  };
}

/**
 * A text message (private chat unless `chat` is given). A leading /command (or /command@bot) gets the bot_command
 * entity Telegram adds, covering the command and nothing after it.
 */
export function textUpdate({
  user,
  chat,
  text,
  replyTo,
}: {
  user: TelegramUser;
  chat?: TelegramChat;
  text: string;
  replyTo?: Message;
}): Update {
  const command = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?/.exec(text)?.[0];
  const entities = command ? [{ type: "bot_command", offset: 0, length: command.length }] : undefined;
  return message({ user, chat, replyTo, text, ...(entities ? { entities } : {}) });
}

/** A group message mentioning the bot (@chatledger_test_bot, added in front when `text` lacks it), as Telegram marks it. */
export function mentionUpdate({ user, chat, text }: { user: TelegramUser; chat: TelegramChat; text: string }): Update {
  const mention = `@${BOT.username}`;
  const full = text.includes(mention) ? text : `${mention} ${text}`;
  const entities = [{ type: "mention", offset: full.indexOf(mention), length: mention.length }];
  return message({ user, chat, text: full, entities });
}

/** A voice note: Ogg Opus, as Telegram's apps record it. Register its bytes with `registerFile` under `fileId`. */
export function voiceUpdate({
  user,
  chat,
  fileId,
  duration,
  mimeType = "audio/ogg",
  fileSize,
}: {
  user: TelegramUser;
  chat?: TelegramChat;
  fileId: string;
  duration: number;
  mimeType?: string;
  fileSize?: number;
}): Update {
  const voice = { file_id: fileId, file_unique_id: uniqueId(fileId), duration, mime_type: mimeType };
  return message({ user, chat, voice: fileSize === undefined ? voice : { ...voice, file_size: fileSize } });
}

/** An audio file sent as music (mp3 by default), with its name as Telegram reports it. */
export function audioUpdate({
  user,
  chat,
  fileId,
  duration,
  mimeType = "audio/mpeg",
  fileName = "audio.mp3",
  fileSize,
}: {
  user: TelegramUser;
  chat?: TelegramChat;
  fileId: string;
  duration: number;
  mimeType?: string;
  fileName?: string;
  fileSize?: number;
}): Update {
  const audio = {
    file_id: fileId,
    file_unique_id: uniqueId(fileId),
    duration,
    mime_type: mimeType,
    file_name: fileName,
  };
  return message({ user, chat, audio: fileSize === undefined ? audio : { ...audio, file_size: fileSize } });
}

export function inlineQueryUpdate({
  user,
  query,
  offset = "",
}: {
  user: TelegramUser;
  query: string;
  offset?: string;
}) {
  return {
    update_id: nextUpdateId(),
    inline_query: {
      id: String(BigInt(randomId()) * 1_000_000_000n + BigInt(randomId())),
      from: user,
      query,
      offset,
      chat_type: "sender",
    },
  } satisfies Update;
}

/** A press of an inline keyboard button under `message` (one the bot sent: take it from a recorded call's response). */
export function callbackQueryUpdate({ user, message, data }: { user: TelegramUser; message: Message; data: string }) {
  return {
    update_id: nextUpdateId(),
    callback_query: { id: String(randomId()), from: user, message, chat_instance: String(randomId()), data },
  } satisfies Update;
}

const uniqueId = (fileId: string) => `AgAD${Buffer.from(fileId).toString("base64url").slice(0, 12)}`;

/**
 * POSTs `update` to the app's webhook as Telegram does, with the run's secret in X-Telegram-Bot-Api-Secret-Token
 * (`secret: null` sends none), through `request` when given (else fetch); returns the HTTP status.
 */
export async function postUpdate({
  update,
  secret = TEST_SECRETS.TELEGRAM_WEBHOOK_SECRET,
  request,
  baseUrl = process.env.E2E_BASE_URL,
}: {
  update: unknown;
  secret?: string | null;
  request?: APIRequestContext;
  baseUrl?: string;
}): Promise<number> {
  if (!baseUrl) throw new Error("E2E_BASE_URL is not set: run the specs through `playwright test`");
  const url = `${baseUrl}/api/telegram/webhook`;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret !== null) headers["x-telegram-bot-api-secret-token"] = secret;
  if (request) return (await request.post(url, { headers, data: update })).status();
  const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(update) });
  await response.body?.cancel();
  return response.status;
}

function fakeTelegramUrl(): string {
  const url = process.env.FAKE_TELEGRAM_URL;
  if (!url)
    throw new Error("FAKE_TELEGRAM_URL is not set: run the specs through `playwright test` (e2e/global-setup.ts)");
  return url;
}

async function hook<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${fakeTelegramUrl()}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export interface CallFilter {
  chatId?: number;
  method?: string;
  /** Only calls recorded after this mark (`telegramSeq()`). */
  since?: number;
}

/** The Bot API calls the fake recorded, oldest first. */
export function telegramCalls({ chatId, method, since }: CallFilter = {}): Promise<RecordedCall[]> {
  const query = new URLSearchParams();
  if (chatId !== undefined) query.set("chat_id", String(chatId));
  if (method) query.set("method", method);
  if (since !== undefined) query.set("since", String(since));
  return hook(`/__calls?${query}`);
}

/** The sequence number of the last call recorded: pass it as `since` to see only what follows. */
export async function telegramSeq(): Promise<number> {
  return (await hook<{ seq: number }>("/__seq")).seq;
}

/**
 * The first call matching `filter` (and `where`, when given), polled every 100 ms. The default timeout is a model
 * reply's on a loaded machine (the webhook answers at once and the reply follows): pass less when waiting for less.
 */
export async function waitForCall(
  filter: CallFilter & { where?: (call: RecordedCall) => boolean },
  { timeout = 30_000 }: { timeout?: number } = {},
): Promise<RecordedCall> {
  const { where, ...query } = filter;
  return waitForRecordedCall({
    read: () => telegramCalls(query),
    where,
    timeout,
    what: `Telegram call matching ${JSON.stringify(query)}`,
    describe: (call) => `${call.method} ${call.status} ${JSON.stringify(call.params).slice(0, 200)}`,
  });
}

/** Makes `bytes` downloadable through getFile under `fileId` (a voice note's, say); returns Telegram's File. */
export function registerFile({
  fileId = `voice-${randomId()}`,
  filePath = `voice/file_${randomId()}.oga`,
  bytes,
  mime = "audio/ogg",
}: {
  fileId?: string;
  filePath?: string;
  bytes: Buffer;
  mime?: string;
}) {
  return hook<{ file_id: string; file_unique_id: string; file_size: number; file_path: string }>("/__files", {
    file_id: fileId,
    file_path: filePath,
    base64: bytes.toString("base64"),
    mime,
  });
}

/** The user of `chatId` blocked the bot: from now on every call for that chat is 403. */
export async function blockBot(chatId: number): Promise<void> {
  await hook("/__blocked", { chat_id: chatId });
}

/**
 * A user (createAccount's options) linked to a new Telegram user as Settings links one: a one-time token stored by
 * its hash, then `/start <token>` posted to the bot of `baseUrl`, which answers "Linked…".
 */
export async function linkedTelegram(
  db: TestDatabase,
  { budgetMicros = null, baseUrl = process.env.E2E_BASE_URL }: { budgetMicros?: number | null; baseUrl?: string } = {},
) {
  const account = await createAccount(db, { prefix: "tg", budgetMicros });
  const token = randomBytes(32).toString("base64url");
  const tokenHash = createHash("sha256").update(token).digest("hex");
  await db.query(
    `INSERT INTO "ChannelLinkToken" ("tokenHash", "channel", "userId", "expiresAt", "createdAt") VALUES ($1, 'telegram', $2, $3, $4)`,
    [tokenHash, account.id, new Date(Date.now() + 600_000).toISOString(), new Date().toISOString()],
  );
  const ids = telegramIds();
  const status = await postUpdate({ update: textUpdate({ user: ids.user, text: `/start ${token}` }), baseUrl });
  if (status !== 200) throw new Error(`the webhook answered /start with ${status}`);
  await waitForCall({
    chatId: ids.chatId,
    method: "sendMessage",
    where: (call) => ((call.params as { text?: string }).text ?? "").startsWith("Linked"),
  });
  return { account, ids };
}
