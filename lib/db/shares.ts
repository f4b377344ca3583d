import "server-only";
import { randomBytes } from "node:crypto";
import { activeBranch } from "./branch";
import { prisma } from "./client";
import { isUniqueViolation } from "./users";

// Public read-only links to conversations. Owner-side functions take the owner's id and find nothing for anyone
// else's conversation; the public side knows only the link's id.

/** 24 random bytes (192 bits): base64url without padding, 32 characters, as shareIdSchema expects. */
const SHARE_ID_BYTES = 24;

const shareSelect = { id: true, createdAt: true } as const;

export type ShareLink = { id: string; createdAt: Date };

/** undefined: no such conversation for this user; null: it is not shared. */
export async function getShare({
  conversationId,
  userId,
}: {
  conversationId: string;
  userId: string;
}): Promise<ShareLink | null | undefined> {
  const conversation = await prisma.conversation.findFirst({
    where: { id: conversationId, userId },
    select: { share: { select: shareSelect } },
  });
  return conversation ? conversation.share : undefined;
}

/** The conversation's link, made now or earlier (one per conversation); null when there is no such conversation. */
export async function createShare({
  conversationId,
  userId,
}: {
  conversationId: string;
  userId: string;
}): Promise<{ share: ShareLink; isNew: boolean } | null> {
  const existing = await getShare({ conversationId, userId });
  if (existing === undefined) return null;
  if (existing) return { share: existing, isNew: false };
  try {
    const share = await prisma.share.create({
      data: { id: randomBytes(SHARE_ID_BYTES).toString("base64url"), conversationId, userId },
      select: shareSelect,
    });
    return { share, isNew: true };
  } catch (error) {
    // Another request shared it a moment ago: that link is the link.
    if (isUniqueViolation(error)) {
      const share = await getShare({ conversationId, userId });
      return share ? { share, isNew: false } : null;
    }
    // The conversation was deleted in between (its foreign key finds nothing).
    if (isForeignKeyViolation(error)) return null;
    throw error;
  }
}

/** Revokes the link (nothing to do when there is none); false when there is no such conversation for this user. */
export async function deleteShare({ conversationId, userId }: { conversationId: string; userId: string }) {
  const conversation = await prisma.conversation.findFirst({
    where: { id: conversationId, userId },
    select: { id: true },
  });
  if (!conversation) return false;
  await prisma.share.deleteMany({ where: { conversationId, userId } });
  return true;
}

/**
 * What a share link shows: the title and the messages' text, nothing else (no ids, costs, models or owner). null for
 * an unknown or revoked link, a deleted conversation, or a disabled owner: all look the same.
 */
export async function getSharedConversation({ shareId }: { shareId: string }) {
  const share = await prisma.share.findFirst({
    where: { id: shareId, conversation: { user: { disabledAt: null } } },
    select: {
      conversation: {
        select: {
          title: true,
          activeLeafId: true,
          messages: {
            orderBy: { createdAt: "asc" },
            select: {
              id: true,
              parentId: true,
              isContinuation: true,
              createdAt: true,
              role: true,
              content: true,
              kind: true,
              _count: { select: { files: true } },
            },
          },
        },
      },
    },
  });
  if (!share) return null;
  const { title, activeLeafId, messages } = share.conversation;
  // The branch the owner sees, a continued reply as one message.
  // An image reply's images are not shared (their route serves their owner only): the page says how many there were.
  const shown: { role: string; content: string; images?: number }[] = [];
  for (const message of activeBranch(messages, activeLeafId)) {
    const previous = shown.at(-1);
    if (message.isContinuation && previous) previous.content += message.content;
    else if (message.kind === "image")
      shown.push({ role: message.role, content: message.content, images: message._count.files });
    else shown.push({ role: message.role, content: message.content });
  }
  return { title, messages: shown.filter((message) => message.content !== "") };
}

export type SharedConversation = NonNullable<Awaited<ReturnType<typeof getSharedConversation>>>;

function isForeignKeyViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2003";
}
