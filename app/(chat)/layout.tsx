import { KeyboardShortcuts } from "@/components/chat/keyboard-shortcuts";
import { Sidebar } from "@/components/chat/sidebar";
import { requirePageUser } from "@/lib/auth";
import { listConversations } from "@/lib/db/conversations";
import { CONVERSATION_PAGE_SIZE } from "@/lib/validations";
import { signOutAction } from "../(auth)/actions";

export default async function ChatLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser();
  const { conversations, nextCursor } = await listConversations({ userId: user.id, limit: CONVERSATION_PAGE_SIZE });
  // As the API sends them (JSON): dates as ISO strings.
  const firstPage = {
    conversations: conversations.map(({ id, title, updatedAt, pinnedAt }) => ({
      id,
      title,
      updatedAt: updatedAt.toISOString(),
      pinnedAt: pinnedAt?.toISOString() ?? null,
    })),
    nextCursor,
  };
  return (
    <div className="flex h-full">
      <Sidebar
        firstPage={firstPage}
        userLabel={user.name || user.email}
        isAdmin={user.isAdmin}
        signOutAction={signOutAction}
      />
      <main className="flex min-w-0 flex-1 flex-col">{children}</main>
      <KeyboardShortcuts />
    </div>
  );
}
