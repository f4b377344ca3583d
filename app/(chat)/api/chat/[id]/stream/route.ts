import { requireUserId } from "@/lib/auth";
import { resumeChatTurn } from "@/lib/chat/live-turn";
import { errorResponse, pathIds } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { conversationIdSchema, firstIssue } from "@/lib/validations";

export const dynamic = "force-dynamic";
// The longest a serverless host (Vercel) lets this function run: a reply, an image or a transcription ends, is
// settled and stored within it (CHAT_MAX_DURATION_SECONDS in lib/env-schema.ts; a literal, as Next reads it).
export const maxDuration = 300;

type Context = { params: Promise<{ id: string }> };

/**
 * The reply still being written in one of the signed-in user's conversations, from its start (useChat's resume calls
 * this when a chat opens): 204 when there is none; 404 for anybody else's conversation.
 */
export async function GET(request: Request, { params }: Context) {
  try {
    const userId = await requireUserId();
    const parsed = conversationIdSchema.safeParse((await pathIds(params)).id);
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    const response = await resumeChatTurn({ userId, conversationId: parsed.data, signal: request.signal });
    return response ?? new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error, "GET /api/chat/[id]/stream");
  }
}
