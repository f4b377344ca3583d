import "server-only";
import { createUIMessageStream, createUIMessageStreamResponse, type LanguageModelUsage, streamText } from "ai";
import { createAssistantMessage } from "@/lib/db/messages";
import { describeUpstreamError } from "./errors";
import { MAX_OUTPUT_TOKENS } from "./models";
import { chatModel } from "./provider";
import type { ChatMessageMetadata, ChatUIMessage } from "./ui-message";

export type ChatTurn = {
  conversationId: string;
  model: string;
  history: { role: string; content: string }[];
  abortSignal: AbortSignal;
};

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
export function streamChatTurn({ conversationId, model, history, abortSignal }: ChatTurn): Response {
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
      const errorText = failure ? describeUpstreamError(failure) : undefined;
      if (failure) console.warn(`[chat] upstream error in conversation ${conversationId}: ${errorText}`);
      const stored = await createAssistantMessage({
        conversationId,
        content: text,
        status,
        error: errorText,
        model,
        finishReason,
        usage: usageFromSdk(usage),
      });

      const metadata: ChatMessageMetadata = {
        id: stored.id,
        model,
        status,
        promptTokens: stored.promptTokens,
        completionTokens: stored.completionTokens,
        cachedTokens: stored.cachedTokens,
        reasoningTokens: stored.reasoningTokens,
      };
      if (errorText) {
        writer.write({ type: "message-metadata", messageMetadata: metadata });
        writer.write({ type: "error", errorText });
      } else {
        writer.write({ type: "finish", finishReason: finishReason as never, messageMetadata: metadata });
      }
    },
    onError: (error) => describeUpstreamError(error),
  });
  return createUIMessageStreamResponse({ stream });
}
