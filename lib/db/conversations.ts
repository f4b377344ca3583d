import "server-only";
import { randomUUID } from "node:crypto";
import { cursorBatches } from "./batches";
import { prisma } from "./client";

// Every function takes the signed-in user's id and filters by it: someone else's conversation is simply not found.

export function listConversations({ userId }: { userId: string }) {
  return prisma.conversation.findMany({
    where: { userId },
    orderBy: { updatedAt: "desc" },
    select: { id: true, title: true, model: true, updatedAt: true },
    take: 500,
  });
}

export type ConversationSummary = Awaited<ReturnType<typeof listConversations>>[number];

export function getConversation({ id, userId }: { id: string; userId: string }) {
  return prisma.conversation.findFirst({ where: { id, userId } });
}

export function getConversationWithMessages({ id, userId }: { id: string; userId: string }) {
  return prisma.conversation.findFirst({
    where: { id, userId },
    include: { messages: { orderBy: { createdAt: "asc" }, include: { ledgerEntry: true } } },
  });
}

/** One message of this user's conversation, as the chat shows it (with the ledger entry that paid for it). */
export function getMessage({ id, conversationId, userId }: { id: string; conversationId: string; userId: string }) {
  return prisma.message.findFirst({
    where: { id, conversationId, conversation: { userId } },
    include: { ledgerEntry: true },
  });
}

export type ConversationWithMessages = NonNullable<Awaited<ReturnType<typeof getConversationWithMessages>>>;
export type StoredMessage = ConversationWithMessages["messages"][number];

/** True when renamed; false when there is no such conversation for this user. */
export async function renameConversation({ id, userId, title }: { id: string; userId: string; title: string }) {
  const { count } = await prisma.conversation.updateMany({ where: { id, userId }, data: { title } });
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
      prisma.conversation.findMany({
        where: { userId },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        ...page,
        include: { messages: { orderBy: { createdAt: "asc" }, include: { ledgerEntry: true } } },
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
  const rows = conversations.map(({ messages, ...conversation }) => ({
    conversation: { ...conversation, id: randomUUID(), userId },
    messages,
  }));
  const messages = rows.flatMap(({ conversation, messages }) =>
    messages.map((message) => ({ ...message, conversationId: conversation.id })),
  );
  await prisma.$transaction([
    ...chunks(rows.map((row) => row.conversation)).map((data) => prisma.conversation.createMany({ data })),
    ...chunks(messages).map((data) => prisma.message.createMany({ data })),
  ]);
  return { conversations: rows.length, messages: messages.length };
}

function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += IMPORT_CHUNK)
    result.push(items.slice(start, start + IMPORT_CHUNK));
  return result;
}
