import "server-only";
import { randomUUID } from "node:crypto";
import { type ReplyOutcome, streamReply } from "@/lib/ai/chat-stream";
import { describeUpstreamError } from "@/lib/ai/errors";
import { MAX_OUTPUT_TOKENS } from "@/lib/ai/models";
import { assertKnownModel, chatModel, upstreamTimeouts } from "@/lib/ai/provider";
import { worstCaseCost } from "@/lib/billing/cost";
import { describePrice, type ModelPrice } from "@/lib/billing/prices";
import { type Settlement, settleCall } from "@/lib/billing/settle";
import { countTokensOffThread } from "@/lib/billing/token-pool";
import { chatPromptTokensFromCounts, type Encoding, encodingForModel } from "@/lib/billing/tokens";
import type { ChatMessageMetadata } from "@/lib/chat/ui-message";
import { budgetPolicy, priceFor } from "@/lib/config";
import { settleReservation } from "@/lib/db/ledger";
import { beginTurn, cacheTokenCounts, getTurnContext, storeReply, type TurnMessage } from "@/lib/db/messages";
import { configuredSecrets } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logUnexpected } from "@/lib/http";
import { MAX_MESSAGE_TOKENS, titleFromMessage } from "@/lib/validations";
import { DELETED, registerTurn } from "./active-turns";
import { isSentUpstream } from "./history";
import { getMeterState } from "./meter";
import { replyStreamResponse } from "./reply-stream";

// One chat turn, the use case behind POST /api/chat: count and quote the prompt, admit it against the budgets in one
// short transaction, stream the reply, then settle its money and store it — the money first and on its own, so what a
// reply cost is recorded even when its chat was deleted meanwhile or its message cannot be stored.

export type ChatTurnInput = {
  userId: string;
  conversationId: string;
  model: string;
  /** The new user message; absent to retry the last one. */
  text?: string;
  /** Aborted when the browser goes away or the user presses Stop. */
  signal: AbortSignal;
};

export async function startChatTurn({ userId, conversationId, model, text, signal }: ChatTurnInput): Promise<Response> {
  assertKnownModel(model);
  chatModel(model); // A friendly not_configured error before anything is written when no key is set.
  const now = new Date();
  const price = priceFor(model, now);
  const encoding = encodingForModel(model);

  const context = await getTurnContext({ userId, conversationId, mustExist: text === undefined });
  const history = context.messages.filter(isSentUpstream);
  if (text === undefined && history.at(-1)?.role !== "user") {
    throw new AppError("bad_request", "Nothing to retry: the last message already has a reply.");
  }
  const counts = await countHistory({ history, newText: text, encoding });
  if (counts.newMessage !== null && counts.newMessage > MAX_MESSAGE_TOKENS) {
    throw new AppError(
      "bad_request",
      `This message is ${counts.newMessage.toLocaleString("en-US")} tokens long; messages are limited to ` +
        `${MAX_MESSAGE_TOKENS.toLocaleString("en-US")} tokens.`,
    );
  }
  const promptTokens = chatPromptTokensFromCounts([
    ...history.map((message, i) => ({ role: message.role, contentTokens: counts.history[i] ?? 0 })),
    ...(text === undefined ? [] : [{ role: "user", contentTokens: counts.newMessage ?? 0 }]),
  ]);
  const quote = {
    model,
    price,
    promptTokens,
    maxOutputTokens: MAX_OUTPUT_TOKENS,
    reserveMicros: price ? worstCaseCost({ promptTokens, maxOutputTokens: MAX_OUTPUT_TOKENS }, price) : 0,
  };
  const reservation = await beginTurn({
    userId,
    conversationId,
    message:
      text === undefined ? undefined : { content: text, tokenCount: counts.newMessage ?? 0, tokenEncoding: encoding },
    title: titleFromMessage(text ?? ""),
    quote,
    policy: budgetPolicy(),
    now,
  });

  const messages = [
    ...history.map(({ role, content }) => ({
      role: role === "user" ? ("user" as const) : ("assistant" as const),
      content,
    })),
    ...(text === undefined ? [] : [{ role: "user" as const, content: text }]),
  ];
  const turn = registerTurn({ entryId: reservation.id, userId, conversationId, encoding });
  // The reply's id is chosen now and sent first, so the browser knows which stored message its reply becomes (after
  // Stop, it reads the reply as stored: what the browser last received may be a chunk short of it).
  const replyId = randomUUID();
  return replyStreamResponse({
    model,
    messageId: replyId,
    describeError: (error) => {
      logUnexpected(`chat turn ${conversationId}`, error);
      return "The reply could not be finished because of an error on our side. What it cost is recorded.";
    },
    execute: async (writer) => {
      let outcome: ReplyOutcome;
      try {
        outcome = await streamReply({
          model,
          messages,
          maxOutputTokens: quote.maxOutputTokens,
          signal: AbortSignal.any([signal, turn.signal]),
          timeouts: upstreamTimeouts(),
          onText: (delta) => {
            turn.addStreamed(delta);
            writer.text(delta);
          },
        });
      } finally {
        turn.end();
      }
      const isDeleted = turn.signal.aborted && turn.signal.reason === DELETED;
      const finished = await finishTurn({
        replyId,
        entryId: reservation.id,
        conversationId,
        model,
        price,
        encoding,
        promptTokens,
        outcome,
        isDeleted,
      });
      const metadata: ChatMessageMetadata = {
        id: finished.messageId ?? undefined,
        model,
        status: finished.status,
        promptTokens: outcome.usage?.promptTokens ?? null,
        completionTokens: outcome.usage?.completionTokens ?? null,
        cachedTokens: outcome.usage?.cachedTokens ?? null,
        reasoningTokens: outcome.usage?.reasoningTokens ?? null,
        cost: costMetadata(finished.settlement, price),
        // The meter's new state rides on the reply, so the browser needs no second request; if reading it fails, the
        // browser asks for it instead.
        meter: await getMeterState({ userId, conversationId: finished.messageId ? conversationId : undefined }).catch(
          (error: unknown) => {
            logUnexpected("reading the meter after a reply", error);
            return undefined;
          },
        ),
      };
      if (finished.errorText) writer.fail(metadata, finished.errorText);
      else writer.finish(metadata, outcome.finishReason);
    },
  });
}

