import "server-only";
import { availableModels } from "@/lib/ai/provider";
import { formatUsd } from "@/lib/billing/money";
import type { ReplyWriter } from "@/lib/chat/reply-stream";
import { budgetPolicy } from "@/lib/config";
import { getBudgetStatus, getConversationSpend } from "@/lib/db/ledger";
import { AppError, decodeErrorText } from "@/lib/errors";
import { logUnexpected } from "@/lib/http";
import { formatErrorText, localizedMessage } from "@/lib/i18n/errors";
import type { Locale } from "@/lib/i18n/locales";
import { type ChannelChatRef, chatState, chooseModel } from "./conversations";
import type { BotTexts } from "./texts";

// What every bot answers the same way, in the reader's language: the stats, the model command, a refusal, a failed
// reply, and a reply kept whole for channels that send it at once.

/** Who is asking in a channel chat: the user it acts as, their language and the chat. */
export type Asker = { userId: string; locale: Locale; t: BotTexts; chat: ChannelChatRef };

/** The web meter's figures in a message: this conversation's spend, the month against the budget. */
export async function statsText(asker: Asker): Promise<string> {
  const { conversationId } = await chatState(asker.chat);
  const [budget, chat] = await Promise.all([
    getBudgetStatus({ userId: asker.userId, policy: budgetPolicy() }),
    conversationId ? getConversationSpend({ userId: asker.userId, conversationId }) : null,
  ]);
  const money = (micros: number) => formatUsd(micros, { locale: asker.locale });
  const left = budget.limitMicros === null ? 0 : budget.limitMicros - budget.spentMicros - budget.reservedMicros;
  const lines = asker.t("stats", {
    chatCalls: chat?.calls ?? 0,
    chatTokens: (chat?.promptTokens ?? 0) + (chat?.completionTokens ?? 0),
    chatCost: money(chat?.costMicros ?? 0),
    monthCost: money(budget.spentMicros),
    reserved: budget.reservedMicros > 0 ? money(budget.reservedMicros) : "none",
    limit: budget.limitMicros === null ? "unlimited" : money(budget.limitMicros),
    left: money(Math.max(0, left)),
    resetDate: budget.resetsOn,
  });
  return chat?.hasEstimated ? `${lines}\n${asker.t("estimated")}` : lines;
}

/** The model command: without a name, the chat's model and the list; with one, chooses it (or says it is unknown). */
export async function modelText(asker: Asker, wanted: string): Promise<string> {
  if (!wanted) {
    const [{ model }, models] = await Promise.all([chatState(asker.chat), availableModels()]);
    return asker.t("modelList", { model, models: models.join(", ") });
  }
  const choice = await chooseModel(asker.chat, wanted);
  return choice.isChosen
    ? asker.t("modelSet", { model: wanted })
    : asker.t("modelUnknown", { model: wanted, models: choice.models.join(", ") });
}

/** A refusal (over budget, rate limited, bad input…) in the reader's language; anything else is logged. */
export function refusalText(error: unknown, asker: Pick<Asker, "locale" | "t">, scope: string): string {
  if (error instanceof AppError) return localizedMessage(error, asker.locale);
  logUnexpected(scope, error);
  return asker.t("broke");
}

/** A stored failure (an encoded ErrorText) in the reader's language. */
export function failureText(errorText: string, locale: Locale): string {
  const text = decodeErrorText(errorText);
  return text ? formatErrorText(text, locale) : errorText;
}

/** A ReplyWriter that keeps the reply, for a channel that sends it whole once it is written. */
export function collectingWriter() {
  const reply = { text: "", failure: null as string | null };
  const writer: ReplyWriter = {
    text: (delta) => {
      reply.text += delta;
    },
    finish: () => undefined,
    fail: (_metadata, errorText) => {
      reply.failure = errorText;
    },
  };
  return { reply, writer };
}

/** A collected reply as the reader sees it: the text, then the failure (if it failed), or the empty-reply notice. */
export function collectedText(reply: { text: string; failure: string | null }, asker: Pick<Asker, "locale" | "t">) {
  const body = reply.failure ? `${reply.text}\n\n⚠️ ${failureText(reply.failure, asker.locale)}` : reply.text;
  return body.trim() || asker.t("emptyReply");
}
