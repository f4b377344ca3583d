import "server-only";
import { randomUUID } from "node:crypto";
import { Bot, type Context, InputFile } from "grammy";
import type { InlineQueryResultArticle, Message, MessageEntity, UserFromGetMe } from "grammy/types";
import { languageHint, transcribeAudio } from "@/lib/audio/transcribe";
import { MAX_AUDIO_BYTES, MAX_AUDIO_MB } from "@/lib/audio/upload";
import { imageOptions } from "@/lib/billing/image-variants";
import { formatUsd } from "@/lib/billing/money";
import { budgetPolicy } from "@/lib/config";
import { getChannelUser, recordChannelUpdate, updateChannelChat } from "@/lib/db/channels";
import { getUserProfile } from "@/lib/db/users";
import { getEnv } from "@/lib/env";
import { appError, formatErrorText } from "@/lib/i18n/errors";
import type { Locale } from "@/lib/i18n/locales";
import { imageModel } from "@/lib/images/model";
import { keepAliveUntil } from "@/lib/keep-alive";
import { enforceUserRateLimit } from "@/lib/rate-limit";
import { answerInChat, channelUserOf, chatState, redeemLinkToken, startNewConversation } from "../conversations";
import { inChatOrder } from "../queue";
import {
  type Asker,
  collectedText,
  collectingWriter,
  failureText,
  modelText,
  refusalText,
  statsText,
} from "../replies";
import { botTexts, channelLocale } from "../texts";
import { splitFormatted } from "./format";
import { formatReply, isChatGone, logTelegramError, messageEntities, telegramReplyWriter } from "./reply";

// The Telegram bot (grammY): who a Telegram user is on ChatLedger, the commands, text, voice and inline questions —
// each through the same use cases as the web, on the user's account, ledger and budget. Every update is recorded by
// its id before anything is done (a redelivered update is ignored: never answered or charged twice), then handled
// apart from the request that delivered it, so the webhook answers at once; a serverless host keeps the function
// alive until the handling ends (lib/keep-alive.ts). A chat's updates are handled one after another.

const CHANNEL = "telegram" as const;

/** An inline answer is bounded: it must arrive while the person is still looking at the results. */
const INLINE_MAX_OUTPUT_TOKENS = 400;
/** An inline question is answered once the person has stopped typing this long (Telegram sends one per keystroke). */
const INLINE_SETTLE_MS = 700;

export type TelegramConfig = { token: string; secret: string; apiRoot: string };

/** The bot's settings, or null when the server has no bot (no TELEGRAM_BOT_TOKEN). */
export function telegramConfig(): TelegramConfig | null {
  const env = getEnv();
  if (!env.TELEGRAM_BOT_TOKEN || !env.TELEGRAM_WEBHOOK_SECRET) return null;
  return {
    token: env.TELEGRAM_BOT_TOKEN,
    secret: env.TELEGRAM_WEBHOOK_SECRET,
    apiRoot: env.TELEGRAM_API_BASE_URL.replace(/\/+$/, ""),
  };
}

const holder = globalThis as { __chatledgerTelegram?: { bot: Bot; token: string } };

/** The process's bot (one per token), its handlers installed. Throws when the server has no bot. */
export function getTelegramBot(): Bot {
  const config = telegramConfig();
  if (!config) throw new Error("TELEGRAM_BOT_TOKEN is not set");
  if (holder.__chatledgerTelegram?.token !== config.token) {
    const bot = new Bot(config.token, { client: { apiRoot: config.apiRoot } });
    installHandlers(bot, config);
    holder.__chatledgerTelegram = { bot, token: config.token };
  }
  return holder.__chatledgerTelegram.bot;
}

/** The bot's @username (for the deep link in Settings), from getMe, cached with the bot. */
export async function telegramBotUsername(): Promise<string> {
  const bot = getTelegramBot();
  await bot.init();
  return bot.botInfo.username;
}

/** The newest inline query of each Telegram user: older ones are dropped before anything is spent. */
const latestInlineQuery = new Map<number, string>();

