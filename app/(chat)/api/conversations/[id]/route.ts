import { requireUserId } from "@/lib/auth";
import { abortTurnsOf } from "@/lib/chat/active-turns";
import { toMessageJson } from "@/lib/chat/stored-messages";
import { deleteConversation, getConversationWithMessages, updateConversation } from "@/lib/db/conversations";
import { errorResponse, pathIds, readJson } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { refuseCrossSite } from "@/lib/security/guard";
import { conversationIdSchema, conversationUpdateSchema, firstIssue } from "@/lib/validations";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

const notFound = () => appError("not_found", "errors.conversationNotFound");

/** The id in the URL; one no conversation can have (every id passed this schema) is simply not found. */
async function conversationId({ params }: Context): Promise<string> {
  const { id } = await pathIds(params);
  if (!conversationIdSchema.safeParse(id).success) throw notFound();
  return id;
}

export async function GET(_request: Request, context: Context) {
  try {
    const userId = await requireUserId();
    const conversation = await getConversationWithMessages({ id: await conversationId(context), userId });
    if (!conversation) throw notFound();
    return Response.json({ conversation: { ...conversation, messages: conversation.messages.map(toMessageJson) } });
  } catch (error) {
    return errorResponse(error, "GET /api/conversations/[id]");
  }
}

export async function PATCH(request: Request, context: Context) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    const parsed = conversationUpdateSchema.safeParse(await readJson(request, 4096));
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    const { title, pinned } = parsed.data;
    const conversation = await updateConversation({
      id: await conversationId(context),
      userId,
      title,
      isPinned: pinned,
      now: new Date(),
    });
    if (!conversation) throw notFound();
    return Response.json({ conversation });
  } catch (error) {
    return errorResponse(error, "PATCH /api/conversations/[id]");
  }
}

export async function DELETE(request: Request, context: Context) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    const id = await conversationId(context);
    if (!(await deleteConversation({ id, userId }))) throw notFound();
    // A reply still streaming in it stops now (on another server, at its next heartbeat); its cost is still settled.
    abortTurnsOf(id);
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error, "DELETE /api/conversations/[id]");
  }
}
