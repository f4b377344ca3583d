import { requireUserId } from "@/lib/auth";
import { getMeterState } from "@/lib/chat/meter";
import { getConversation } from "@/lib/db/conversations";
import { errorResponse } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
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
      if (!parsed.success) throw appError("bad_request", "validation.conversationIdInvalid");
      if (!(await getConversation({ id: parsed.data, userId }))) {
        throw appError("not_found", "errors.conversationNotFound");
      }
      conversationId = parsed.data;
    }
    return Response.json(await getMeterState({ userId, conversationId }));
  } catch (error) {
    return errorResponse(error, "GET /api/usage/summary");
  }
}
