import { requireUserId } from "@/lib/auth";
import { budgetPolicy } from "@/lib/billing/config";
import { getConversation } from "@/lib/db/conversations";
import { getBudgetStatus, getConversationSpend } from "@/lib/db/ledger";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http";
import { conversationIdSchema } from "@/lib/validations";

export const dynamic = "force-dynamic";

/** The meter's figures: month-to-date against the budget and, with ?conversationId=, that chat's totals. */
export async function GET(request: Request) {
  try {
    const userId = await requireUserId();
    const raw = new URL(request.url).searchParams.get("conversationId");
    let chat = null;
    if (raw !== null) {
      const parsed = conversationIdSchema.safeParse(raw);
      if (!parsed.success) throw new AppError("bad_request", "Invalid conversation id.");
      if (!(await getConversation({ id: parsed.data, userId }))) {
        throw new AppError("not_found", "Conversation not found.");
      }
      chat = await getConversationSpend({ userId, conversationId: parsed.data });
    }
    const budget = await getBudgetStatus({ userId, policy: budgetPolicy() });
    return Response.json({ budget, chat });
  } catch (error) {
    return errorResponse(error, "GET /api/usage/summary");
  }
}
