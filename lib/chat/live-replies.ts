import "server-only";
import type { InferUIMessageChunk } from "ai";
import type { ChatUIMessage } from "./ui-message";

// The replies being written by this server process, so that a browser that reloaded (or came back to the chat) can
// attach to one: what was streamed so far, then the rest as it comes. A reply leaves the registry when its stream
// ends, which is after it was settled and stored; from then on the page reads it from the database. Text deltas are
// merged as they arrive, so a reply's buffer is about the size of its text (at most the output limit). Kept on
// globalThis, like the active turns: one registry per process, whichever route bundle loaded the module.

/** One chunk of a reply's UI message stream. */
export type ReplyChunk = InferUIMessageChunk<ChatUIMessage>;

type LiveReply = {
  userId: string;
  /** The stored message the reply follows (see openLiveReply). */
  parentId: string | null;
  chunks: ReplyChunk[];
  subscribers: Set<ReadableStreamDefaultController<ReplyChunk>>;
};

const holder = globalThis as { __chatledgerLiveReplies?: Map<string, LiveReply> };
holder.__chatledgerLiveReplies ??= new Map();
/** By conversation id: a chat has at most one reply being written that a page attaches to (the latest). */
const replies = holder.__chatledgerLiveReplies;

export type LiveReplyWriter = {
  write(chunk: ReplyChunk): void;
  /** The reply's stream ended: its followers' streams end, and the buffer is dropped. */
  close(): void;
};

/**
 * Registers the reply about to be written in a conversation. `parentId` is the stored message it follows: the user
 * message it answers, or the reply part a continuation extends; a page that attaches shows the branch up to it (a
 * regenerated reply's older version is not shown under the new one).
 */
export function openLiveReply({
  userId,
  conversationId,
  parentId = null,
}: {
  userId: string;
  conversationId: string;
  parentId?: string | null;
}): LiveReplyWriter {
  const reply: LiveReply = { userId, parentId, chunks: [], subscribers: new Set() };
  replies.set(conversationId, reply);
  return {
    write: (chunk) => {
      const last = reply.chunks.at(-1);
      if (chunk.type === "text-delta" && last?.type === "text-delta" && last.id === chunk.id) {
        reply.chunks[reply.chunks.length - 1] = { ...last, delta: last.delta + chunk.delta };
      } else {
        reply.chunks.push(chunk);
      }
      for (const subscriber of reply.subscribers) {
        try {
          subscriber.enqueue(chunk);
        } catch {
          reply.subscribers.delete(subscriber); // Its reader went away between two chunks.
        }
      }
    },
    close: () => {
      for (const subscriber of reply.subscribers) subscriber.close();
      reply.subscribers.clear();
      if (replies.get(conversationId) === reply) replies.delete(conversationId);
    },
  };
}

/** The reply being written in this user's conversation on this server (what it follows), or null. */
export function liveReplyOf({
  userId,
  conversationId,
}: {
  userId: string;
  conversationId: string;
}): { parentId: string | null } | null {
  const reply = replies.get(conversationId);
  return reply?.userId === userId ? { parentId: reply.parentId } : null;
}

/**
 * The reply being written in this user's conversation on this server, from its start: null when there is none (or
 * the conversation is someone else's).
 */
export function followLiveReply({
  userId,
  conversationId,
}: {
  userId: string;
  conversationId: string;
}): ReadableStream<ReplyChunk> | null {
  const reply = replies.get(conversationId);
  if (!reply || reply.userId !== userId) return null;
  let subscriber: ReadableStreamDefaultController<ReplyChunk> | undefined;
  return new ReadableStream<ReplyChunk>({
    start(controller) {
      subscriber = controller;
      for (const chunk of reply.chunks) controller.enqueue(chunk);
      reply.subscribers.add(controller);
    },
    cancel() {
      if (subscriber) reply.subscribers.delete(subscriber);
    },
  });
}
