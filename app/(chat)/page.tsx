import { randomUUID } from "node:crypto";
import { Chat } from "@/components/chat/chat";
import { availableModels, defaultModel } from "@/lib/ai/provider";
import { requirePageUserId } from "@/lib/auth";
import { getMeterProps } from "@/lib/chat/meter";

export const dynamic = "force-dynamic";

export default async function NewChatPage() {
  const userId = await requirePageUserId();
  // The id is minted here (not in the browser, where crypto.randomUUID needs HTTPS) so the chat has its URL at once.
  const id = randomUUID();
  const models = availableModels();
  const meter = await getMeterProps({ userId, models });
  return <Chat key={id} conversationId={id} initialMessages={[]} models={models} model={defaultModel()} {...meter} />;
}
