import { assertKnownModel } from "@/lib/ai/provider";
import { requireUserId } from "@/lib/auth";
import { errorResponse, readJson } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { answerImageRequest, imageRequestSchema, MAX_IMAGE_BODY_BYTES } from "@/lib/images/request";
import { enforceUserRateLimit } from "@/lib/rate-limit";
import { refuseCrossSite } from "@/lib/security/guard";
import { firstIssue } from "@/lib/validations";

export const dynamic = "force-dynamic";
// The longest a serverless host (Vercel) lets this function run: a reply, an image or a transcription ends, is
// settled and stored within it (CHAT_MAX_DURATION_SECONDS in lib/env-schema.ts; a literal, as Next reads it).
export const maxDuration = 300;

/**
 * Generates images in a conversation: the prompt is stored as the user's message, the worst case reserved against the
 * budgets, the images endpoint called, the cost settled from its usage and the images stored as the reply
 * (lib/images/generate.ts). Answers the stored messages as the chat shows them. A refusal by the upstream is a stored
 * failed reply (200, nothing charged); a request refused before anything is stored is an error status.
 */
export async function POST(request: Request) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    await enforceUserRateLimit("chat", userId);
    const parsed = imageRequestSchema.safeParse(await readJson(request, MAX_IMAGE_BODY_BYTES));
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    const { model, ...rest } = parsed.data;
    if (model) await assertKnownModel(model);
    return Response.json(await answerImageRequest({ userId, ...rest, chatModel: model }));
  } catch (error) {
    return errorResponse(error, "POST /api/images");
  }
}
