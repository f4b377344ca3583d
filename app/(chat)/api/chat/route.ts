import { streamChatTurn } from "@/lib/ai/chat-turn";
import { assertKnownModel, chatModel } from "@/lib/ai/provider";
import { requireUserId } from "@/lib/auth";
import { beginTurn } from "@/lib/db/messages";
import { AppError } from "@/lib/errors";
import { errorResponse, readJson } from "@/lib/http";
import { chatRequestSchema, firstIssue, MAX_CHAT_BODY_BYTES, titleFromMessage } from "@/lib/validations";

export const dynamic = "force-dynamic";

/** Sends one user message (or retries the last) and streams the assistant's reply. */
export async function POST(request: Request) {
  try {
    const userId = await requireUserId();
    const parsed = chatRequestSchema.safeParse(await readJson(request, MAX_CHAT_BODY_BYTES));
    if (!parsed.success) throw new AppError("bad_request", firstIssue(parsed.error));
    const { conversationId, model, text, retry } = parsed.data;
    assertKnownModel(model);
    chatModel(model); // Fails with a friendly not_configured error before anything is written when no key is set.

    const history = await beginTurn({
      userId,
      conversationId,
      model,
      text: retry ? undefined : text,
      title: titleFromMessage(text ?? ""),
    });
    return streamChatTurn({ conversationId, model, history, abortSignal: request.signal });
  } catch (error) {
    return errorResponse(error, "POST /api/chat");
  }
}
