import { requireUserId } from "@/lib/auth";
import { saveConversationSettings } from "@/lib/chat/conversation-settings";
import { errorResponse, pathIds, readJson } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { refuseCrossSite } from "@/lib/security/guard";
import { conversationSettingsSchema, firstIssue } from "@/lib/validations";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** Saves a stored conversation's model and parameters (the chat's Parameters panel). A new chat sends them with its first message. */
export async function PATCH(request: Request, { params }: Context) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    const parsed = conversationSettingsSchema.safeParse(await readJson(request, 128 * 1024));
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    await saveConversationSettings({ userId, conversationId: (await pathIds(params)).id, ...parsed.data });
    return Response.json({ settings: parsed.data.settings });
  } catch (error) {
    return errorResponse(error, "PATCH /api/conversations/[id]/settings");
  }
}
