import "server-only";
import { createUIMessageStream, createUIMessageStreamResponse } from "ai";
import type { ChatMessageMetadata, ChatUIMessage } from "./ui-message";

// The UI message stream that carries one reply to the browser (useChat): its start (the stored id), the text, and the
// final metadata (usage, cost, the meter's new state) or the error shown in the chat.

export type ReplyWriter = {
  text(delta: string): void;
  /** Ends the reply normally, with its final metadata (cost, stored id…). */
  finish(metadata: ChatMessageMetadata, finishReason?: string): void;
  /** Ends the reply with an error shown in the chat, after its metadata. */
  fail(metadata: ChatMessageMetadata, errorText: string): void;
};

/**
 * The browser's side of a reply: a UI message stream response whose body `execute` writes through a ReplyWriter.
 * `describeError` turns anything `execute` throws into the text shown (it must never leak internals or secrets).
 */
export function replyStreamResponse({
  model,
  messageId,
  startMetadata = { model },
  execute,
  describeError,
}: {
  model: string;
  /** The id of the browser's message: the reply's stored id, or the reply a continuation extends. */
  messageId: string;
  /** Known before the first word: the model, the stored ids. */
  startMetadata?: ChatMessageMetadata;
  execute: (writer: ReplyWriter) => Promise<void>;
  describeError: (error: unknown) => string;
}): Response {
  const textId = "text";
  const stream = createUIMessageStream<ChatUIMessage>({
    execute: async ({ writer }) => {
      writer.write({ type: "start", messageId, messageMetadata: startMetadata });
      writer.write({ type: "text-start", id: textId });
      let isOpen = true;
      const close = () => {
        if (isOpen) writer.write({ type: "text-end", id: textId });
        isOpen = false;
      };
      await execute({
        text: (delta) => writer.write({ type: "text-delta", id: textId, delta }),
        finish: (metadata, finishReason) => {
          close();
          writer.write({ type: "finish", finishReason: finishReason as never, messageMetadata: metadata });
        },
        fail: (metadata, errorText) => {
          close();
          writer.write({ type: "message-metadata", messageMetadata: metadata });
          writer.write({ type: "error", errorText });
        },
      });
      close();
    },
    onError: describeError,
  });
  return createUIMessageStreamResponse({ stream });
}
