import { requireUserId } from "@/lib/auth";
import { countOlderPrompt } from "@/lib/chat/upstream-history";
import { errorResponse, pathIds } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { conversationIdSchema, firstIssue, olderPromptQuerySchema } from "@/lib/validations";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/**
 * `?before=<id>&model=<model>`: the token counts of what a turn sends upstream before the oldest message the chat has
 * loaded, for the composer's estimate of the whole prompt. 404 for anybody else's conversation.
 */
export async function GET(request: Request, { params }: Context) {
  try {
    const userId = await requireUserId();
    const id = conversationIdSchema.safeParse((await pathIds(params)).id);
    if (!id.success) throw appError("not_found", "errors.conversationNotFound");
    const parsed = olderPromptQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    return Response.json(await countOlderPrompt({ userId, conversationId: id.data, ...parsed.data }));
  } catch (error) {
    return errorResponse(error, "GET /api/conversations/[id]/prompt");
  }
}
