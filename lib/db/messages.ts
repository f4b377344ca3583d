import "server-only";
import { randomUUID } from "node:crypto";
import type { BudgetPolicy } from "@/lib/billing/budget";
import type { CallSource } from "@/lib/billing/kinds";
import { AppError } from "@/lib/errors";
import { appError } from "@/lib/i18n/errors";
import { activeBranch, newestLeafUnder } from "./branch";
import { prisma } from "./client";
import type { Prisma } from "./generated/client";
import {
  linkEntryToMessage,
  type Quote,
  reserveSpend,
  SERVER_BUDGET_REFUSAL,
  sweepAbandonedReservations,
  sweepAbandonedReservationsOf,
} from "./ledger";
import { isTransientDbError, withTransientRetry } from "./retry";
import { isUniqueViolation } from "./users";

/** A stored message as a turn needs it: its text, and its token count when it was cached with that encoding. */
export type TurnMessage = {
  id: string;
  role: string;
  content: string;
  tokenCount: number | null;
  tokenEncoding: string | null;
  status: string | null;
  parentId: string | null;
  isContinuation: boolean;
  finishReason: string | null;
  createdAt: Date;
  /** Its stored files (a user message's attached images), oldest first; absent where not read. */
  files?: { id: string; mimeType: string; width: number | null; height: number | null }[];
  /** "image": a reply of generated images (sent upstream as a line naming them, lib/chat/upstream-history.ts). */
  kind?: string;
  /** How many images an image reply holds. */
  imageCount?: number;
};

export type TurnContext = {
  /** False for a chat that this turn's first message will create. */
  exists: boolean;
  /** The conversation's active leaf as read (null: no messages yet). */
  activeLeafId: string | null;
  /** The conversation's active branch, oldest first (without the new message). */
  messages: TurnMessage[];
};

const notFound = () => appError("not_found", "errors.conversationNotFound");

/**
 * Reads a conversation's messages for a turn, outside any transaction (counting them can take a while). Someone
 * else's conversation is a not_found, exactly like a missing one; so is a missing one when `mustExist`.
 */
export async function getTurnContext({
  userId,
  conversationId,
  mustExist,
}: {
  userId: string;
  conversationId: string;
  mustExist: boolean;
}): Promise<TurnContext> {
  // One round trip: the messages are read scoped by the user, so reading them beside the ownership check is safe.
  const [conversation, messages] = await Promise.all([
    prisma.conversation.findUnique({
      where: { id: conversationId },
      select: { userId: true, activeLeafId: true },
    }),
    prisma.message.findMany({
      where: { conversationId, conversation: { userId } },
      select: {
        id: true,
        role: true,
        content: true,
        status: true,
        tokenCount: true,
        tokenEncoding: true,
        parentId: true,
        isContinuation: true,
        finishReason: true,
        createdAt: true,
        files: { select: { id: true, mimeType: true, width: true, height: true }, orderBy: { createdAt: "asc" } },
        kind: true,
      },
    }),
  ]);
  if (conversation && conversation.userId !== userId) throw notFound();
  if (!conversation) {
    if (mustExist) throw notFound();
    return { exists: false, activeLeafId: null, messages: [] };
  }
  return {
    exists: true,
    activeLeafId: conversation.activeLeafId,
    messages: await withImageCounts(activeBranch(messages, conversation.activeLeafId)),
  };
}

/** Image replies with how many images each holds: one more query, only for a branch that has image replies. */
async function withImageCounts(branch: TurnMessage[]): Promise<TurnMessage[]> {
  const ids = branch.filter((message) => message.kind === "image").map((message) => message.id);
  if (ids.length === 0) return branch;
  const counts = await prisma.storedFile.groupBy({
    by: ["messageId"],
    where: { messageId: { in: ids } },
    _count: true,
  });
  const byId = new Map(counts.map((row) => [row.messageId, row._count]));
  return branch.map((message) =>
    message.kind === "image" ? { ...message, imageCount: byId.get(message.id) ?? 0 } : message,
  );
}

/**
 * Makes the branch through one of this conversation's messages the active one (a version chosen with ‹ ›): the
 * conversation's leaf becomes the newest message under it. False when this user has no such message there.
 */
export async function selectVersion({
  userId,
  conversationId,
  messageId,
}: {
  userId: string;
  conversationId: string;
  messageId: string;
}): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const messages = await tx.message.findMany({
      where: { conversationId, conversation: { userId } },
      select: { id: true, parentId: true, role: true, isContinuation: true, createdAt: true },
    });
    if (!messages.some((message) => message.id === messageId)) return false;
    const { count } = await tx.conversation.updateMany({
      where: { id: conversationId, userId },
      data: { activeLeafId: newestLeafUnder(messages, messageId) },
    });
    return count === 1;
  });
}

