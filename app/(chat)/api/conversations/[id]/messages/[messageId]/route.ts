import { requireUserId } from "@/lib/auth";
import { uiMessageHolding } from "@/lib/chat/stored-messages";
import { getMessageBranch } from "@/lib/db/conversations";
import { errorResponse, pathIds } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string; messageId: string }> };

/**
 * One stored message as the chat shows it (a continuation: within the reply it continues). After Stop the browser reads its reply here (404 until the server has
 * stored it), since the stream that would have carried the final text and cost was cut by the Stop itself.
 */
export async function GET(_request: Request, { params }: Context) {
  try {
    const userId = await requireUserId();
    const { id, messageId } = await pathIds(params);
    const branch = await getMessageBranch({ id: messageId, conversationId: id, userId });
    const message = branch && uiMessageHolding(branch, messageId);
    if (!message) throw appError("not_found", "errors.messageNotFound");
    return Response.json({ message });
  } catch (error) {
    return errorResponse(error, "GET /api/conversations/[id]/messages/[messageId]");
  }
}
