import { requireUserId } from "@/lib/auth";
import { startChatTurn, type TurnRequest } from "@/lib/chat/turn";
import { errorResponse, readJson } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { enforceUserRateLimit } from "@/lib/rate-limit";
import { refuseCrossSite } from "@/lib/security/guard";
import { chatRequestSchema, firstIssue, MAX_CHAT_BODY_BYTES } from "@/lib/validations";

export const dynamic = "force-dynamic";
// The longest a serverless host (Vercel) lets this function run: a reply, an image or a transcription ends, is
// settled and stored within it (CHAT_MAX_DURATION_SECONDS in lib/env-schema.ts; a literal, as Next reads it).
export const maxDuration = 300;

/**
 * Sends one user message (or retries the last, regenerates or continues a reply, sends an edited message) and streams the assistant's reply. Before anything goes upstream the
 * worst-case cost is reserved against the budgets; the reply settles it to the actual cost (lib/chat/turn.ts).
 */
export async function POST(request: Request) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    await enforceUserRateLimit("chat", userId);
    const parsed = chatRequestSchema.safeParse(await readJson(request, MAX_CHAT_BODY_BYTES));
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    const { conversationId, model, text = "", retry, regenerate, edit, settings, attachments } = parsed.data;
    const continued = parsed.data.continue;
    const turn: TurnRequest = retry
      ? { kind: "retry" }
      : regenerate
        ? { kind: "regenerate", messageId: regenerate }
        : continued
          ? { kind: "continue", messageId: continued }
          : edit
            ? { kind: "edit", messageId: edit, text, attachments }
            : { kind: "send", text, attachments };
    return await startChatTurn({
      userId,
      conversationId,
      model,
      settings: settings ?? {},
      request: turn,
    });
  } catch (error) {
    return errorResponse(error, "POST /api/chat");
  }
}
