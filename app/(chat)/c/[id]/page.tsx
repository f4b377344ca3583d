import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Chat } from "@/components/chat/chat";
import { EmptyChat } from "@/components/chat/empty-chat";
import { isChannelSource, SourceBadge } from "@/components/chat/source-mark";
import { availableModels, defaultModel } from "@/lib/ai/provider";
import { requirePageUserId } from "@/lib/auth";
import { replyInProgress } from "@/lib/chat/live-turn";
import { getMeterProps } from "@/lib/chat/meter";
import { parseStoredSettings } from "@/lib/chat/settings-schema";
import { toUIPage } from "@/lib/chat/stored-messages";
import { FIRST_PAGE_TEXT_LENGTH, getBranchPage, getConversation } from "@/lib/db/conversations";
import { imageModelForChat } from "@/lib/images/model";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const conversation = await getConversation({ id: (await params).id, userId: await requirePageUserId() });
  // The tab shows the conversation's title ("Trip planning · ChatLedger"); the chat keeps it current after a rename.
  return { title: conversation?.title ?? (await getTranslations("chat"))("notFoundTitle") };
}

export default async function ConversationPage({ params }: Props) {
  const { id } = await params;
  const userId = await requirePageUserId();
  // A reply being written streams in after the message it follows (a regenerated reply's older version steps aside).
  const [replying, models] = await Promise.all([replyInProgress({ userId, conversationId: id }), availableModels()]);
  // The latest messages only, a few screens of text: older ones load as the reader scrolls up (each message rendered
  // here costs the server its Markdown; a long chat would render every message). The meter's reads go beside it:
  // scoped to the user, they answer nothing of a conversation that is not theirs, and the page is then not found.
  const [conversation, meter] = await Promise.all([
    getBranchPage({ id, userId, upTo: replying?.parentId, maxTextLength: FIRST_PAGE_TEXT_LENGTH }),
    getMeterProps({ userId, conversationId: id, models }),
  ]);
  if (!conversation) notFound();
  // A model the operator has since removed cannot be sent to: the chat goes on with the default, and says so.
  const isOffered = models.includes(conversation.model);
  const page = toUIPage(conversation);
  const { source } = conversation;
  const t = await getTranslations("chat");
  return (
    <Chat
      key={conversation.id}
      conversationId={conversation.id}
      title={conversation.title}
      initialMessages={page.messages}
      hasOlderMessages={page.hasOlder}
      isReplying={replying !== null}
      models={models}
      model={isOffered ? conversation.model : defaultModel()}
      retiredModel={isOffered ? undefined : conversation.model}
      settings={parseStoredSettings(conversation.settings)}
      sourceBadge={isChannelSource(source) ? <SourceBadge source={source} label={t("viaSource", { source })} /> : null}
      {...meter}
      image={imageModelForChat()}
      emptyState={<EmptyChat />}
    />
  );
}
