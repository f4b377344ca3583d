import "server-only";
import { type NewFile, saveFile } from "@/lib/storage/files";
import { prisma } from "./client";
import { linkEntryToMessage } from "./ledger";
import { withTransientRetry } from "./retry";

export type ImageReplyInput = {
  userId: string;
  conversationId: string;
  /** The user message holding the prompt: it becomes the reply's parent, the reply the conversation's leaf. */
  parentId: string | null;
  /** The revised prompt when the upstream gave one, else the prompt: the images' caption and alt text. */
  content: string;
  status: "complete" | "error";
  /** An encoded ErrorText (lib/errors.ts) for a failed reply. */
  error?: string;
  model: string;
  /** The ledger entry that paid for it (already settled or released), linked to the stored row. */
  entryId: string;
  /** The generated images, stored with the reply; none for a failed one. */
  files: Omit<NewFile, "userId" | "conversationId" | "messageId" | "origin">[];
};

/**
 * Stores an image reply, its images and the link to its ledger entry in one transaction: a file over the quota or
 * the size limit (payload_too_large) rolls all of it back, so a reply is never half-stored. Returns the message id,
 * or null when the conversation was deleted meanwhile (its money was settled regardless).
 */
export async function storeImageReply({ userId, conversationId, parentId, files, entryId, ...reply }: ImageReplyInput) {
  try {
    return await withTransientRetry(() =>
      prisma.$transaction(
        async (tx) => {
          const owned = await tx.conversation.updateMany({
            where: { id: conversationId, userId },
            data: { updatedAt: new Date() },
          });
          if (owned.count === 0) return null;
          const message = await tx.message.create({
            data: { conversationId, parentId, role: "assistant", kind: "image", ...reply },
            select: { id: true },
          });
          for (const file of files) {
            await saveFile({ ...file, userId, conversationId, messageId: message.id, origin: "generated" }, tx);
          }
          await tx.conversation.update({ where: { id: conversationId }, data: { activeLeafId: message.id } });
          await linkEntryToMessage(tx, { entryId, messageId: message.id });
          return message.id;
        },
        // A few megabytes of images to write: more than the default 5 s on a busy SQLite.
        { timeout: 30_000, maxWait: 10_000 },
      ),
    );
  } catch (error) {
    // The conversation was deleted between the check and the insert (the message's foreign key).
    if ((error as { code?: unknown }).code === "P2003") return null;
    throw error;
  }
}
