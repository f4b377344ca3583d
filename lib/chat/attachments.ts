import "server-only";
import { fileTypeFromBuffer } from "file-type";
import sharp, { type Metadata } from "sharp";
import { imagesInputTokens, MAX_IMAGE_SIDE } from "@/lib/billing/image-tokens";
import type { Prisma } from "@/lib/db/generated/client";
import { readMultipartFile } from "@/lib/http-multipart";
import { appError } from "@/lib/i18n/errors";
import { attachFiles, saveFile, storageLimits } from "@/lib/storage/files";
import { deleteStaleUploads, listUnattachedUploads, readFileData } from "@/lib/storage/uploads";
import { ATTACHMENT_TYPES, MAX_ATTACHMENTS } from "./attachment-rules";
import { isVisionModel } from "./vision-models";

// Images attached to a user message for a vision model (docs/vision.md): uploaded first (POST /api/files), linked to
// the message when its turn is admitted, sent upstream as data URLs, their tokens reserved by OpenAI's rules and
// settled from the upstream's usage like the rest of the prompt.

export type ImageInfo = { mimeType: (typeof ATTACHMENT_TYPES)[number]; width: number; height: number };

/**
 * What an uploaded file is, by its bytes: a PNG, JPEG, WebP or still GIF that decodes, at most MAX_IMAGE_SIDE px a
 * side. Anything else is a bad_request (a renamed file included: its name and declared type are never trusted).
 */
export async function inspectImage(data: Uint8Array): Promise<ImageInfo> {
  if (data.byteLength === 0) throw appError("bad_request", "errors.attachmentEmpty");
  const type = await fileTypeFromBuffer(data);
  const mimeType = ATTACHMENT_TYPES.find((allowed) => allowed === type?.mime);
  if (!mimeType) throw appError("bad_request", "errors.attachmentNotImage");
  let meta: Metadata;
  try {
    meta = await sharp(data, { pages: -1 }).metadata();
  } catch {
    throw appError("bad_request", "errors.attachmentUnreadable");
  }
  const width = meta.width;
  const height = meta.pageHeight ?? meta.height;
  if (!width || !height) throw appError("bad_request", "errors.attachmentUnreadable");
  if ((meta.pages ?? 1) > 1) throw appError("bad_request", "errors.attachmentAnimated");
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw appError("bad_request", {
      key: "errors.attachmentTooManyPixels",
      params: { max: MAX_IMAGE_SIDE, width, height },
    });
  }
  // The whole image must decode, not only its header: a truncated file is refused now rather than by the upstream.
  try {
    await sharp(data).stats();
  } catch {
    throw appError("bad_request", "errors.attachmentUnreadable");
  }
  return { mimeType, width, height };
}

/**
 * POST /api/files: one image from the composer, checked and stored as the user's upload (part of no message yet).
 * The user's uploads that no message took within a day go first (docs/vision.md), so they never hold the quota.
 */
export async function uploadAttachment({ userId, request }: { userId: string; request: Request }) {
  const { maxFileBytes } = storageLimits();
  const tooLarge = () =>
    appError("payload_too_large", { key: "errors.fileTooLarge", params: { limitMb: maxFileBytes / (1024 * 1024) } });
  const file = await readMultipartFile(request, {
    field: "file",
    maxBytes: maxFileBytes,
    tooLarge,
    malformed: () => appError("bad_request", "errors.attachmentMultipart"),
  });
  const image = await inspectImage(file.data);
  await deleteStaleUploads({ userId });
  const saved = await saveFile({ userId, origin: "upload", data: file.data, ...image });
  return { id: saved.id, mimeType: saved.mimeType, width: image.width, height: image.height, size: saved.size };
}

export type Attachment = { id: string; mimeType: string; width: number | null; height: number | null };

/**
 * The images a new user message carries, checked before anything is stored or reserved: at most MAX_ATTACHMENTS, a
 * model that takes images, each one the user's own upload that no message took yet (else not_found). Returns them
 * in the order given, with their input tokens for `model` (the worst case: detail "auto" may choose "high").
 */
export async function checkAttachments({
  userId,
  ids,
  model,
}: {
  userId: string;
  ids: readonly string[];
  model: string;
}): Promise<{ files: Attachment[]; tokens: number }> {
  if (ids.length === 0) return { files: [], tokens: 0 };
  if (ids.length > MAX_ATTACHMENTS) {
    throw appError("bad_request", { key: "errors.attachmentTooMany", params: { max: MAX_ATTACHMENTS } });
  }
  if (!isVisionModel(model))
    throw appError("bad_request", { key: "errors.attachmentModelNoVision", params: { model } });
  const unique = [...new Set(ids)];
  const files = await listUnattachedUploads({ userId, ids: unique });
  if (files.length !== unique.length) throw appError("not_found", "errors.attachmentNotFound");
  const attachments = files.map(({ id, mimeType, width, height }) => ({ id, mimeType, width, height }));
  return { files: attachments, tokens: imagesInputTokens(model, attachments) };
}

/**
 * Links the checked attachments to the stored user message, inside the turn's admission transaction: one that another
 * request took meanwhile (sent twice at once) fails the admission, so nothing is stored or reserved.
 */
export async function linkAttachments(
  tx: Prisma.TransactionClient,
  {
    userId,
    ids,
    conversationId,
    messageId,
  }: { userId: string; ids: string[]; conversationId: string; messageId: string },
) {
  const linked = await attachFiles(tx, { userId, ids, conversationId, messageId });
  if (linked !== ids.length) throw appError("not_found", "errors.attachmentNotFound");
}

/** A user message's images as they go upstream: data URLs, in the order attached. */
export async function imageDataUrls({
  userId,
  files,
}: {
  userId: string;
  files: readonly { id: string }[];
}): Promise<Map<string, string>> {
  const data = await readFileData({ userId, ids: files.map((file) => file.id) });
  return new Map(
    [...data].map(([id, file]) => [id, `data:${file.mimeType};base64,${Buffer.from(file.data).toString("base64")}`]),
  );
}
