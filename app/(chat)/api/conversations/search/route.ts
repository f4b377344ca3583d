import { requireUserId } from "@/lib/auth";
import { searchHistory } from "@/lib/chat/search";
import { errorResponse } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { conversationSearchSchema, firstIssue } from "@/lib/validations";

export const dynamic = "force-dynamic";

/** ?q=<1–200 characters>: the user's conversations whose title or messages contain it. */
export async function GET(request: Request) {
  try {
    const userId = await requireUserId();
    const parsed = conversationSearchSchema.safeParse({ q: new URL(request.url).searchParams.get("q") ?? undefined });
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    return Response.json(await searchHistory({ userId, query: parsed.data.q }));
  } catch (error) {
    return errorResponse(error, "GET /api/conversations/search");
  }
}
