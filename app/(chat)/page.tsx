import { randomUUID } from "node:crypto";
import { Chat } from "@/components/chat/chat";
import { availableModels, defaultModel } from "@/lib/ai/provider";

export const dynamic = "force-dynamic";

export default function NewChatPage() {
  // The id is minted here (not in the browser, where crypto.randomUUID needs HTTPS) so the chat has its URL at once.
  const id = randomUUID();
  return <Chat key={id} conversationId={id} initialMessages={[]} models={availableModels()} model={defaultModel()} />;
}
