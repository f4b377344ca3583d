import { requireUserId } from "@/lib/auth";
import { getMeterState } from "@/lib/chat/meter";
import { getConversation } from "@/lib/db/conversations";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http";
import { conversationIdSchema } from "@/lib/validations";

export const dynamic = "force-dynamic";

/** The meter's figures: month-to-date against the budget and, with ?conversationId=, that chat's totals. */
export async function GET(request: Request) {
  try {
    const userId = await requireUserId();
    const raw = new URL(request.url).searchParams.get("conversationId");
    let conversationId: string | undefined;
    if (raw !== null) {
      const parsed = conversationIdSchema.safeParse(raw);
      if (!parsed.success) throw new AppError("bad_request", "Invalid conversation id.");
      if (!(await getConversation({ id: parsed.data, userId }))) {
        throw new AppError("not_found", "Conversation not found.");
      }
      conversationId = parsed.data;
    }
    return Response.json(await getMeterState({ userId, conversationId }));
  } catch (error) {
    return errorResponse(error, "GET /api/usage/summary");
  }
}
