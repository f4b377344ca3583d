import "server-only";
import { randomUUID } from "node:crypto";
import { appError } from "@/lib/i18n/errors";
import { cursorBatches } from "./batches";
import { activeBranch, type TreeMessage, versionIds } from "./branch";
import { prisma } from "./client";
import { Prisma } from "./generated/client";

// Every function takes the signed-in user's id and filters by it: someone else's conversation is simply not found.

const summarySelect = { id: true, title: true, model: true, updatedAt: true, pinnedAt: true, source: true } as const;

export type ConversationSummary = Prisma.ConversationGetPayload<{ select: typeof summarySelect }>;

/** Where a page of the list ends: the sidebar's order is pinned first, then last activity, newest first, then id. */
type Position = { isPinned: boolean; updatedAt: Date; id: string };

function encodeCursor({ pinnedAt, updatedAt, id }: ConversationSummary): string {
  return Buffer.from(JSON.stringify([pinnedAt ? 1 : 0, updatedAt.getTime(), id])).toString("base64url");
}

/** The latest time a Date can hold (ms since 1970). */
const MAX_TIME_MS = 8.64e15;

function decodeCursor(cursor: string): Position {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  const [pinned, time, id] = Array.isArray(parsed) ? parsed : [];
  const isTime = Number.isSafeInteger(time) && Math.abs(time) <= MAX_TIME_MS;
  if ((pinned !== 0 && pinned !== 1) || !isTime || typeof id !== "string" || !/^[\w-]{1,64}$/.test(id)) {
    throw appError("bad_request", "errors.invalidCursorNext");
  }
  return { isPinned: pinned === 1, updatedAt: new Date(time), id };
}

function after(position: Position | undefined): Prisma.ConversationWhereInput {
  if (!position) return {};
  const { updatedAt, id } = position;
  // The first condition says nothing new, but lets SQLite start reading the index at the cursor instead of the top.
  return { updatedAt: { lte: updatedAt }, OR: [{ updatedAt: { lt: updatedAt } }, { updatedAt, id: { lt: id } }] };
}