/** Caches token counts of stored messages that had none for this encoding (rows stored before counts were kept). */
export async function cacheTokenCounts({
  encoding,
  counts,
}: {
  encoding: string;
  counts: { messageId: string; tokenCount: number }[];
}) {
  if (counts.length === 0) return;
  await prisma.$transaction(
    counts.map(({ messageId, tokenCount }) =>
      prisma.message.updateMany({ where: { id: messageId }, data: { tokenCount, tokenEncoding: encoding } }),
    ),
  );
}

/**
 * Where a turn's messages go in the conversation's tree. Without it: after the active leaf (a new message), or, with
 * no new message, a retry of the last one. `edit`: the new user message is a version of an earlier one (the same
 * parent). `regenerate`: the reply is a version of an earlier reply (a child of that reply's parent). `continue`: the
 * reply continues the message `parentId`.
 */
export type TurnPlacement =
  | { kind: "edit"; parentId: string | null }
  | { kind: "regenerate" | "continue"; parentId: string };

export type BeginTurnInput = {
  userId: string;
  conversationId: string;
  /** The new user message and its token count; absent when retrying the last one or for a new reply. */
  message?: { content: string; tokenCount: number; tokenEncoding: string };
  /**
   * Runs in the admission transaction once the new user message is stored (its id given), before the reservation:
   * attaching its images (lib/chat/attachments.ts). Throwing rolls the whole turn back.
   */
  onMessageStored?: (tx: Prisma.TransactionClient, messageId: string) => Promise<void>;
  placement?: TurnPlacement;
  /** Title for a conversation this turn creates. */
  title: string;
  /** Where the turn was asked for: a conversation this turn creates is held there, its entry records it. */
  source?: CallSource;
  /**
   * The conversation's chat model when the call is of another kind (an image): a chat this turn creates gets it, and
   * an existing chat keeps its own. Absent: the quote's model is the chat's.
   */
  conversationModel?: string;
  /** The conversation's parameters as JSON, stored with each turn like its model; absent: left as they are. */
  settings?: string;
  quote: Quote;
  policy: BudgetPolicy;
  now: Date;
  /**
   * The conversation as the turn read it just before (getTurnContext): a new message is placed after that leaf
   * without reading it again, or starts the chat it did not find. Should either have changed meanwhile, admission
   * runs again the long way.
   */
  asRead?: Pick<TurnContext, "exists" | "activeLeafId">;
};

/** How long admission may wait for a connection before answering 503 (nothing spent). */
const ADMISSION_WAIT_MS = 10_000;

/**
 * Opens a chat turn in one short transaction, everything counted beforehand: updates this user's conversation (or
 * creates it on its first message), drops the failed replies a retry replaces (those that cost nothing), stores the
 * user's message, and reserves the quote's worst case against the budgets (or refuses, rolling everything back).
 * Nothing in it waits on anything but the database, and it is a handful of statements. A database too busy to admit
 * the request in time is an `unavailable` (503 with Retry-After) before anything is spent or sent.
 */
export async function beginTurn({
  userId,
  conversationId,
  message,
  onMessageStored,
  placement,
  title,
  source,
  conversationModel,
  settings,
  quote,
  policy,
  now,
  asRead,
}: BeginTurnInput) {
  const admit = (guess?: BeginTurnInput["asRead"]) =>
    prisma.$transaction(
      async (tx) => {
        const turn = {
          userId,
          conversationId,
          message,
          placement,
          title,
          source,
          conversationModel,
          settings,
          quote,
          now,
        };
        const replyParentId =
          guess && message && !placement
            ? await placeAsRead(tx, { ...turn, message, asRead: guess })
            : await placeUnderLock(tx, turn);
        if (message && replyParentId && onMessageStored) await onMessageStored(tx, replyParentId);
        const reservation = await reserveSpend(tx, { userId, conversationId, quote, policy, now, source });
        return { ...reservation, replyParentId };
      },
      { maxWait: ADMISSION_WAIT_MS, timeout: ADMISSION_WAIT_MS + 5_000 },
    );
  // Two first messages of one new chat at once: the other request created it, and this one joins it. A second clash
  // means the id is someone else's: not found, exactly like a missing conversation.
  const join = () => admit().catch((error: unknown) => Promise.reject(isUniqueViolation(error) ? notFound() : error));
  try {
    return await admitOnceMore(() => admit(asRead), {
      // The conversation changed since it was read: place the message the long way.
      onMoved: () => admit().catch((error: unknown) => (isUniqueViolation(error) ? join() : Promise.reject(error))),
      onUniqueViolation: join,
      // Refused for lack of room: reservations of a server that died may hold it. Settle those, and try once more.
      onBudgetRefusal: async (refusal) => {
        const swept =
          refusal.text?.key === SERVER_BUDGET_REFUSAL
            ? await sweepAbandonedReservations(now)
            : await sweepAbandonedReservationsOf(userId, now);
        if (swept === 0) throw refusal;
        return admit();
      },
    });
  } catch (error) {
    if (isTransientDbError(error)) {
      throw appError("unavailable", "errors.busyNothingSent");
    }
    throw error;
  }
}

