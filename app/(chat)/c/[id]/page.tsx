import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Chat } from "@/components/chat/chat";
import { availableModels } from "@/lib/ai/provider";
import { toUIMessage } from "@/lib/ai/ui-message";
import { requirePageUserId } from "@/lib/auth";
import { getConversation, getConversationWithMessages } from "@/lib/db/conversations";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const conversation = await getConversation({ id: (await params).id, userId: await requirePageUserId() });
  return { title: conversation?.title ?? "Not found" };
}

export default async function ConversationPage({ params }: Props) {
  const { id } = await params;
  const conversation = await getConversationWithMessages({ id, userId: await requirePageUserId() });
  if (!conversation) notFound();
  const models = availableModels();
  return (
    <Chat
      key={conversation.id}
      conversationId={conversation.id}
      title={conversation.title}
      initialMessages={conversation.messages.map(toUIMessage)}
      models={models.includes(conversation.model) ? models : [conversation.model, ...models]}
      model={conversation.model}
    />
  );
}
