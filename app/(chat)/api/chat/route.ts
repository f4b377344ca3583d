import { streamChatTurn } from "@/lib/ai/chat-turn";
import { MAX_OUTPUT_TOKENS } from "@/lib/ai/models";
import { assertKnownModel, chatModel } from "@/lib/ai/provider";
import { requireUserId } from "@/lib/auth";
import { defaultMonthlyBudgetMicros, priceFor } from "@/lib/billing/config";
import { worstCaseCost } from "@/lib/billing/cost";
import { countChatPromptTokens, encodingForModel, loadTokenizer } from "@/lib/billing/tokens";
import { beginTurn } from "@/lib/db/messages";
import { AppError } from "@/lib/errors";
import { errorResponse, readJson } from "@/lib/http";
import { chatRequestSchema, firstIssue, MAX_CHAT_BODY_BYTES, titleFromMessage } from "@/lib/validations";

export const dynamic = "force-dynamic";

/**
 * Sends one user message (or retries the last) and streams the assistant's reply. Before anything goes upstream the
 * worst-case cost is reserved against the user's monthly budget; the reply settles it to the actual cost.
 */
export async function POST(request: Request) {
  try {
    const userId = await requireUserId();
    const parsed = chatRequestSchema.safeParse(await readJson(request, MAX_CHAT_BODY_BYTES));
    if (!parsed.success) throw new AppError("bad_request", firstIssue(parsed.error));
    const { conversationId, model, text, retry } = parsed.data;
    assertKnownModel(model);
    chatModel(model); // Fails with a friendly not_configured error before anything is written when no key is set.

    const now = new Date();
    const price = priceFor(model, now);
    await loadTokenizer(encodingForModel(model));
    const turn = await beginTurn({
      userId,
      conversationId,
      model,
      text: retry ? undefined : text,
      title: titleFromMessage(text ?? ""),
      quote: (history) => {
        const promptTokens = countChatPromptTokens(history, model);
        return {
          price,
          promptTokens,
          maxOutputTokens: MAX_OUTPUT_TOKENS,
          reserveMicros: price ? worstCaseCost({ promptTokens, maxOutputTokens: MAX_OUTPUT_TOKENS }, price) : 0,
        };
      },
      defaultBudgetMicros: defaultMonthlyBudgetMicros(),
      now,
    });
    return streamChatTurn({
      conversationId,
      model,
      history: turn.history,
      abortSignal: request.signal,
      reservationId: turn.reservationId,
      price,
      promptTokensEstimate: turn.promptTokens,
    });
  } catch (error) {
    return errorResponse(error, "POST /api/chat");
  }
}
