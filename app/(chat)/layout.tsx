import { Sidebar } from "@/components/chat/sidebar";
import { requirePageUser } from "@/lib/auth";
import { listConversations } from "@/lib/db/conversations";
import { signOutAction } from "../(auth)/actions";

export default async function ChatLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser();
  const conversations = await listConversations({ userId: user.id });
  return (
    <div className="flex h-full">
      <Sidebar
        initialConversations={conversations.map((c) => ({ id: c.id, title: c.title }))}
        userLabel={user.name || user.email}
        isAdmin={user.isAdmin}
        signOutAction={signOutAction}
      />
      <main className="flex min-w-0 flex-1 flex-col">{children}</main>
    </div>
  );
}
