"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { CONVERSATIONS_CHANGED } from "./events";

type ConversationLink = { id: string; title: string };

type Props = {
  initialConversations: ConversationLink[];
  userLabel: string;
  /** Administrators also get a link to /admin. */
  isAdmin: boolean;
  signOutAction: () => Promise<void>;
};

export function Sidebar({ initialConversations, userLabel, isAdmin, signOutAction }: Props) {
  const [conversations, setConversations] = useState(initialConversations);
  const pathname = usePathname();

  const reload = useCallback(async () => {
    const response = await fetch("/api/conversations", { cache: "no-store" });
    if (!response.ok) return;
    const body = (await response.json()) as { conversations: ConversationLink[] };
    setConversations(body.conversations);
  }, []);

  useEffect(() => {
    window.addEventListener(CONVERSATIONS_CHANGED, reload);
    return () => window.removeEventListener(CONVERSATIONS_CHANGED, reload);
  }, [reload]);

  async function remove(conversation: ConversationLink) {
    if (!window.confirm(`Delete "${conversation.title}"? This cannot be undone.`)) return;
    const response = await fetch(`/api/conversations/${conversation.id}`, { method: "DELETE" });
    if (!response.ok && response.status !== 404) return;
    setConversations((list) => list.filter((c) => c.id !== conversation.id));
    if (pathname === `/c/${conversation.id}`) window.location.assign("/");
  }

  return (
    <aside className="hidden w-72 shrink-0 flex-col border-r border-zinc-200 bg-zinc-50 md:flex">
      <div className="flex items-center justify-between px-4 pt-4 pb-2">
        <span className="text-sm font-semibold tracking-wide text-emerald-700">ChatLedger</span>
        {/* A full load: a fresh page mints a fresh conversation id and resets the chat state. */}
        <a
          href="/"
          className="rounded-lg border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-100"
        >
          New chat
        </a>
      </div>
      <nav aria-label="Conversations" className="flex-1 overflow-y-auto px-2 py-2">
        {conversations.length === 0 ? (
          <p className="px-2 py-4 text-sm text-zinc-500">No conversations yet.</p>
        ) : (
          <ul className="flex flex-col gap-0.5">
            {conversations.map((conversation) => {
              const href = `/c/${conversation.id}`;
              const isActive = pathname === href;
              return (
                <li key={conversation.id} className="group relative">
                  <Link
                    href={href}
                    aria-current={isActive ? "page" : undefined}
                    className={cn(
                      "block truncate rounded-lg py-2 pr-8 pl-3 text-sm",
                      isActive ? "bg-zinc-200 font-medium" : "hover:bg-zinc-100",
                    )}
                  >
                    {conversation.title}
                  </Link>
                  <button
                    type="button"
                    aria-label={`Delete ${conversation.title}`}
                    onClick={() => remove(conversation)}
                    className="absolute top-1.5 right-1.5 hidden rounded px-1.5 text-zinc-500 hover:bg-zinc-200 hover:text-red-600 group-hover:block focus:block"
                  >
                    ×
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </nav>
      <div className="flex gap-1 border-t border-zinc-200 px-2 pt-2">
        {[["/usage", "Usage"], ["/settings", "Settings"], ...(isAdmin ? [["/admin", "Admin"]] : [])].map(
          ([href, label]) => (
            <Link
              key={href}
              href={href ?? "/"}
              aria-current={pathname === href ? "page" : undefined}
              className={cn(
                "rounded-lg px-3 py-1.5 text-sm",
                pathname === href ? "bg-zinc-200 font-medium" : "hover:bg-zinc-100",
              )}
            >
              {label}
            </Link>
          ),
        )}
      </div>
      <div className="flex items-center justify-between gap-2 px-4 py-3">
        <span className="truncate text-sm text-zinc-600" title={userLabel}>
          {userLabel}
        </span>
        <form action={signOutAction}>
          <Button type="submit" variant="ghost" className="px-2 py-1 whitespace-nowrap">
            Sign out
          </Button>
        </form>
      </div>
    </aside>
  );
}
