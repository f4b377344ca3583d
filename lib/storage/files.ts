import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { prisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { getEnv } from "@/lib/env";
import { appError } from "@/lib/i18n/errors";

// The one place files are kept: images a model generated and images a user attached. Callers see files by id and
// metadata; where the bytes live is this module's business. Today that is the database (StoredFile.data), which works
// on SQLite, PostgreSQL and serverless hosts alike with nothing else to run. Object storage later means a `storageKey`
// column and a second backend here, not a change in any caller. Every read and write is scoped by the owner's id: a
// file of another user does not exist.

type Tx = Prisma.TransactionClient;

export type FileOrigin = "generated" | "upload";

export type FileInfo = {
  id: string;
  conversationId: string | null;
  messageId: string | null;
  origin: string;
  mimeType: string;
  /** bytes */
  size: number;
  /** hex SHA-256 of the bytes */
  sha256: string;
  width: number | null;
  height: number | null;
  createdAt: Date;
};

const infoSelect = {
  id: true,
  conversationId: true,
  messageId: true,
  origin: true,
  mimeType: true,
  size: true,
  sha256: true,
  width: true,
  height: true,
  createdAt: true,
} satisfies Prisma.StoredFileSelect;

const MB = 1024 * 1024;

/** The storage limits in bytes: one file, and one user's files together. */
export function storageLimits() {
  const env = getEnv();
  return { maxFileBytes: env.STORAGE_MAX_FILE_MB * MB, userQuotaBytes: env.STORAGE_USER_QUOTA_MB * MB };
}

/** A file id: 144 random bits, URL-safe; unguessable, though ownership, not secrecy, is what guards a file. */
export const newFileId = () => randomBytes(18).toString("base64url");

/** What a file id can look like; anything else is simply not found. */
export const FILE_ID = /^[A-Za-z0-9_-]{24}$/;

export type NewFile = {
  userId: string;
  origin: FileOrigin;
  mimeType: string;
  data: Uint8Array;
  conversationId?: string | null;
  messageId?: string | null;
  width?: number;
  height?: number;
};

/**
 * Refuses a file over the per-file limit or one that would take its owner past their quota (payload_too_large),
 * before anything is written. The quota is read, not locked: uploads running at the same moment may pass it by at
 * most their own size.
 */
export async function assertRoom({ userId, size }: { userId: string; size: number }, db: Tx = prisma) {
  const { maxFileBytes, userQuotaBytes } = storageLimits();
  if (size > maxFileBytes) {
    throw appError("payload_too_large", { key: "errors.fileTooLarge", params: { limitMb: maxFileBytes / MB } });
  }
  const used = await storageUsed(userId, db);
  if (used + size > userQuotaBytes) {
    throw appError("payload_too_large", {
      key: "errors.storageQuotaExceeded",
      params: { quotaMb: userQuotaBytes / MB, usedMb: Math.ceil(used / MB) },
    });
  }
}

/** Stores one file (in the caller's transaction when given one) after checking its room; returns its metadata. */
export async function saveFile(file: NewFile, db: Tx = prisma): Promise<FileInfo> {
  const data = Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength);
  await assertRoom({ userId: file.userId, size: data.byteLength }, db);
  return db.storedFile.create({
    data: {
      id: newFileId(),
      userId: file.userId,
      conversationId: file.conversationId ?? null,
      messageId: file.messageId ?? null,
      origin: file.origin,
      mimeType: file.mimeType,
      size: data.byteLength,
      sha256: createHash("sha256").update(data).digest("hex"),
      width: file.width ?? null,
      height: file.height ?? null,
      data: new Uint8Array(data),
    },
    select: infoSelect,
  });
}

/** One of the user's files with its bytes; null when it is not theirs or does not exist. */
export async function readFile({ userId, id }: { userId: string; id: string }) {
  if (!FILE_ID.test(id)) return null;
  return prisma.storedFile.findFirst({ where: { id, userId }, select: { ...infoSelect, data: true } });
}

/** The user's files among `ids`, metadata only. */
export async function listFiles({ userId, ids }: { userId: string; ids: string[] }): Promise<FileInfo[]> {
  const valid = ids.filter((id) => FILE_ID.test(id));
  if (valid.length === 0) return [];
  return prisma.storedFile.findMany({ where: { userId, id: { in: valid } }, select: infoSelect });
}

/**
 * Links the user's own files that belong to no message yet to a message of a conversation (an upload becomes part
 * of the message it was attached to), inside the caller's transaction. Returns how many were linked; fewer than asked
 * means some were not theirs, or were already used.
 */
export async function attachFiles(
  tx: Tx,
  {
    userId,
    ids,
    conversationId,
    messageId,
  }: { userId: string; ids: string[]; conversationId: string; messageId: string },
): Promise<number> {
  if (ids.length === 0) return 0;
  const { count } = await tx.storedFile.updateMany({
    where: { userId, id: { in: ids }, messageId: null },
    data: { conversationId, messageId },
  });
  return count;
}

/** Deletes some of the user's files (a failed request's, an upload they removed); how many went. */
export async function deleteFiles({ userId, ids }: { userId: string; ids: string[] }, db: Tx = prisma) {
  if (ids.length === 0) return 0;
  const { count } = await db.storedFile.deleteMany({ where: { userId, id: { in: ids } } });
  return count;
}

/** Bytes the user keeps in files (read in the caller's transaction when given one). */
export async function storageUsed(userId: string, db: Tx = prisma): Promise<number> {
  return (await db.storedFile.aggregate({ where: { userId }, _sum: { size: true } }))._sum.size ?? 0;
}
