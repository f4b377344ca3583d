import "server-only";
import { createUIMessageStream, createUIMessageStreamResponse } from "ai";
import { getConversation, getMessageBranch } from "@/lib/db/conversations";
import { getEntryOutcome, getLatestEntry, requestStop } from "@/lib/db/ledger";
import { encodeErrorText } from "@/lib/errors";
import { appError } from "@/lib/i18n/errors";
import { abortTurnsOf, STOPPED } from "./active-turns";
import { followLiveReply, liveReplyOf, type ReplyChunk } from "./live-replies";
import { REPLY_STREAM_HEADERS } from "./reply-stream";
import { uiMessageHolding } from "./stored-messages";
import { type ChatUIMessage, messageText } from "./ui-message";

// A reply outlives the page that asked for it: the server writes it to the end even when the browser goes away, and
// only Stop (or deleting the chat) stops it. These are the use cases behind Stop and behind a page attaching to a
// reply that is still being written (after a reload, or coming back to the chat).

/** How often a page waiting for a reply written by another server looks whether it was stored (ms). */
const STORED_REPLY_POLL_MS = 1_000;
/** After its call ended, how long a reply may take to be stored before the page stops waiting for it (ms). */
const STORE_GRACE_MS = 10_000;
/** SSE comments while waiting, so that proxies keep the connection open. */
const KEEP_ALIVE_MS = 15_000;
/**
 * A reply stored this recently is sent whole to a page that asks for it: the page was rendered while it was being
 * written, and asked after it was stored (ms).
 */
const JUST_STORED_MS = 60_000;

/**
 * Stop: ends this user's running reply in the conversation, at once when it runs in this process, otherwise at the
 * next heartbeat of the server running it. The reply is then settled and stored as stopped, charged what was streamed.
 * Another user's conversation, or one that does not exist, is not_found.
 */
export async function stopChatTurn({ userId, conversationId }: { userId: string; conversationId: string }) {
  if (!(await getConversation({ id: conversationId, userId }))) {
    throw appError("not_found", "errors.conversationNotFound");
  }
  abortTurnsOf(conversationId, STOPPED);
  return { stopped: await requestStop({ userId, conversationId }) };
}

/**
 * The reply being written in this user's conversation, here or on another server (the page then resumes it), or null.
 * Its `parentId`, the stored message it follows, is known only for a reply written here.
 */
export async function replyInProgress({
  userId,
  conversationId,
}: {
  userId: string;
  conversationId: string;
}): Promise<{ parentId: string | null } | null> {
  const live = liveReplyOf({ userId, conversationId });
  if (live) return live;
  const latest = await getLatestEntry({ userId, conversationId });
  const isOpen = latest?.status === "reserved" && (latest.leaseExpiresAt?.getTime() ?? 0) > Date.now();
  return isOpen ? { parentId: null } : null;
}

/**
 * The reply being written in this user's conversation, as a UI message stream from its start (what useChat's resume
 * reads), or null when none is (the answer is then 204). Written here: what was streamed so far, then the rest as it
 * comes. Written by another server: nothing until it is stored, then the stored reply. Stored a moment ago: the reply.
 * Another user's conversation, or one that does not exist, is not_found.
 */
export async function resumeChatTurn({
  userId,
  conversationId,
  signal,
}: {
  userId: string;
  conversationId: string;
  /** The page went away: stop waiting. */
  signal: AbortSignal;
}): Promise<Response | null> {
  const live = followLiveReply({ userId, conversationId });
  if (live) return createUIMessageStreamResponse({ stream: live, headers: REPLY_STREAM_HEADERS });
  if (!(await getConversation({ id: conversationId, userId }))) {
    throw appError("not_found", "errors.conversationNotFound");
  }
  const latest = await getLatestEntry({ userId, conversationId });
  if (!latest) return null;
  const now = Date.now();
  const isOpen = latest.status === "reserved" && (latest.leaseExpiresAt?.getTime() ?? 0) > now;
  const isJustStored = latest.messageId !== null && (latest.settledAt?.getTime() ?? 0) > now - JUST_STORED_MS;
  if (!isOpen && !isJustStored) return null;
  const stream = createUIMessageStream<ChatUIMessage>({
    execute: async ({ writer }) => {
      const message = await waitForStoredReply({ userId, conversationId, entryId: latest.id, signal });
      if (message) for (const chunk of storedReplyChunks(message)) writer.write(chunk);
    },
    onError: () => "The reply could not be read. Reload the page to see it.",
  });
  return createUIMessageStreamResponse({ stream, keepAliveMs: KEEP_ALIVE_MS, headers: REPLY_STREAM_HEADERS });
}

async function waitForStoredReply({
  userId,
  conversationId,
  entryId,
  signal,
}: {
  userId: string;
  conversationId: string;
  entryId: string;
  signal: AbortSignal;
}) {
  let endedAt: number | null = null;
  while (!signal.aborted) {
    const entry = await getEntryOutcome({ userId, entryId });
    if (!entry) return null;
    if (entry.messageId) {
      const branch = await getMessageBranch({ id: entry.messageId, conversationId, userId });
      return branch ? (uiMessageHolding(branch, entry.messageId) ?? null) : null;
    }
    // An open reservation ends however its server fares: settled by the call, or by the sweep if the server died.
    if (entry.status !== "reserved") {
      endedAt ??= Date.now();
      if (Date.now() - endedAt > STORE_GRACE_MS) return null;
    }
    await new Promise((resolve) => setTimeout(resolve, STORED_REPLY_POLL_MS));
  }
  return null;
}

/** A stored reply as the chunks that would have streamed it. */
function storedReplyChunks(message: ChatUIMessage): ReplyChunk[] {
  const text = messageText(message);
  const metadata = message.metadata;
  const body: ReplyChunk[] = [
    { type: "start", messageId: message.id, messageMetadata: metadata },
    { type: "text-start", id: "text" },
    ...(text ? [{ type: "text-delta" as const, id: "text", delta: text }] : []),
    { type: "text-end", id: "text" },
  ];
  if (metadata?.status === "error") {
    return [
      ...body,
      { type: "error", errorText: metadata.error ?? encodeErrorText({ key: "errors.replyFailedUnknown" }) },
    ];
  }
  return [...body, { type: "finish", messageMetadata: metadata }];
}
