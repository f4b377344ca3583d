import { useTranslations } from "next-intl";
import { ChatSkeleton } from "@/components/ui/chat-skeleton";

/** A new chat (and any page of the group without its own placeholder) while it loads: an empty conversation. */
export default function ChatLoading() {
  return <ChatSkeleton label={useTranslations("common")("loading")} bubbles={0} />;
}
