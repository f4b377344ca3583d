import "server-only";
import type { StoredMessage } from "@/lib/db/conversations";
import { readFile } from "@/lib/storage/files";
import { formatTokens } from "@/lib/utils";

// A message's images in exports (docs/exports.md, docs/images.md): in JSON their metadata (and, in a single
// conversation's export, their bytes as base64), in Markdown a line per image with its URL. The archive of all a
// user's data carries the metadata only: the bytes are megabytes each, and the per-conversation export has them.

type MessageFiles = Pick<StoredMessage, "files">;

/** The files of a message in JSON; `data` (base64) only when given the bytes. */
export function exportedFiles({ files }: MessageFiles, bytes?: ReadonlyMap<string, string>) {
  return files.map(({ id, mimeType, size, width, height, sha256, origin }) => ({
    id,
    origin,
    mimeType,
    size,
    width,
    height,
    sha256,
    url: fileUrl(id),
    ...(bytes?.has(id) ? { data: bytes.get(id) } : {}),
  }));
}

const fileUrl = (id: string, base = "") => `${base}/api/files/${encodeURIComponent(id)}`;

/** The base64 bytes of every file of these messages (the owner's: `userId`), by file id. */
export async function readFileBytes({ userId, messages }: { userId: string; messages: MessageFiles[] }) {
  const bytes = new Map<string, string>();
  // One at a time: a conversation's images are a few megabytes each, and none needs holding longer than its encoding.
  for (const { files } of messages) {
    for (const { id } of files) {
      const file = await readFile({ userId, id });
      if (file) bytes.set(id, Buffer.from(file.data).toString("base64"));
    }
  }
  return bytes;
}

/** Markdown lines for a message's images: one image line each, its URL absolute when the export knows its origin. */
export function imageLines({ files }: MessageFiles, origin?: string): string[] {
  return files.map((file, index) => `![Image ${index + 1} of ${files.length}](${fileUrl(file.id, origin)})`);
}

/** An image reply's units for its Markdown footnote: "2 images (1024x1024/high) · 12 text tokens · 8,320 image tokens out". */
export function imageFootnoteParts(entry: StoredMessage["ledgerEntry"]): string[] {
  if (!entry || entry.status === "released") return [];
  const parts = [
    `${entry.images} ${entry.images === 1 ? "image" : "images"}${entry.imageVariant ? ` (${entry.imageVariant})` : ""}`,
  ];
  parts.push(`${formatTokens(entry.promptTokens)} text tokens`);
  if (entry.imageInputTokens) parts.push(`${formatTokens(entry.imageInputTokens)} image tokens in`);
  if (entry.imageOutputTokens) parts.push(`${formatTokens(entry.imageOutputTokens)} image tokens out`);
  return parts;
}
