import { requireUserId } from "@/lib/auth";
import { toUIPage } from "@/lib/chat/stored-messages";
import { getBranchPage } from "@/lib/db/conversations";
import { errorResponse, pathIds } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { firstIssue, messagePageQuerySchema } from "@/lib/validations";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/**
 * A page of the conversation's active branch as the chat shows it: `?before=<id>` the messages before that one (the
 * chat loads them as the reader scrolls up), else the latest. 404 for anybody else's conversation; 400 for a cursor
 * that is not on the branch.
 */
export async function GET(request: Request, { params }: Context) {
  try {
    const userId = await requireUserId();
    const parsed = messagePageQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    const page = await getBranchPage({ id: (await pathIds(params)).id, userId, before: parsed.data.before });
    if (!page) throw appError("not_found", "errors.conversationNotFound");
    return Response.json(toUIPage(page));
  } catch (error) {
    return errorResponse(error, "GET /api/conversations/[id]/messages");
  }
}
