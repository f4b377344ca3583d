import { requireUserId } from "@/lib/auth";
import { toUIPage } from "@/lib/chat/stored-messages";
import { getBranchPage } from "@/lib/db/conversations";
import { selectVersion } from "@/lib/db/messages";
import { errorResponse, pathIds, readJson } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { refuseCrossSite } from "@/lib/security/guard";
import { firstIssue, selectVersionSchema } from "@/lib/validations";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/**
 * The active branch's latest page as the chat shows it (the browser reads it again after a refused regenerate, edit
 * or continue, and keeps the older messages it holds above it).
 */
export async function GET(_request: Request, { params }: Context) {
  try {
    const userId = await requireUserId();
    const page = await getBranchPage({ id: (await pathIds(params)).id, userId });
    if (!page) throw appError("not_found", "errors.conversationNotFound");
    return Response.json(toUIPage(page));
  } catch (error) {
    return errorResponse(error, "GET /api/conversations/[id]/branch");
  }
}

/**
 * Shows another version of a message (‹ › under it): the branch through that message becomes the conversation's
 * active branch, which every later read (a reload, the next turn's history) follows. Answers the branch's latest page
 * as the chat shows it, from the message before the chosen one at least (the chat keeps what it holds above that).
 */
export async function POST(request: Request, { params }: Context) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    const { id } = await pathIds(params);
    const parsed = selectVersionSchema.safeParse(await readJson(request, 4096));
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    const notFound = appError("not_found", "errors.messageNotFound");
    if (!(await selectVersion({ userId, conversationId: id, messageId: parsed.data.messageId }))) throw notFound;
    const page = await getBranchPage({ id, userId, through: parsed.data.messageId });
    if (!page) throw notFound;
    return Response.json(toUIPage(page));
  } catch (error) {
    return errorResponse(error, "POST /api/conversations/[id]/branch");
  }
}
