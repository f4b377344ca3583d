import { Sidebar } from "@/components/chat/sidebar";
import { auth, requirePageUserId } from "@/lib/auth";
import { listConversations } from "@/lib/db/conversations";
import { signOutAction } from "../(auth)/actions";

export default async function ChatLayout({ children }: { children: React.ReactNode }) {
  const userId = await requirePageUserId();
  const [session, conversations] = await Promise.all([auth(), listConversations({ userId })]);
  return (
    <div className="flex h-full">
      <Sidebar
        initialConversations={conversations.map((c) => ({ id: c.id, title: c.title }))}
        userLabel={session?.user?.name || session?.user?.email || ""}
        signOutAction={signOutAction}
      />
      <main className="flex min-w-0 flex-1 flex-col">{children}</main>
    </div>
  );
}
