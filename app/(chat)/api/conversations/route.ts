import { requireUserId } from "@/lib/auth";
import { listConversations } from "@/lib/db/conversations";
import { errorResponse } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { conversationPageSchema, firstIssue } from "@/lib/validations";

export const dynamic = "force-dynamic";

/** A page of the sidebar's list: ?cursor=<nextCursor of the previous page>&limit=<1–100, default 50>. */
export async function GET(request: Request) {
  try {
    const userId = await requireUserId();
    const parsed = conversationPageSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    return Response.json(await listConversations({ userId, ...parsed.data }));
  } catch (error) {
    return errorResponse(error, "GET /api/conversations");
  }
}
