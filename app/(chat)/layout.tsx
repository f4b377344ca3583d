import { KeyboardShortcuts } from "@/components/chat/shortcut-parts";
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
    conversations: conversations.map(({ id, title, updatedAt, pinnedAt, source }) => ({
      id,
      title,
      updatedAt: updatedAt.toISOString(),
      pinnedAt: pinnedAt?.toISOString() ?? null,
      source,
    })),
    nextCursor,
  };
  return (
    // Below 1024 px a column: the sidebar's top bar (its menu opens the sidebar as a drawer) above the page.
    <div className="flex h-full flex-col lg:flex-row">
      <Sidebar
        firstPage={firstPage}
        userLabel={user.name || user.email}
        isAdmin={user.isAdmin}
        signOutAction={signOutAction}
      />
      <main className="flex min-h-0 min-w-0 flex-1 flex-col">{children}</main>
      <KeyboardShortcuts />
    </div>
  );
}