/** Newest activity first, then the greater id: the order within each part of the list. */
function newerFirst(a: { updatedAt: Date; id: string }, b: { updatedAt: Date; id: string }): number {
  return b.updatedAt.getTime() - a.updatedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * One page of this user's conversations in the sidebar's order (pinned first, then by last activity) after `cursor`
 * (a previous page's nextCursor), and the cursor of the next page (null after the last). Keyset paging: each page is
 * read through an index however far down it is, and a conversation that moves between two requests is neither
 * skipped nor shown twice within its part.
 */
export async function listConversations({
  userId,
  cursor,
  limit,
}: {
  userId: string;
  cursor?: string;
  limit: number;
}): Promise<{ conversations: ConversationSummary[]; nextCursor: string | null }> {
  const position = cursor === undefined ? undefined : decodeCursor(cursor);
  const found: ConversationSummary[] = [];
  if (position?.isPinned !== false) {
    // A handful, read whole through the (userId, pinnedAt) index and ordered here: asked to order them, SQLite would
    // rather walk all of the user's conversations by date.
    const pinned = await prisma.conversation.findMany({
      where: { userId, pinnedAt: { not: null } },
      select: summarySelect,
    });
    pinned.sort(newerFirst);
    found.push(...(position ? pinned.filter((c) => newerFirst(position, c) < 0) : pinned).slice(0, limit + 1));
  }
  // One more than asked: whether it exists says whether there is a next page.
  if (found.length <= limit) {
    found.push(
      ...(await prisma.conversation.findMany({
        where: { userId, pinnedAt: null, ...(position?.isPinned ? {} : after(position)) },
        orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
        select: summarySelect,
        take: limit + 1 - found.length,
      })),
    );
  }
  const conversations = found.slice(0, limit);
  const last = conversations.at(-1);
  return { conversations, nextCursor: found.length > limit && last ? encodeCursor(last) : null };
}

export function getConversation({ id, userId }: { id: string; userId: string }) {
  return prisma.conversation.findFirst({ where: { id, userId } });
}

/** What a message shows of its files (generated or attached images): never their bytes. */
const messageFilesInclude = {
  files: {
    select: { id: true, mimeType: true, width: true, height: true, origin: true, size: true, sha256: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  },
} as const satisfies Prisma.MessageInclude;

const fileSelect = messageFilesInclude.files.select;

/** Ids per `in (…)` list: SQLite takes at most 999 values per query through Prisma (P2029). */
const IDS_PER_QUERY = 500;

/**
 * Every message of these conversations of this user (oldest first) with the ledger entry that paid for it and its
 * files. The entries and files are read by the messages' ids, a chunk at a time (each an index lookup): Prisma's
 * `include` sends all the ids in one list, which SQLite refuses past 999 values (P2029), so a conversation of a
 * thousand messages, or an export batch of them, could not be read; by the conversation instead (a join on the
 * message), a user with 500,000 ledger entries waited a second.
 */
async function readMessageRows({ conversationIds, userId }: { conversationIds: string[]; userId: string }) {
  if (conversationIds.length === 0) return [];
  const messages = await prisma.message.findMany({
    where: { conversationId: { in: conversationIds }, conversation: { userId } },
    orderBy: { createdAt: "asc" },
  });
  const idChunks = chunks(
    messages.map((message) => message.id),
    IDS_PER_QUERY,
  );
  const [entries, files] = await Promise.all([
    Promise.all(idChunks.map((ids) => prisma.ledgerEntry.findMany({ where: { userId, messageId: { in: ids } } }))).then(
      (lists) => lists.flat(),
    ),
    Promise.all(
      idChunks.map((ids) =>
        prisma.storedFile.findMany({
          where: { userId, messageId: { in: ids } },
          select: { ...fileSelect, messageId: true },
          orderBy: messageFilesInclude.files.orderBy,
        }),
      ),
    ).then((lists) => lists.flat()),
  ]);
  const entryOf = new Map(entries.map((entry) => [entry.messageId, entry]));
  const filesOf = new Map<string, (typeof files)[number][]>();
  for (const file of files) {
    if (!file.messageId) continue;
    const list = filesOf.get(file.messageId);
    if (list) list.push(file);
    else filesOf.set(file.messageId, [file]);
  }
  return messages.map((message) => ({
    ...message,
    ledgerEntry: entryOf.get(message.id) ?? null,
    files: (filesOf.get(message.id) ?? []).map(({ messageId: _, ...file }) => file),
  }));
}

async function readConversationTree({ id, userId }: { id: string; userId: string }) {
  const [conversation, messages] = await Promise.all([
    prisma.conversation.findFirst({ where: { id, userId } }),
    readMessageRows({ conversationIds: [id], userId }),
  ]);
  return conversation ? { ...conversation, messages } : null;
}

type StoredRow = Awaited<ReturnType<typeof readMessageRows>>[number];

/** A message on the active branch, with the ledger entry that paid for it and the ids of its versions (oldest first). */
export type StoredMessage = StoredRow & { versionIds: string[] };

/** The branch ending at `leafId`, each message with its versions. */
function branchOf(messages: StoredRow[], leafId: string | null): StoredMessage[] {
  return activeBranch(messages, leafId).map((message) => ({ ...message, versionIds: versionIds(messages, message) }));
}

/** This user's conversation with its active branch (the messages the chat shows, oldest first). */
export async function getConversationWithMessages({ id, userId }: { id: string; userId: string }) {
  const conversation = await readConversationTree({ id, userId });
  if (!conversation) return null;
  return { ...conversation, messages: branchOf(conversation.messages, conversation.activeLeafId) };
}

/**
 * The branch through one message of this user's conversation, the part of it a reader of that message needs: from the
 * user message before it to the last part of its reply (a reply comes with its continuations). The branch is the
 * active one when the message is on it, else the branch that ends at it. Only those messages are read whole. Null
 * when not found.
 */
export async function getMessageBranch({
  id,
  conversationId,
  userId,
}: {
  id: string;
  conversationId: string;
  userId: string;
}): Promise<StoredMessage[] | null> {
  const conversation = await readConversationShape({ id: conversationId, userId });
  if (!conversation?.messages.some((message) => message.id === id)) return null;
  const { messages: tree } = conversation;
  const active = activeBranch(tree, conversation.activeLeafId);
  const branch = active.some((message) => message.id === id) ? active : activeBranch(tree, id);
  const index = branch.findIndex((message) => message.id === id);
  let start = index;
  while (start > 0 && (branch[start]?.role !== "user" || branch[start]?.isContinuation)) start -= 1;
  let end = index + 1;
  while (branch[end]?.isContinuation) end += 1;
  return readBranchMessages(conversationId, tree, branch.slice(start, end));
}

export type ConversationWithMessages = NonNullable<Awaited<ReturnType<typeof getConversationWithMessages>>>;

/** What building a branch needs of every message: no content, so a long chat's tree is read from the index alone. */
const treeSelect = { id: true, parentId: true, role: true, isContinuation: true, createdAt: true } as const;

/**
 * This user's conversation and its tree (without the messages' content); null when not found. Two plain queries:
 * Prisma's `include` of a 1,000-message tree took 15–30% longer.
 */
async function readConversationShape({ id, userId }: { id: string; userId: string }) {
  const [conversation, messages] = await Promise.all([
    prisma.conversation.findFirst({ where: { id, userId } }),
    // Scoped to the user as well, though read beside the conversation's own check.
    prisma.message.findMany({ where: { conversationId: id, conversation: { userId } }, select: treeSelect }),
  ]);
  return conversation ? { ...conversation, messages } : null;
}

/** These messages of one conversation with their ledger entries and versions, in the order of `branch`. */
async function readBranchMessages(conversationId: string, tree: TreeMessage[], branch: TreeMessage[]) {
  if (branch.length === 0) return [];
  const rows = await prisma.message.findMany({
    where: { conversationId, id: { in: branch.map((message) => message.id) } },
    include: { ledgerEntry: true, ...messageFilesInclude },
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return branch.flatMap((message) => {
    const row = byId.get(message.id);
    // Deleted between the two reads (the conversation was): left out rather than failing the page.
    return row ? [{ ...row, versionIds: versionIds(tree, row) }] : [];
  });
}

/** Messages per page of a conversation: the chat page shows the latest page, and loads older ones on scroll. */
export const MESSAGE_PAGE_SIZE = 50;

/**
 * The chat page's first page stops once it holds this much text (UTF-16 code units), fewer than MESSAGE_PAGE_SIZE
 * messages when they are long: rendering Markdown costs the server about its length, and 12,000 characters of
 * replies are still several screens (about 130 lines of the chat's column), so the reader scrolls before reaching the
 * older messages, which load before they are reached.
 */
export const FIRST_PAGE_TEXT_LENGTH = 12_000;

/**
 * One page of this user's conversation's active branch, oldest first: the `limit` messages before the message `before`
 * (the newest `limit` without it), stretched back so a reply is never split from its continuations (the chat shows
 * them joined). `upTo` cuts the branch after that message first (a page shown while the reply after it is written);
 * `through` stretches the page back to the message before that one (a version just chosen, with the message the chat
 * already holds above it). `maxTextLength` ends the page (going back) at the message whose text reaches it.
 * The tree is read without content, and the content of the page's messages only. Null when there is no such
 * conversation for this user; a `before` that is not on the branch is a bad_request.
 */
export async function getBranchPage({
  id,
  userId,
  before,
  upTo,
  through,
  limit = MESSAGE_PAGE_SIZE,
  maxTextLength = Number.POSITIVE_INFINITY,
}: {
  id: string;
  userId: string;
  before?: string;
  upTo?: string | null;
  through?: string;
  limit?: number;
  maxTextLength?: number;
}) {
  const conversation = await readConversationShape({ id, userId });
  if (!conversation) return null;
  const { messages: tree, ...rest } = conversation;
  let branch = activeBranch(tree, conversation.activeLeafId);
  if (upTo) {
    const index = branch.findIndex((message) => message.id === upTo);
    if (index >= 0) branch = branch.slice(0, index + 1);
  }
  let end = branch.length;
  if (before !== undefined) {
    end = branch.findIndex((message) => message.id === before);
    if (end < 0 || branch[end]?.isContinuation) {
      throw appError("bad_request", "errors.invalidCursorOldest");
    }
  }
  let start = Math.max(0, end - limit);
  const chosen = through === undefined ? -1 : branch.findIndex((message) => message.id === through);
  if (chosen >= 0) start = Math.min(start, Math.max(0, chosen - 1));
  while (start > 0 && branch[start]?.isContinuation) start -= 1;
  const messages = await readBranchMessages(id, tree, branch.slice(start, end));
  const cut = chosen >= 0 ? 0 : textLengthCut(messages, maxTextLength);
  return { ...rest, messages: messages.slice(cut), hasOlder: start + cut > 0 };
}

/** Where a page of `messages` starts so that its text just reaches `maxLength`, never on a continuation. */
function textLengthCut(messages: { content: string; isContinuation: boolean }[], maxLength: number): number {
  let cut = messages.length;
  for (let length = 0; cut > 0 && length < maxLength; ) {
    cut -= 1;
    length += messages[cut]?.content.length ?? 0;
  }
  while (cut > 0 && messages[cut]?.isContinuation) cut -= 1;
  return cut;
}

export type BranchPage = NonNullable<Awaited<ReturnType<typeof getBranchPage>>>;

/**
 * Renames and/or pins (unpins) this user's conversation; null when there is no such conversation for this user.
 * Neither counts as activity: written without Prisma's @updatedAt, so the conversation keeps its place in the list.
 */
export async function updateConversation({
  id,
  userId,
  title,
  isPinned,
  now,
}: {
  id: string;
  userId: string;
  title?: string;
  isPinned?: boolean;
  now: Date;
}): Promise<ConversationSummary | null> {
  const changes: Prisma.Sql[] = [];
  if (title !== undefined) changes.push(Prisma.sql`"title" = ${title}`);
  // Pinning a pinned conversation keeps the moment it was first pinned.
  if (isPinned === true) changes.push(Prisma.sql`"pinnedAt" = COALESCE("pinnedAt", ${now})`);
  if (isPinned === false) changes.push(Prisma.sql`"pinnedAt" = NULL`);
  if (changes.length > 0) {
    await prisma.$executeRaw`UPDATE "Conversation" SET ${Prisma.join(changes, ", ")} WHERE "id" = ${id} AND "userId" = ${userId}`;
  }
  return prisma.conversation.findFirst({ where: { id, userId }, select: summarySelect });
}

/** True when saved; false when there is no such conversation for this user. `settings` is JSON (lib/chat/settings.ts). */
export async function updateConversationSettings({
  id,
  userId,
  model,
  settings,
}: {
  id: string;
  userId: string;
  model: string;
  settings: string;
}) {
  const { count } = await prisma.conversation.updateMany({ where: { id, userId }, data: { model, settings } });
  return count === 1;
}

export async function deleteConversation({ id, userId }: { id: string; userId: string }) {
  const { count } = await prisma.conversation.deleteMany({ where: { id, userId } });
  return count === 1;
}

/** Which of these conversations (each with its owner) still exist: a running reply stops when its chat is deleted. */
export async function listExistingConversationIds(conversations: { id: string; userId: string }[]) {
  if (conversations.length === 0) return [];
  const found = await prisma.conversation.findMany({ where: { OR: conversations }, select: { id: true } });
  return found.map((conversation) => conversation.id);
}

/** This user's conversations with their messages (and what each cost), oldest first, a batch at a time: the archive. */
export function exportConversations({ userId, batchSize = 100 }: { userId: string; batchSize?: number }) {
  return cursorBatches(
    (page) =>
      prisma.conversation
        .findMany({ where: { userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], ...page })
        .then(async (list) => {
          const rows = await readMessageRows({ conversationIds: list.map((conversation) => conversation.id), userId });
          const messagesOf = new Map<string, StoredRow[]>();
          for (const row of rows) {
            const list = messagesOf.get(row.conversationId);
            if (list) list.push(row);
            else messagesOf.set(row.conversationId, [row]);
          }
          // The branch each chat shows, as its own export has it; every version's spend is in the ledger.
          return list.map((conversation) => ({
            ...conversation,
            messages: branchOf(messagesOf.get(conversation.id) ?? [], conversation.activeLeafId),
          }));
        }),
    batchSize,
  );
}

export type ImportedMessage = {
  role: string;
  content: string;
  status: string;
  error?: string | null;
  model?: string | null;
  finishReason?: string | null;
  promptTokens?: number | null;
  completionTokens?: number | null;
  cachedTokens?: number | null;
  reasoningTokens?: number | null;
  createdAt: Date;
};

export type ImportedConversation = {
  title: string;
  model: string;
  createdAt: Date;
  updatedAt: Date;
  messages: ImportedMessage[];
};

/** Rows per INSERT: well under SQLite's 32,766 bound parameters at a dozen columns a message. */
const IMPORT_CHUNK = 500;

/**
 * Stores conversations for this user under new ids, all or nothing (one transaction). Messages keep their text,
 * roles, timestamps and token counts; they get no ledger entry, since spend belongs to the server it was spent on.
 */
export async function importConversations({
  userId,
  conversations,
}: {
  userId: string;
  conversations: ImportedConversation[];
}) {
  // Each conversation becomes one branch: every message's parent is the one before it, the last is the active leaf.
  const rows = conversations.map(({ messages, ...conversation }) => {
    const id = randomUUID();
    let parentId: string | null = null;
    const linked = messages.map((message) => {
      const row = { ...message, id: randomUUID(), parentId, conversationId: id };
      parentId = row.id;
      return row;
    });
    return { conversation: { ...conversation, id, userId, activeLeafId: parentId }, messages: linked };
  });
  const messages = rows.flatMap((row) => row.messages);
  await prisma.$transaction([
    ...chunks(rows.map((row) => row.conversation)).map((data) => prisma.conversation.createMany({ data })),
    ...chunks(messages).map((data) => prisma.message.createMany({ data })),
  ]);
  return { conversations: rows.length, messages: messages.length };
}

function chunks<T>(items: T[], size = IMPORT_CHUNK): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
