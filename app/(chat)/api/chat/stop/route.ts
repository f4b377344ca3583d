import { requireUserId } from "@/lib/auth";
import { stopChatTurn } from "@/lib/chat/live-turn";
import { errorResponse, readJson } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { refuseCrossSite } from "@/lib/security/guard";
import { firstIssue, stopChatSchema } from "@/lib/validations";

export const dynamic = "force-dynamic";

/**
 * Stop: ends the signed-in user's running reply in a conversation, on whichever server it runs. Closing or reloading
 * the page does not stop a reply; this does. The reply is stored as stopped and charged what was streamed.
 */
export async function POST(request: Request) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    const parsed = stopChatSchema.safeParse(await readJson(request, 4096));
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    return Response.json(await stopChatTurn({ userId, conversationId: parsed.data.conversationId }));
  } catch (error) {
    return errorResponse(error, "POST /api/chat/stop");
  }
}
