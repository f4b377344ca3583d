import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { MessageItem } from "@/components/chat/message-item";
import type { ChatUIMessage } from "@/lib/chat/ui-message";
import { getSharedConversation } from "@/lib/db/shares";
import { shareIdSchema } from "@/lib/validations";

// Public: no sign-in, outside the (chat) group and its layout. Shows the title and the messages' text only. The
// metadata does not depend on the conversation on purpose: it stays in <head> (and next.config.js adds X-Robots-Tag
// and no-referrer too); only its title follows the visitor's language.
export async function generateMetadata(): Promise<Metadata> {
  return {
    title: (await getTranslations("share"))("pageTitle"),
    robots: { index: false, follow: false },
    referrer: "no-referrer",
  };
}

export const dynamic = "force-dynamic";

/** An image reply on a shared page: a note that its images stay private, then its caption. */
function sharedImageText(
  { images = 0, content }: { images?: number; content: string },
  t: Awaited<ReturnType<typeof getTranslations<"images">>>,
) {
  return `_${t("notSharedNote", { count: images })}_\n\n${content}`;
}

type Props = { params: Promise<{ id: string }> };

export default async function SharedConversationPage({ params }: Props) {
  const { id } = await params;
  // A malformed id, an unknown one and a revoked one all end here alike.
  const shared = shareIdSchema.safeParse(id).success ? await getSharedConversation({ shareId: id }) : null;
  if (!shared) notFound();
  const t = await getTranslations("share");
  const tImages = await getTranslations("images");
  // Rendered read-only by the chat's own message component, without metadata: no model, tokens or cost.
  const messages: ChatUIMessage[] = shared.messages.map((message, index) => ({
    id: `message-${index}`,
    role: message.role === "user" ? "user" : "assistant",
    parts: [{ type: "text", text: message.images ? sharedImageText(message, tImages) : message.content }],
  }));
  return (
    <div className="h-full overflow-y-auto">
      <header className="border-b border-zinc-200">
        <div className="mx-auto max-w-3xl px-4 py-4">
          <p className="text-xs font-medium tracking-wide text-emerald-700">{t("readOnly")}</p>
          <h1 className="mt-1 text-xl font-semibold break-words">{shared.title}</h1>
        </div>
      </header>
      <main className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-6">
        {messages.map((message) => (
          <MessageItem
            key={message.id}
            message={message}
            isStreaming={false}
            isLast={false}
            showsError={false}
            currency={null}
          />
        ))}
      </main>
    </div>
  );
}