/** The conversation is not as the turn read it (its leaf moved, or it was deleted): admission runs the long way. */
class ConversationMoved extends Error {}

type PlaceInput = Pick<
  BeginTurnInput,
  | "userId"
  | "conversationId"
  | "message"
  | "placement"
  | "title"
  | "source"
  | "conversationModel"
  | "settings"
  | "quote"
  | "now"
>;

/**
 * A new message placed after the leaf the turn read, in two statements: the message, then the conversation moved to
 * it only if its leaf is still the one read (on PostgreSQL that update then holds the row to the end, and a
 * concurrent turn's update waits for it, finds the leaf moved and runs the long way). A chat that did not exist is
 * created already pointing at its first message (the leaf is a plain column); the creation fails on the id's
 * uniqueness when the conversation is someone else's or was created a moment ago (see beginTurn).
 */
async function placeAsRead(
  tx: Prisma.TransactionClient,
  {
    asRead,
    message,
    ...turn
  }: PlaceInput & {
    message: NonNullable<BeginTurnInput["message"]>;
    asRead: NonNullable<BeginTurnInput["asRead"]>;
  },
): Promise<string> {
  const { userId, conversationId, quote, settings, now } = turn;
  const id = randomUUID();
  if (!asRead.exists) {
    await tx.conversation.create({
      data: {
        id: conversationId,
        userId,
        title: turn.title,
        source: turn.source,
        model: turn.conversationModel ?? quote.model,
        settings,
        activeLeafId: id,
      },
    });
  }
  const parentId = asRead.exists ? asRead.activeLeafId : null;
  await tx.message.create({
    data: { id, conversationId, parentId, role: "user", ...message, createdAt: now },
    select: { id: true },
  });
  if (asRead.exists) {
    const { count } = await tx.conversation.updateMany({
      where: { id: conversationId, userId, activeLeafId: asRead.activeLeafId },
      data: { model: chatModel(quote), settings, updatedAt: now, activeLeafId: id },
    });
    if (count === 0) throw new ConversationMoved();
  }
  return id;
}

/** The model a turn leaves as the chat's: the quote's for a chat call, none (the chat's stays) for another kind. */
const chatModel = (quote: Quote) => (quote.media ? undefined : quote.model);

/** Places the turn's messages with the conversation's row locked first, reading its leaf under the lock. */
async function placeUnderLock(tx: Prisma.TransactionClient, turn: PlaceInput): Promise<string | null> {
  const { userId, conversationId, message, placement, quote, settings, now } = turn;
  // On PostgreSQL this update holds the conversation's row until the end: turns of one chat place their messages one
  // after the other, each reading the leaf the previous one left.
  const { count } = await tx.conversation.updateMany({
    where: { id: conversationId, userId },
    data: { model: chatModel(quote), settings, updatedAt: now },
  });
  if (count > 0) return placeTurn(tx, { conversationId, message, placement, now });
  if (!message || placement) throw notFound();
  return placeAsRead(tx, { ...turn, message, asRead: { exists: false, activeLeafId: null } });
}

async function admitOnceMore<T>(
  admit: () => Promise<T>,
  {
    onMoved,
    onUniqueViolation,
    onBudgetRefusal,
  }: {
    onMoved: () => Promise<T>;
    onUniqueViolation: () => Promise<T>;
    onBudgetRefusal: (refusal: AppError) => Promise<T>;
  },
): Promise<T> {
  try {
    return await admit();
  } catch (error) {
    // P2003, a foreign key: the message's conversation was deleted since it was read.
    if (error instanceof ConversationMoved || errorCode(error) === "P2003") return onMoved();
    if (isUniqueViolation(error)) return onUniqueViolation();
    if (error instanceof AppError && error.code === "budget_exceeded") return onBudgetRefusal(error);
    throw error;
  }
}

/**
 * Stores the turn's user message where it goes (moving the active leaf to it) and returns the parent of the reply to
 * come. The parent named by a placement must be a message of this conversation (checked again here, inside the
 * transaction).
 */
