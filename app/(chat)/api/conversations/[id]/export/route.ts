import { requireUserId } from "@/lib/auth";
import { conversationJson, conversationMarkdown } from "@/lib/chat/exports";
import { getConversationWithMessages } from "@/lib/db/conversations";
import { downloadHeaders, errorResponse, pathIds } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { readFileBytes } from "@/lib/images/exports";
import { conversationExportFormatSchema, firstIssue } from "@/lib/validations";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** One conversation as a download: ?format=md (for people) or json (with each reply's tokens and cost). */
export async function GET(request: Request, { params }: Context) {
  try {
    const userId = await requireUserId();
    const format = conversationExportFormatSchema.safeParse(new URL(request.url).searchParams.get("format") ?? "");
    if (!format.success) throw appError("bad_request", firstIssue(format.error));
    const conversation = await getConversationWithMessages({ id: (await pathIds(params)).id, userId });
    if (!conversation) throw appError("not_found", "errors.conversationNotFound");
    const now = new Date();
    const [body, contentType] =
      format.data === "md"
        ? [conversationMarkdown(conversation, now, new URL(request.url).origin), "text/markdown; charset=utf-8"]
        : [
            conversationJson(conversation, now, await readFileBytes({ userId, messages: conversation.messages })),
            "application/json; charset=utf-8",
          ];
    return new Response(body, {
      headers: downloadHeaders({ name: conversation.title, extension: format.data, contentType }),
    });
  } catch (error) {
    return errorResponse(error, "GET /api/conversations/[id]/export");
  }
}
