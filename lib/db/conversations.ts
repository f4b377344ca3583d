import "server-only";
import { activeBranch, versionIds } from "./branch";
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

function readConversationTree({ id, userId }: { id: string; userId: string }) {
  return prisma.conversation.findFirst({
    where: { id, userId },
    include: { messages: { orderBy: { createdAt: "asc" }, include: { ledgerEntry: true } } },
  });
}

type StoredRow = NonNullable<Awaited<ReturnType<typeof readConversationTree>>>["messages"][number];

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
 * The branch through one message of this user's conversation, up to it: the active branch when the message is on it
 * (so the reply it belongs to comes with its continuations), else the branch that ends at it. Null when not found.
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
  const conversation = await readConversationTree({ id: conversationId, userId });
  if (!conversation?.messages.some((message) => message.id === id)) return null;
  const active = branchOf(conversation.messages, conversation.activeLeafId);
  return active.some((message) => message.id === id) ? active : branchOf(conversation.messages, id);
}

export type ConversationWithMessages = NonNullable<Awaited<ReturnType<typeof getConversationWithMessages>>>;

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
