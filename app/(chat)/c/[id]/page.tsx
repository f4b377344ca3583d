import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Chat } from "@/components/chat/chat";
import { availableModels, defaultModel } from "@/lib/ai/provider";
import { requirePageUserId } from "@/lib/auth";
import { replyInProgress } from "@/lib/chat/live-turn";
import { getMeterProps } from "@/lib/chat/meter";
import { parseStoredSettings } from "@/lib/chat/settings-schema";
import { branchUpTo, toUIMessages } from "@/lib/chat/stored-messages";
import { getConversation, getConversationWithMessages } from "@/lib/db/conversations";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const conversation = await getConversation({ id: (await params).id, userId: await requirePageUserId() });
  return { title: conversation?.title ?? "Not found" };
}

export default async function ConversationPage({ params }: Props) {
  const { id } = await params;
  const userId = await requirePageUserId();
  const conversation = await getConversationWithMessages({ id, userId });
  if (!conversation) notFound();
  const models = await availableModels();
  // A model the operator has since removed cannot be sent to: the chat goes on with the default, and says so.
  const isOffered = models.includes(conversation.model);
  const meter = await getMeterProps({ userId, conversationId: conversation.id, models });
  // A reply being written streams in after the message it follows (a regenerated reply's older version steps aside).
  const replying = await replyInProgress({ userId, conversationId: conversation.id });
  const shown = replying?.parentId ? branchUpTo(conversation.messages, replying.parentId) : conversation.messages;
  return (
    <Chat
      key={conversation.id}
      conversationId={conversation.id}
      title={conversation.title}
      initialMessages={toUIMessages(shown)}
      isReplying={replying !== null}
      models={models}
      model={isOffered ? conversation.model : defaultModel()}
      retiredModel={isOffered ? undefined : conversation.model}
      settings={parseStoredSettings(conversation.settings)}
      {...meter}
    />
  );
}
