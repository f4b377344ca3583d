import { requireUserId } from "@/lib/auth";
import { createShare, deleteShare, getShare, type ShareLink } from "@/lib/db/shares";
import { errorResponse, pathIds } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { refuseCrossSite } from "@/lib/security/guard";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

const notFound = () => appError("not_found", "errors.conversationNotFound");

function shareJson(share: ShareLink | null) {
  return { share: share && { id: share.id, path: `/share/${share.id}`, createdAt: share.createdAt.toISOString() } };
}

/** This conversation's public link, or { share: null } when it is not shared. */
export async function GET(_request: Request, { params }: Context) {
  try {
    const userId = await requireUserId();
    const share = await getShare({ conversationId: (await pathIds(params)).id, userId });
    if (share === undefined) throw notFound();
    return Response.json(shareJson(share));
  } catch (error) {
    return errorResponse(error, "GET /api/conversations/[id]/share");
  }
}

/** Shares the conversation: its link, made now (201) or earlier (200). */
export async function POST(request: Request, { params }: Context) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    const created = await createShare({ conversationId: (await pathIds(params)).id, userId });
    if (!created) throw notFound();
    return Response.json(shareJson(created.share), { status: created.isNew ? 201 : 200 });
  } catch (error) {
    return errorResponse(error, "POST /api/conversations/[id]/share");
  }
}

/** Stops sharing: the link is a 404 from now on (and a new share gets a new link). */
export async function DELETE(request: Request, { params }: Context) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    if (!(await deleteShare({ conversationId: (await pathIds(params)).id, userId }))) throw notFound();
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error, "DELETE /api/conversations/[id]/share");
  }
}