/** Token counts of the history (cached per message, the rest counted now and cached) and of the new message. */
async function countHistory({
  history,
  newText,
  encoding,
}: {
  history: TurnMessage[];
  newText: string | undefined;
  encoding: Encoding;
}) {
  const uncached = history.filter((message) => message.tokenCount === null || message.tokenEncoding !== encoding);
  const texts = uncached.map((message) => message.content);
  if (newText !== undefined) texts.push(newText);
  const counted = texts.length > 0 ? await countTokensOffThread({ texts, encoding }) : [];
  const fresh = new Map(uncached.map((message, i) => [message.id, counted[i] ?? 0]));
  void cacheTokenCounts({
    encoding,
    counts: uncached.map((message) => ({ messageId: message.id, tokenCount: fresh.get(message.id) ?? 0 })),
  }).catch((error: unknown) => logUnexpected("caching token counts", error));
  return {
    history: history.map((message) => fresh.get(message.id) ?? message.tokenCount ?? 0),
    newMessage: newText === undefined ? null : (counted.at(-1) ?? 0),
  };
}

function describeEnding(outcome: ReplyOutcome, isDeleted: boolean): string | undefined {
  if (isDeleted) return "This conversation was deleted, so its reply was stopped.";
  if (outcome.ending === "timeout" && outcome.timeout) {
    const { kind, seconds } = outcome.timeout;
    if (kind === "first-token")
      return `The model provider did not answer within ${seconds} s, so the request was stopped. Retry, or try another model.`;
    if (kind === "idle")
      return `The model provider did not send anything within ${seconds} s of its last words, so the reply was cut off.`;
    return `The reply took longer than ${seconds} s, so it was cut off.`;
  }
  if (outcome.ending === "error") {
    return describeUpstreamError(outcome.error, {
      secrets: configuredSecrets(),
      hasPartialReply: outcome.text.length > 0,
    });
  }
  return undefined;
}

/**
 * Settles the call's reservation to its outcome, then stores the reply (unless the chat is gone). Settling comes
 * first and alone: a failure to store never undoes the charge. If even settling fails after its retries, the lease
 * lapses and the sweep charges what was streamed.
 */
async function finishTurn({
  replyId,
  entryId,
  conversationId,
  model,
  price,
  encoding,
  promptTokens,
  outcome,
  isDeleted,
}: {
  replyId: string;
  entryId: string;
  conversationId: string;
  model: string;
  price: ModelPrice | null;
  encoding: Encoding;
  promptTokens: number;
  outcome: ReplyOutcome;
  isDeleted: boolean;
}) {
  const [replyTokens = 0] = outcome.text ? await countTokensOffThread({ texts: [outcome.text], encoding }) : [];
  const settlement = settleCall({
    price,
    usage: outcome.usage,
    promptTokensEstimate: promptTokens,
    completionTokensEstimate: replyTokens,
    wasRefused: outcome.wasRefused,
  });
  await settleReservation({ entryId, settlement });

  const errorText = describeEnding(outcome, isDeleted);
  const status =
    outcome.ending === "complete" ? "complete" : outcome.ending === "stopped" && !isDeleted ? "stopped" : "error";
  if (errorText) console.warn(`[chat] conversation ${conversationId}: ${errorText}`);
  const stored = isDeleted
    ? null
    : await storeReply({
        id: replyId,
        conversationId,
        content: outcome.text,
        status,
        error: errorText,
        model,
        finishReason: outcome.finishReason,
        usage: outcome.usage,
        tokenCount: replyTokens,
        tokenEncoding: encoding,
        entryId,
      });
  return { settlement, status, errorText, messageId: stored?.id ?? null } as const;
}

function costMetadata(settlement: Settlement, price: ModelPrice | null): ChatMessageMetadata["cost"] {
  if (settlement.status === "released") return undefined;
  return {
    micros: settlement.costMicros,
    promptTokens: settlement.promptTokens,
    completionTokens: settlement.completionTokens,
    isEstimated: settlement.isEstimated,
    isUnpriced: price === null,
    price: price ? describePrice(price) : null,
  };
}
