import "server-only";
import {
  APICallError,
  createUIMessageStream,
  createUIMessageStreamResponse,
  type LanguageModelUsage,
  RetryError,
  streamText,
} from "ai";
import { describePrice, type ModelPrice } from "@/lib/billing/prices";
import { settleCall } from "@/lib/billing/settle";
import { finishTurn } from "@/lib/db/messages";
import { configuredSecrets } from "@/lib/env";
import { describeUpstreamError } from "./errors";
import { MAX_OUTPUT_TOKENS } from "./models";
import { chatModel } from "./provider";
import type { ChatMessageMetadata, ChatUIMessage } from "./ui-message";

export type ChatTurn = {
  conversationId: string;
  model: string;
  history: { role: string; content: string }[];
  abortSignal: AbortSignal;
  /** The ledger entry holding this call's reservation, settled when the reply ends. */
  reservationId: string;
  price: ModelPrice | null;
  promptTokensEstimate: number;
};

/** The upstream answered with an error status (so it generated, and billed, nothing). */
function isRefusal(error: unknown): boolean {
  const cause = RetryError.isInstance(error) ? error.lastError : error;
  return APICallError.isInstance(cause) && cause.statusCode !== undefined && cause.statusCode >= 400;
}

function costMetadata({
  settlement,
  price,
}: {
  settlement: ReturnType<typeof settleCall>;
  price: ModelPrice | null;
}): ChatMessageMetadata["cost"] {
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

export function usageFromSdk(usage: LanguageModelUsage | undefined) {
  if (!usage || usage.inputTokens === undefined) return undefined;
  return {
    promptTokens: usage.inputTokens,
    completionTokens: usage.outputTokens,
    cachedTokens: usage.inputTokenDetails.cacheReadTokens,
    reasoningTokens: usage.outputTokenDetails.reasoningTokens,
  };
}

/**
 * Streams the assistant's reply to the browser and stores it. The stored row is written before the final `finish`
 * (or `error`) chunk goes out, so a client that saw the reply end can reload and find it. A stop by the user aborts
 * the upstream call (no more tokens are spent) and keeps what arrived as a "stopped" reply.
 */
export function streamChatTurn({
  conversationId,
  model,
  history,
  abortSignal,
  reservationId,
  price,
  promptTokensEstimate,
}: ChatTurn): Response {
  const languageModel = chatModel(model);
  const messages = history
    .filter((message) => message.role === "user" || message.content.length > 0)
    .map((message) => ({ role: message.role as "user" | "assistant", content: message.content }));

  const stream = createUIMessageStream<ChatUIMessage>({
    execute: async ({ writer }) => {
      const result = streamText({
        model: languageModel,
        messages,
        maxOutputTokens: MAX_OUTPUT_TOKENS,
        maxRetries: 1,
        abortSignal,
        // Errors reach us as stream parts below and are logged there once, redacted; the SDK's default logs the
        // whole request.
        onError: () => {},
      });

      const textId = "text";
      let text = "";
      let usage: LanguageModelUsage | undefined;
      let finishReason: string | undefined;
      let failure: unknown;
      let aborted = false;

      writer.write({ type: "start", messageMetadata: { model } });
      writer.write({ type: "text-start", id: textId });
      try {
        for await (const part of result.fullStream) {
          if (part.type === "text-delta") {
            text += part.text;
            writer.write({ type: "text-delta", id: textId, delta: part.text });
          } else if (part.type === "finish-step") {
            usage = part.usage;
            finishReason = part.finishReason;
          } else if (part.type === "finish") {
            usage = part.totalUsage;
            finishReason = part.finishReason;
          } else if (part.type === "error") {
            failure = part.error;
          } else if (part.type === "abort") {
            aborted = true;
          }
        }
      } catch (error) {
        if (abortSignal.aborted) aborted = true;
        else failure = error;
      }
      writer.write({ type: "text-end", id: textId });

      const status = failure ? "error" : aborted ? "stopped" : "complete";
      const secrets = configuredSecrets();
      const errorText = failure ? describeUpstreamError(failure, { secrets }) : undefined;
      if (failure) console.warn(`[chat] upstream error in conversation ${conversationId}: ${errorText}`);
      const reported = usageFromSdk(usage);
      const settlement = settleCall({
        model,
        price,
        usage:
          reported?.promptTokens !== undefined && reported.completionTokens !== undefined
            ? { ...reported, promptTokens: reported.promptTokens, completionTokens: reported.completionTokens }
            : undefined,
        promptTokensEstimate,
        text,
        wasRefused: failure !== undefined && isRefusal(failure),
      });
      const stored = await finishTurn({
        conversationId,
        content: text,
        status,
        error: errorText,
        model,
        finishReason,
        usage: reported,
        reservationId,
        settlement,
      });

      const metadata: ChatMessageMetadata = {
        id: stored.id,
        model,
        status,
        promptTokens: stored.promptTokens,
        completionTokens: stored.completionTokens,
        cachedTokens: stored.cachedTokens,
        reasoningTokens: stored.reasoningTokens,
        cost: costMetadata({ settlement, price }),
      };
      if (errorText) {
        writer.write({ type: "message-metadata", messageMetadata: metadata });
        writer.write({ type: "error", errorText });
      } else {
        writer.write({ type: "finish", finishReason: finishReason as never, messageMetadata: metadata });
      }
    },
    onError: (error) => describeUpstreamError(error, { secrets: configuredSecrets() }),
  });
  return createUIMessageStreamResponse({ stream });
}
