import "server-only";
import { prisma } from "@/lib/db/client";
import { FILE_ID } from "./files";

// Uploads waiting in the composer: stored at once (so sending only names them), part of no message until a turn links
// them (attachFiles). One never sent is deleted after UPLOAD_TTL_MS, on its owner's next upload, or when the user
// removes it from the composer.

/** How long an upload may wait for its message: a day. */
export const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

/** Deletes this user's uploads that no message took within UPLOAD_TTL_MS of `now`; how many went. */
export async function deleteStaleUploads({ userId, now = new Date() }: { userId: string; now?: Date }) {
  const { count } = await prisma.storedFile.deleteMany({
    where: { userId, origin: "upload", messageId: null, createdAt: { lt: new Date(now.getTime() - UPLOAD_TTL_MS) } },
  });
  return count;
}

/** Deletes one of the user's uploads that no message took yet (removed from the composer); false if there is none. */
export async function deleteUnattachedUpload({ userId, id }: { userId: string; id: string }) {
  if (!FILE_ID.test(id)) return false;
  const { count } = await prisma.storedFile.deleteMany({ where: { id, userId, origin: "upload", messageId: null } });
  return count === 1;
}

/** The user's uploads among `ids` that no message took yet, in the order asked (metadata only). */
export async function listUnattachedUploads({ userId, ids }: { userId: string; ids: string[] }) {
  const valid = ids.filter((id) => FILE_ID.test(id));
  if (valid.length === 0) return [];
  const found = await prisma.storedFile.findMany({
    where: { userId, id: { in: valid }, origin: "upload", messageId: null },
    select: { id: true, mimeType: true, width: true, height: true, size: true },
  });
  const byId = new Map(found.map((file) => [file.id, file]));
  return valid.flatMap((id) => byId.get(id) ?? []);
}

/** The bytes of the user's files among `ids`, by id (for sending them upstream). */
export async function readFileData({ userId, ids }: { userId: string; ids: string[] }) {
  const valid = ids.filter((id) => FILE_ID.test(id));
  if (valid.length === 0) return new Map<string, { mimeType: string; data: Uint8Array }>();
  const rows = await prisma.storedFile.findMany({
    where: { userId, id: { in: valid } },
    select: { id: true, mimeType: true, data: true },
  });
  return new Map(rows.map((row) => [row.id, { mimeType: row.mimeType, data: row.data }]));
}
