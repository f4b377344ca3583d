import { useTranslations } from "next-intl";
import { ChatSkeleton } from "@/components/ui/chat-skeleton";

/** A conversation while its messages load: bubbles where they will be. */
export default function ConversationLoading() {
  return <ChatSkeleton label={useTranslations("common")("loading")} bubbles={4} />;
}
