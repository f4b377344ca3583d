import "server-only";
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
