import "server-only";
import { type Api, GrammyError } from "grammy";
import type { MessageEntity } from "grammy/types";
import type { ReplyWriter } from "@/lib/chat/reply-stream";
import { logUnexpected } from "@/lib/http";
import {
  type FormattedText,
  markdownToTelegram,
  splitFormatted,
  TELEGRAM_TEXT_LIMIT,
  type TelegramEntity,
} from "./format";

// A reply written into a Telegram chat as it streams: the first words are sent as a message at once, then the message
// is edited as the answer grows, at most once per EDIT_INTERVAL_MS (Telegram allows about one edit a second per chat
// before it answers 429); past 4,096 characters the reply goes on in a new message. Once complete, every part is
// edited a last time into its formatted form (Markdown as Telegram entities: nothing to escape, so no text can fail
// to send). A chat that blocked the bot, or was deleted, ends the writing; the reply is still settled and stored.

export const EDIT_INTERVAL_MS = 1_000;
/** How many times a refused (429) send is tried again, after the wait Telegram asks for. */
const RETRIES = 3;
const MAX_RETRY_WAIT_MS = 10_000;

type SentPart = { messageId: number; shown: string };

export type TelegramReplyTarget = {
  api: Api;
  chatId: number;
  /** The message the reply answers (quoted in groups, so the asker sees it is theirs). */
  replyTo?: number;
  /** The sentence shown for a failure (an encoded ErrorText, lib/errors.ts), in the chat's language. */
  describeFailure: (errorText: string) => string;
  /** The text of a reply with no words. */
  emptyReply: string;
};

/** A ReplyWriter into a Telegram chat; `done` resolves once the last edit has been sent (or given up). */
export function telegramReplyWriter(target: TelegramReplyTarget): ReplyWriter & { done: () => Promise<void> } {
  const { api, chatId } = target;
  const parts: SentPart[] = [];
  let text = "";
  let lastEditAt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let isEnded = false;
  let isGone = false;
  // Sends run one after another, in order.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<void>) => {
    queue = queue.then(work).catch((error: unknown) => {
      if (isChatGone(error)) isGone = true;
      else logTelegramError("writing a reply", error);
    });
    return queue;
  };

  /** Shows `formatted` split into parts, editing the parts already sent and sending the rest. */
  const show = async (pieces: FormattedText[]) => {
    for (const [index, piece] of pieces.entries()) {
      if (isGone) return;
      const sent = parts[index];
      const key = `${piece.text}\u0000${JSON.stringify(piece.entities)}`;
      if (sent?.shown === key) continue;
      const options = piece.entities.length > 0 ? { entities: messageEntities(piece.entities) } : {};
      if (sent) {
        await withRetry(() => api.editMessageText(chatId, sent.messageId, piece.text, options)).catch(
          (error: unknown) => {
            if (!isNotModified(error)) throw error;
          },
        );
        sent.shown = key;
      } else {
        const message = await withRetry(() =>
          api.sendMessage(chatId, piece.text, {
            ...options,
            link_preview_options: { is_disabled: true },
            ...(index === 0 && target.replyTo
              ? { reply_parameters: { message_id: target.replyTo, allow_sending_without_reply: true } }
              : {}),
          }),
        );
        parts.push({ messageId: message.message_id, shown: key });
      }
    }
  };

  const showStreaming = () => {
    timer = null;
    if (isEnded || !text.trim()) return;
    lastEditAt = Date.now();
    const pieces = splitFormatted({ text, entities: [] });
    // While streaming only the parts that changed are edited: earlier parts are complete.
    void enqueue(() => show(pieces));
  };

  const end = (failure?: string) => {
    if (isEnded) return;
    isEnded = true;
    if (timer) clearTimeout(timer);
    const formatted = text.trim() ? formatReply(text) : { text: failure ? "" : target.emptyReply, entities: [] };
    const pieces = formatted.text ? splitFormatted(formatted, TELEGRAM_TEXT_LIMIT) : [];
    void enqueue(async () => {
      await show(pieces);
      // Formatting can make a reply shorter than it streamed (Markdown syntax removed): parts left over go.
      for (const extra of parts.splice(pieces.length)) {
        await api.deleteMessage(chatId, extra.messageId).catch(() => undefined);
      }
      if (failure && !isGone) await withRetry(() => api.sendMessage(chatId, `⚠️ ${failure}`));
    });
  };

  return {
    text(delta) {
      if (isEnded) return;
      text += delta;
      if (timer) return;
      const wait = Math.max(0, lastEditAt + EDIT_INTERVAL_MS - Date.now());
      timer = setTimeout(showStreaming, parts.length === 0 ? 0 : wait);
    },
    finish() {
      end();
    },
    fail(_metadata, errorText) {
      end(target.describeFailure(errorText));
    },
    done: async () => {
      await queue;
    },
  };
}

/**
 * Longer replies than a model writes (its output limit is thousands of tokens) are sent as they are: the Markdown
 * parser's time grows steeply on pathological nesting ("[[[[…", "- - - …"), and a reply must not hold the server.
 */
const MAX_FORMATTED_CHARS = 24_000;

/** A complete reply as Telegram shows it: Markdown as entities. */
export function formatReply(markdown: string): FormattedText {
  return markdown.length > MAX_FORMATTED_CHARS ? { text: markdown, entities: [] } : markdownToTelegram(markdown);
}

/** The formatter's entities as the Bot API types them (each kind with the fields it needs). */
export function messageEntities(entities: TelegramEntity[]): MessageEntity[] {
  return entities.map(({ type, offset, length, url, language }): MessageEntity => {
    if (type === "text_link") return { type, offset, length, url: url ?? "" };
    if (type === "pre") return language ? { type, offset, length, language } : { type, offset, length };
    return { type, offset, length };
  });
}

/** Telegram's 429 asks to wait `retry_after` seconds; the call is tried again after it, a few times. */
async function withRetry<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const wait = error instanceof GrammyError ? error.parameters.retry_after : undefined;
      if (wait === undefined || attempt >= RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait * 1_000, MAX_RETRY_WAIT_MS)));
    }
  }
}

const isNotModified = (error: unknown) =>
  error instanceof GrammyError && error.error_code === 400 && error.description.includes("message is not modified");

/** The chat cannot be written to (the user blocked the bot, the chat was deleted, the bot was removed from it). */
export function isChatGone(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    (error.error_code === 403 || (error.error_code === 400 && /chat not found/i.test(error.description)))
  );
}

/** Logs a failed Bot API call without its URL (which holds the bot's token). */
export function logTelegramError(context: string, error: unknown) {
  if (error instanceof GrammyError) {
    console.warn(`[telegram] ${context}: ${error.method} failed: ${error.error_code} ${error.description}`);
  } else {
    logUnexpected(`telegram: ${context}`, error);
  }
}