function installHandlers(bot: Bot, config: TelegramConfig) {
  // Once per update, before anything else: a redelivered update stops here.
  bot.use(async (ctx, next) => {
    const isNew = await recordChannelUpdate({ channel: CHANNEL, updateId: String(ctx.update.update_id) });
    if (!isNew) return;
    const work = () =>
      next().catch((error: unknown) => {
        if (isChatGone(error)) console.warn(`[telegram] chat ${ctx.chat?.id} cannot be written to: ${String(error)}`);
        else logTelegramError(`update ${ctx.update.update_id}`, error);
      });
    const key = ctx.inlineQuery ? null : `${ctx.chat?.id ?? ""}:${ctx.from?.id ?? ""}`;
    keepAliveUntil(key === null ? work() : inChatOrder(key, work));
  });

  // Group chats: only messages meant for the bot (a command, a mention, a reply to the bot).
  bot.on("message", async (ctx, next) => {
    if (ctx.chat.type === "private" || isForBot(ctx.message, ctx.me)) return next();
  });

  bot.command("start", async (ctx) => {
    const token = ctx.match.trim();
    const from = ctx.from;
    if (!from) return;
    if (token) {
      const linked = await redeemLinkToken({
        channel: CHANNEL,
        token,
        externalId: String(from.id),
        displayName: from.username ? `@${from.username}` : from.first_name,
      });
      const t = botTexts(channelLocale({ hint: from.language_code }));
      if (!linked) return void (await ctx.reply(t("linkInvalid")));
      const user = await getChannelUser({ channel: CHANNEL, externalId: String(from.id) });
      const asker = user && (await askerOf(ctx, user));
      const email = await linkedEmail(linked.userId);
      return void (await ctx.reply((asker?.t ?? t)("linked", { email })));
    }
    const asker = await resolveAsker(ctx);
    if (!asker) return;
    const { model } = await chatState(asker.chat);
    await ctx.reply(asker.t("greeting", { name: from.first_name, model }));
  });

  bot.command("help", async (ctx) => {
    const t = botTexts(await localeOf(ctx));
    await ctx.reply(t("help", { bot: ctx.me.username }));
  });

  bot.command(["new", "reset"], async (ctx) => {
    const asker = await resolveAsker(ctx);
    if (!asker) return;
    await startNewConversation(asker.chat);
    await ctx.reply(asker.t("newConversation"));
  });

  bot.command("model", async (ctx) => {
    const asker = await resolveAsker(ctx);
    if (!asker) return;
    await ctx.reply(await modelText(asker, ctx.match.trim()));
  });

  bot.command("stats", async (ctx) => {
    const asker = await resolveAsker(ctx);
    if (!asker) return;
    await ctx.reply(await statsText(asker));
  });

  bot.command("caps", async (ctx) => {
    const text = ctx.match.trim();
    const t = botTexts(await localeOf(ctx));
    await ctx.reply(text ? text.toLocaleUpperCase() : t("capsUsage"));
  });

  bot.command("image", async (ctx) => {
    const asker = await resolveAsker(ctx);
    if (!asker) return;
    const prompt = ctx.match.trim();
    if (!prompt) return void (await ctx.reply(asker.t("imageUsage")));
    await ctx.replyWithChatAction("upload_photo").catch(() => undefined);
    await refusedAsReply(ctx, asker, () => sendImage(ctx, asker, prompt));
  });

  // Any other command: a helpful reply rather than an answer from the model.
  bot.on("message:entities:bot_command", async (ctx, next) => {
    const command = ctx.message.entities.find((entity) => entity.type === "bot_command" && entity.offset === 0);
    if (!command) return next();
    const name = (ctx.message.text ?? "").slice(0, command.length);
    if (!isOurCommand(name, ctx.me.username)) return;
    const t = botTexts(await localeOf(ctx));
    await ctx.reply(t("unknownCommand", { command: name }));
  });

  bot.on("message:text", async (ctx) => {
    const asker = await resolveAsker(ctx);
    if (!asker) return;
    const text = withoutMention(ctx.message.text, ctx.me.username);
    if (!text) return void (await ctx.reply(asker.t("help", { bot: ctx.me.username })));
    await answer(ctx, asker, text);
  });

  bot.on(["message:voice", "message:audio"], async (ctx) => {
    const asker = await resolveAsker(ctx);
    if (!asker) return;
    await refusedAsReply(ctx, asker, async () => {
      await enforceUserRateLimit("upload", asker.userId);
      const file = await ctx.getFile();
      if (!file.file_path || (file.file_size ?? 0) > MAX_AUDIO_BYTES) {
        throw appError("payload_too_large", { key: "errors.audioTooLarge", params: { limitMb: MAX_AUDIO_MB } });
      }
      const response = await fetch(`${config.apiRoot}/file/bot${config.token}/${file.file_path}`);
      if (!response.ok) throw new Error(`downloading a voice message: HTTP ${response.status}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      const { conversationId } = await chatState(asker.chat);
      const transcript = await transcribeAudio({
        userId: asker.userId,
        conversationId,
        audio: { bytes, fileName: file.file_path.split("/").at(-1) },
        language: languageHint(ctx.from?.language_code),
        policy: budgetPolicy(),
        now: new Date(),
        source: CHANNEL,
      });
      const text = transcript.text.trim();
      if (!text) return void (await ctx.reply(asker.t("noWords")));
      await ctx.reply(asker.t("transcript", { text }), {
        reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true },
      });
      await answer(ctx, asker, text);
    });
  });

  bot.on("message", async (ctx) => {
    if (ctx.chat.type !== "private") return;
    const t = botTexts(await localeOf(ctx));
    await ctx.reply(t("unsupported"));
  });

  bot.on("inline_query", async (ctx) => {
    const query = ctx.inlineQuery;
    const question = query.query.trim();
    if (!question) return;
    latestInlineQuery.set(query.from.id, query.id);
    await new Promise((resolve) => setTimeout(resolve, INLINE_SETTLE_MS));
    if (latestInlineQuery.get(query.from.id) !== query.id) return;
    latestInlineQuery.delete(query.from.id);
    const user = await userOf(query.from.id, query.from.first_name, query.from.username);
    const locale = channelLocale({ chosen: user?.locale, hint: query.from.language_code });
    const t = botTexts(locale);
    if (!user) {
      const text = t("inlineNotLinkedText", { bot: ctx.me.username });
      return void (await ctx.answerInlineQuery([article("link", t("inlineNotLinkedTitle"), text)], {
        cache_time: 0,
        is_personal: true,
      }));
    }
    const { reply, writer } = collectingWriter();
    let title: string;
    try {
      const { model } = await answerInChat({
        // The model chosen in the user's private chat with the bot (whose id is theirs); a conversation of its own.
        chat: { channel: CHANNEL, chatId: String(query.from.id), userId: user.userId },
        text: question,
        writer,
        isNewConversation: true,
        maxOutputTokens: INLINE_MAX_OUTPUT_TOKENS,
      });
      title = reply.failure ? t("inlineFailedTitle") : t("inlineAnswerTitle", { model, question });
    } catch (error) {
      reply.failure = refusalText(error, { locale, t }, "telegram");
      title = t("inlineFailedTitle");
    }
    const formatted = splitFormatted(formatReply(collectedText(reply, { locale, t })))[0] ?? {
      text: "…",
      entities: [],
    };
    await ctx.answerInlineQuery([article(query.id, title, formatted.text, messageEntities(formatted.entities))], {
      cache_time: 0,
      is_personal: true,
    });
  });

  bot.catch((error) => logTelegramError("handling an update", error.error));
}

/** The ChatLedger user behind a Telegram user: linked, else a guest when guests have a budget, else null. */
function userOf(telegramId: number, firstName: string, username: string | undefined) {
  return channelUserOf({
    channel: CHANNEL,
    externalId: String(telegramId),
    displayName: username ? `@${username}` : firstName,
  });
}

async function askerOf(ctx: Context, user: { userId: string; locale: string | null }): Promise<Asker> {
  const locale = channelLocale({ chosen: user.locale, hint: ctx.from?.language_code });
  return {
    userId: user.userId,
    locale,
    t: botTexts(locale),
    chat: { channel: CHANNEL, chatId: String(ctx.chat?.id), userId: user.userId },
  };
}

/** Who is asking, or null after telling an unlinked user how to link (nothing is sent upstream for them). */
async function resolveAsker(ctx: Context): Promise<Asker | null> {
  const from = ctx.from;
  if (!from || !ctx.chat) return null;
  const user = await userOf(from.id, from.first_name, from.username);
  if (user) return askerOf(ctx, user);
  const t = botTexts(channelLocale({ hint: from.language_code }));
  await ctx.reply(t("notLinked"));
  return null;
}

async function localeOf(ctx: Context): Promise<Locale> {
  const from = ctx.from;
  const user = from ? await getChannelUser({ channel: CHANNEL, externalId: String(from.id) }) : null;
  return channelLocale({ chosen: user?.locale, hint: from?.language_code });
}

async function linkedEmail(userId: string) {
  return (await getUserProfile({ userId })).email;
}

/** Answers `text` with the model in the chat's conversation, the reply streamed into the chat. */
async function answer(ctx: Context, asker: Asker, text: string) {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return;
  await ctx.replyWithChatAction("typing").catch(() => undefined);
  const writer = telegramReplyWriter({
    api: ctx.api,
    chatId,
    replyTo: ctx.chat?.type === "private" ? undefined : ctx.message?.message_id,
    describeFailure: (errorText) => failureText(errorText, asker.locale),
    emptyReply: asker.t("emptyReply"),
  });
  await refusedAsReply(ctx, asker, async () => {
    try {
      await answerInChat({ chat: asker.chat, text, writer });
    } finally {
      await writer.done();
    }
  });
}

/** Runs `work`; a refusal (over budget, rate limited, bad input…) is told in the chat, anything else logged. */
async function refusedAsReply(ctx: Context, asker: Asker, work: () => Promise<void>) {
  try {
    await work();
  } catch (error) {
    if (isChatGone(error)) throw error;
    await ctx.reply(refusalText(error, asker, "telegram"));
  }
}

async function sendImage(ctx: Context, asker: Asker, prompt: string) {
  await enforceUserRateLimit("chat", asker.userId);
  const { generateImages } = await import("@/lib/images/generate");
  const state = await chatState(asker.chat);
  const conversationId = state.conversationId ?? randomUUID();
  const model = imageModel();
  const { size, quality } = imageOptions(model).defaults;
  const outcome = await generateImages({
    userId: asker.userId,
    conversationId,
    prompt,
    size,
    quality,
    count: 1,
    chatModel: state.model,
    source: CHANNEL,
  });
  if (state.conversationId !== conversationId) await updateChannelChat({ ...asker.chat, conversationId });
  const cost = formatUsd(outcome.settlement.costMicros, { locale: asker.locale });
  const image = outcome.images?.[0];
  if (outcome.status !== "complete" || !image) {
    const reason = outcome.errorText ? formatErrorText(outcome.errorText, asker.locale) : asker.t("broke");
    return void (await ctx.reply(`⚠️ ${reason}`));
  }
  await ctx.replyWithPhoto(new InputFile(image, "image.png"), { caption: asker.t("imageCaption", { model, cost }) });
}

/** Whether a group message is meant for the bot: a command, a mention of it, or a reply to one of its messages. */
function isForBot(message: Message, me: UserFromGetMe): boolean {
  if (message.reply_to_message?.from?.id === me.id) return true;
  const text = message.text ?? message.caption ?? "";
  const entities = message.entities ?? message.caption_entities ?? [];
  return entities.some((entity) => {
    const word = text.slice(entity.offset, entity.offset + entity.length);
    if (entity.type === "bot_command") return entity.offset === 0 && isOurCommand(word, me.username);
    return entity.type === "mention" && word.toLowerCase() === `@${me.username.toLowerCase()}`;
  });
}

/** "/help" or "/help@thisbot", not "/help@anotherbot" (a group may hold several bots). */
function isOurCommand(command: string, username: string): boolean {
  const target = command.split("@")[1];
  return target === undefined || target.toLowerCase() === username.toLowerCase();
}

/** The text without the bot's @mention (how a group addresses it). */
function withoutMention(text: string, username: string): string {
  return text.replace(new RegExp(`@${username}\\b`, "gi"), "").trim();
}

function article(id: string, title: string, text: string, entities: MessageEntity[] = []): InlineQueryResultArticle {
  return {
    type: "article",
    id: id.slice(0, 64),
    title: title.slice(0, 256),
    description: text.slice(0, 200),
    input_message_content: { message_text: text, entities },
  };
}