async function placeTurn(
  tx: Prisma.TransactionClient,
  { conversationId, message, placement, now }: Pick<BeginTurnInput, "conversationId" | "message" | "placement" | "now">,
): Promise<string | null> {
  if (placement?.parentId) {
    const parent = await tx.message.findFirst({
      where: { id: placement.parentId, conversationId },
      select: { id: true },
    });
    if (!parent) throw appError("not_found", "errors.messageNotFound");
  }
  if (placement?.kind === "regenerate" || placement?.kind === "continue") return placement.parentId;
  if (!message) return dropUnchargedFailures(tx, conversationId);
  const parentId =
    placement?.kind === "edit"
      ? placement.parentId
      : ((await tx.conversation.findUnique({ where: { id: conversationId }, select: { activeLeafId: true } }))
          ?.activeLeafId ?? null);
  const stored = await tx.message.create({
    data: { conversationId, parentId, role: "user", ...message, createdAt: now },
    select: { id: true },
  });
  await tx.conversation.update({ where: { id: conversationId }, data: { activeLeafId: stored.id } });
  return stored.id;
}

/**
 * A retry replaces the failed replies at the end of the active branch that cost nothing (refused by the provider: no
 * text, the entry released), and answers the message before them. A failed reply that was charged (cut after part of
 * the reply, timed out) stays in the chat with its text and its cost, so every charge stays beside the reply it paid
 * for; it never goes upstream (history.ts), and the retried reply follows it on the branch.
 */
async function dropUnchargedFailures(tx: Prisma.TransactionClient, conversationId: string): Promise<string | null> {
  const conversation = await tx.conversation.findUnique({
    where: { id: conversationId },
    select: { activeLeafId: true },
  });
  let leafId = conversation?.activeLeafId ?? null;
  for (;;) {
    if (!leafId) break;
    const leaf = await tx.message.findFirst({
      where: {
        id: leafId,
        conversationId,
        role: "assistant",
        status: "error",
        content: "",
        OR: [{ ledgerEntry: { is: null } }, { ledgerEntry: { is: { status: "released" } } }],
      },
      select: { id: true, parentId: true },
    });
    if (!leaf) break;
    await tx.message.delete({ where: { id: leaf.id } });
    leafId = leaf.parentId;
  }
  if (leafId !== (conversation?.activeLeafId ?? null)) {
    await tx.conversation.update({ where: { id: conversationId }, data: { activeLeafId: leafId } });
  }
  return leafId;
}

export type ReplyInput = {
  /** Chosen when the turn began, so storing is idempotent: a retried store finds its own row. */
  id: string;
  conversationId: string;
  /** The message it answers (or continues); it becomes the conversation's active leaf. */
  parentId?: string | null;
  isContinuation?: boolean;
  content: string;
  status: "complete" | "stopped" | "error";
  error?: string;
  model: string;
  finishReason?: string;
  /** The upstream's reported usage; absent when it reported none. */
  usage?: { promptTokens?: number; completionTokens?: number; cachedTokens?: number; reasoningTokens?: number };
  tokenCount: number | null;
  tokenEncoding: string;
  /** The ledger entry that paid for it (already settled), linked to the stored row. */
  entryId: string;
};

/**
 * Stores the assistant's reply and links it to its (already settled) ledger entry. Returns null when the conversation
 * no longer exists (deleted while it answered): the reply has nowhere to go, and the money was settled regardless.
 * Idempotent and retried on transient errors.
 */
export async function storeReply({ usage, entryId, ...reply }: ReplyInput) {
  // The first attempt inserts at once; only a repeated one (its predecessor may have committed, or a concurrent store
  // of the same reply won the insert) looks for its row first.
  const store = (isRepeat: boolean) =>
    prisma.$transaction(async (tx) => {
      const stored =
        (isRepeat ? await tx.message.findUnique({ where: { id: reply.id }, select: { id: true } }) : null) ??
        (await tx.message.create({ data: { role: "assistant", ...reply, ...usage }, select: { id: true } }));
      // The newest reply is the one shown: after a regenerate, the new version.
      await tx.conversation.update({
        where: { id: reply.conversationId },
        data: { updatedAt: new Date(), activeLeafId: stored.id },
      });
      await linkEntryToMessage(tx, { entryId, messageId: stored.id });
      return stored;
    });
  let isRepeat = false;
  return withTransientRetry(async () => {
    try {
      try {
        return await store(isRepeat);
      } catch (error) {
        isRepeat = true;
        if (isUniqueViolation(error)) return await store(true);
        throw error;
      }
    } catch (error) {
      // The conversation was deleted: the message's foreign key (P2003) or the update (P2025) finds nothing.
      if (isMissingParent(error)) return null;
      throw error;
    }
  });
}

const errorCode = (error: unknown) =>
  typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;

function isMissingParent(error: unknown): boolean {
  const code = errorCode(error);
  return code === "P2003" || code === "P2025";
}
