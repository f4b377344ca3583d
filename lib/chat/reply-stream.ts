import "server-only";
import { createUIMessageStream, createUIMessageStreamResponse } from "ai";
import { keepAliveUntil } from "@/lib/keep-alive";
import { openLiveReply, type ReplyChunk } from "./live-replies";
import type { ChatMessageMetadata, ChatUIMessage } from "./ui-message";

// The UI message stream that carries one reply to the browser (useChat): its start (the stored id), the text, and the
// final metadata (usage, cost, the meter's new state) or the error shown in the chat. Every chunk also goes to the
// live-replies registry, so a page that reloads meanwhile attaches to the reply (GET /api/chat/[id]/stream); the reply
// is written to the end whether or not anybody reads it, and on a serverless host the function serving it lives until
// the reply is settled and stored (lib/keep-alive.ts).

export type ReplyWriter = {
  text(delta: string): void;
  /** Ends the reply normally, with its final metadata (cost, stored id…). */
  finish(metadata: ChatMessageMetadata, finishReason?: string): void;
  /** Ends the reply with an error shown in the chat, after its metadata. */
  fail(metadata: ChatMessageMetadata, errorText: string): void;
};

/**
 * The browser's side of a reply: a UI message stream response whose body `execute` writes through a ReplyWriter.
 * `describeError` turns anything `execute` throws into the failure shown (it must never leak internals or secrets):
 * a stored failure (lib/errors.ts encodeErrorText), which the browser shows in its language.
 */
export function replyStreamResponse({
  userId,
  conversationId,
  parentId = null,
  model,
  messageId,
  startMetadata = { model },
  execute,
  describeError,
}: {
  userId: string;
  conversationId: string;
  /** The stored message the reply follows (lib/chat/live-replies.ts). */
  parentId?: string | null;
  model: string;
  /** The id of the browser's message: the reply's stored id, or the reply a continuation extends. */
  messageId: string;
  /** Known before the first word: the model, the stored ids. */
  startMetadata?: ChatMessageMetadata;
  execute: (writer: ReplyWriter) => Promise<void>;
  describeError: (error: unknown) => string;
}): Response {
  let markWritten = () => {};
  const written = new Promise<void>((resolve) => {
    markWritten = resolve;
  });
  keepAliveUntil(written);
  const stream = createUIMessageStream<ChatUIMessage>({
    execute: async ({ writer: browser }) => {
      const live = openLiveReply({ userId, conversationId, parentId });
      const write = (chunk: ReplyChunk) => {
        browser.write(chunk);
        live.write(chunk);
      };
      try {
        await writeReply({ messageId, startMetadata, write, execute });
      } catch (error) {
        write({ type: "error", errorText: describeError(error) });
      } finally {
        live.close();
        markWritten();
      }
    },
    onError: describeError,
  });
  return createUIMessageStreamResponse({ stream, headers: REPLY_STREAM_HEADERS });
}

/**
 * A reply's event stream goes out uncompressed (`no-transform` keeps Next's gzip, and proxies', off it): gzip would
 * have to flush after every frame to keep the stream live, and under many chats at once that costs the server more
 * than the whole stream's parsing (docs/performance.md). A frame's JSON is small: a reply loses little by it.
 */
export const REPLY_STREAM_HEADERS = { "cache-control": "no-cache, no-transform" };

/**
 * How often a reply's text goes to the browser while it streams (ms). The first words go at once; after them, the
 * deltas that arrive within a frame go as one event: upstreams send a token per chunk, and an event per token costs
 * the server its encoding, compression and flush, and the browser a render, for no visible gain.
 */
export const TEXT_FRAME_MS = 30;

async function writeReply({
  messageId,
  startMetadata,
  write,
  execute,
}: {
  messageId: string;
  startMetadata: ChatMessageMetadata;
  write: (chunk: ReplyChunk) => void;
  execute: (writer: ReplyWriter) => Promise<void>;
}) {
  const textId = "text";
  write({ type: "start", messageId, messageMetadata: startMetadata });
  write({ type: "text-start", id: textId });
  let pending = "";
  let frame: ReturnType<typeof setTimeout> | null = null;
  let hasSentText = false;
  const flush = () => {
    if (frame) clearTimeout(frame);
    frame = null;
    if (!pending) return;
    write({ type: "text-delta", id: textId, delta: pending });
    pending = "";
    hasSentText = true;
  };
  let isOpen = true;
  const close = () => {
    flush();
    if (isOpen) write({ type: "text-end", id: textId });
    isOpen = false;
  };
  try {
    await execute({
      text: (delta) => {
        pending += delta;
        if (!hasSentText) flush();
        else frame ??= setTimeout(flush, TEXT_FRAME_MS);
      },
      finish: (metadata, finishReason) => {
        close();
        write({ type: "finish", finishReason: finishReason as never, messageMetadata: metadata });
      },
      fail: (metadata, errorText) => {
        close();
        write({ type: "message-metadata", messageMetadata: metadata });
        write({ type: "error", errorText });
      },
    });
  } finally {
    // Also when execute throws: the text so far goes out before the error.
    close();
  }
}
