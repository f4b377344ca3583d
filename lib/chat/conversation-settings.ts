import "server-only";
import { assertKnownModel } from "@/lib/ai/provider";
import { updateConversationSettings } from "@/lib/db/conversations";
import { appError } from "@/lib/i18n/errors";
import { type ChatSettings, settingsProblem } from "./settings";

/**
 * Saves a conversation's model and parameters once they are checked against that model; nothing is written when they
 * are refused. Someone else's conversation, or one not stored yet, is a not_found.
 */
export async function saveConversationSettings({
  userId,
  conversationId,
  model,
  settings,
}: {
  userId: string;
  conversationId: string;
  model: string;
  settings: ChatSettings;
}) {
  await assertKnownModel(model);
  const problem = settingsProblem({ settings, model });
  if (problem) throw appError("bad_request", problem);
  const isSaved = await updateConversationSettings({
    id: conversationId,
    userId,
    model,
    settings: JSON.stringify(settings),
  });
  if (!isSaved) throw appError("not_found", "errors.conversationNotFound");
}
