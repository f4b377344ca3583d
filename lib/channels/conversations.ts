import "server-only";
import { randomInt, randomUUID } from "node:crypto";
import { hashInviteToken, newInviteToken } from "@/lib/accounts/invites";
import { availableModels, defaultModel } from "@/lib/ai/provider";
import type { ReplyWriter } from "@/lib/chat/reply-stream";
import { settingsForModel } from "@/lib/chat/settings";
import { parseStoredSettings } from "@/lib/chat/settings-schema";
import { openChatTurn } from "@/lib/chat/turn";
import { channelGuestBudgetMicros } from "@/lib/config";
import {
  type Channel,
  type ChannelUser,
  createChannelLinkToken,
  getChannelChat,
  getChannelUser,
  getOrCreateGuestUser,
  redeemChannelLinkToken,
  updateChannelChat,
} from "@/lib/db/channels";
import { getConversation } from "@/lib/db/conversations";
import { enforceUserRateLimit } from "@/lib/rate-limit";

// The channel layer shared by the messaging bots (Telegram, the WeChat official account, WeCom): a channel chat continues one of the
// user's conversations (a new one after /new), with the model chosen there, through the same chat turns as the web —
// the same admission, reservation, settlement and ledger, with the channel as the source.

/**
 * The ChatLedger user behind a channel account: the linked user, else a guest when the operator gives the channel's
 * guests a budget, else null (the caller tells them how to link; nothing is sent upstream for them).
 */
export async function channelUserOf({
  channel,
  externalId,
  displayName,
}: {
  channel: Channel;
  externalId: string;
  displayName: string | null;
}): Promise<ChannelUser | null> {
  const user = await getChannelUser({ channel, externalId });
  if (user && !user.isGuest) return user;
  const guestBudget = channelGuestBudgetMicros(channel);
  if (guestBudget <= 0) return null;
  const userId = await getOrCreateGuestUser({ channel, externalId, displayName, budgetMicros: guestBudget });
  return userId ? { userId, isGuest: true, locale: null } : null;
}

/** A chat of one channel account (a private chat, or one user's messages in a group). */
export type ChannelChatRef = { channel: Channel; chatId: string; userId: string };

/** The conversation a chat's next message continues, and its model (as chosen in the chat, else the default). */
export async function chatState(chat: ChannelChatRef) {
  const row = await getChannelChat(chat);
  const conversation = row?.conversationId
    ? await getConversation({ id: row.conversationId, userId: chat.userId })
    : null;
  return {
    conversationId: conversation?.id ?? null,
    model: row?.model ?? conversation?.model ?? defaultModel(),
    settings: parseStoredSettings(conversation?.settings),
  };
}

/** Ends the chat's conversation: the next message starts a new one (the old one stays in the history). */
export function startNewConversation(chat: ChannelChatRef) {
  return updateChannelChat({ ...chat, conversationId: null });
}

/** The models a chat may choose from, and whether `model` is one of them. */
export async function chooseModel(chat: ChannelChatRef, model: string) {
  const models = await availableModels();
  if (!models.includes(model)) return { isChosen: false, models } as const;
  await updateChannelChat({ ...chat, model });
  return { isChosen: true, models } as const;
}

/**
 * Answers `text` in the chat's conversation (starting one if it has none): admitted against the budgets (throws an
 * AppError, nothing spent, when refused or rate limited), then the reply is written through `writer` as it streams,
 * settled and stored. Returns once the reply is stored.
 */
export async function answerInChat({
  chat,
  text,
  writer,
  isNewConversation = false,
  maxOutputTokens,
}: {
  chat: ChannelChatRef;
  text: string;
  writer: ReplyWriter;
  /** A conversation of its own (an inline question), leaving the chat's as it is. */
  isNewConversation?: boolean;
  /** A lower output limit than the conversation's (an inline answer is bounded). */
  maxOutputTokens?: number;
}): Promise<{ conversationId: string; model: string }> {
  await enforceUserRateLimit("chat", chat.userId);
  const state = await chatState(chat);
  const conversationId = (isNewConversation ? null : state.conversationId) ?? randomUUID();
  const model = state.model;
  const settings = settingsForModel({
    settings: isNewConversation ? {} : state.settings,
    model,
  });
  if (maxOutputTokens !== undefined) {
    settings.maxOutputTokens = Math.min(settings.maxOutputTokens ?? maxOutputTokens, maxOutputTokens);
  }
  const turn = await openChatTurn({
    userId: chat.userId,
    conversationId,
    model,
    settings,
    request: { kind: "send", text },
    source: chat.channel,
  });
  if (!isNewConversation && state.conversationId !== conversationId) {
    await updateChannelChat({ ...chat, conversationId });
  }
  try {
    await turn.execute(writer);
  } catch (error) {
    writer.fail({ model }, turn.describeError(error));
  }
  return { conversationId, model };
}

/**
 * A code typed into a chat (WeChat has no deep links): 10 characters of Crockford's base32, 50 random bits — with 10
 * minutes to live, single use and the sign-in limit on attempts, out of reach of guessing — shown as "ABCD-EFGH-JK".
 */
const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LENGTH = 10;

function newLinkCode(): string {
  const chars = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** A typed code as it was made: upper case, without spaces or dashes, the letters read as digits mapped back. */
export function normalizeLinkCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
}

/** Whether the channel's users type their link code (WeChat) rather than open a link with it (Telegram). */
function isTypedCode(channel: Channel) {
  return channel !== "telegram";
}

/**
 * A new one-time token for the user to link their account on the channel, and when it expires: a link's token for
 * Telegram (t.me/<bot>?start=<token>), a short code to type for WeChat.
 */
export async function createLinkToken({ channel, userId }: { channel: Channel; userId: string }) {
  const { token, tokenHash } = isTypedCode(channel)
    ? (() => {
        const code = newLinkCode();
        return { token: code, tokenHash: hashInviteToken(normalizeLinkCode(code)) };
      })()
    : newInviteToken();
  const { expiresAt } = await createChannelLinkToken({ channel, userId, tokenHash });
  return { token, expiresAt };
}

/** Links the channel account with a token from createLinkToken; null when the token is unknown, used or expired. */
export function redeemLinkToken({
  channel,
  token,
  externalId,
  displayName,
}: {
  channel: Channel;
  token: string;
  externalId: string;
  displayName: string | null;
}) {
  const tokenHash = hashInviteToken(isTypedCode(channel) ? normalizeLinkCode(token) : token);
  return redeemChannelLinkToken({ channel, tokenHash, externalId, displayName });
}
