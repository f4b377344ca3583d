import { requireUserId } from "@/lib/auth";
import { uploadAttachment } from "@/lib/chat/attachments";
import { errorResponse } from "@/lib/http";
import { enforceUserRateLimit } from "@/lib/rate-limit";
import { refuseCrossSite } from "@/lib/security/guard";

export const dynamic = "force-dynamic";

/**
 * An image for the composer to attach (multipart, field `file`): checked by its bytes (PNG, JPEG, WebP, still GIF,
 * at most 8192 px a side), stored as the user's upload, answered as `{ id, mimeType, width, height, size }`. Too large
 * or over the quota: 413 (the storage module's); anything else wrong: 400. docs/vision.md
 */
export async function POST(request: Request) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    await enforceUserRateLimit("upload", userId);
    return Response.json(await uploadAttachment({ userId, request }), { status: 201 });
  } catch (error) {
    return errorResponse(error, "POST /api/files");
  }
}
