import { requireUserId } from "@/lib/auth";
import { startChatTurn } from "@/lib/chat/turn";
import { AppError } from "@/lib/errors";
import { errorResponse, readJson } from "@/lib/http";
import { chatRequestSchema, firstIssue, MAX_CHAT_BODY_BYTES } from "@/lib/validations";

export const dynamic = "force-dynamic";

/**
 * Sends one user message (or retries the last) and streams the assistant's reply. Before anything goes upstream the
 * worst-case cost is reserved against the budgets; the reply settles it to the actual cost (lib/chat/turn.ts).
 */
export async function POST(request: Request) {
  try {
    const userId = await requireUserId();
    const parsed = chatRequestSchema.safeParse(await readJson(request, MAX_CHAT_BODY_BYTES));
    if (!parsed.success) throw new AppError("bad_request", firstIssue(parsed.error));
    const { conversationId, model, text, retry } = parsed.data;
    return await startChatTurn({
      userId,
      conversationId,
      model,
      text: retry ? undefined : text,
      signal: request.signal,
    });
  } catch (error) {
    return errorResponse(error, "POST /api/chat");
  }
}
