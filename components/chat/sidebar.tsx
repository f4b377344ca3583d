"use client";

import { usePathname, useRouter } from "next/navigation";
import { lazy, type RefObject, Suspense, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";
import { ThemeSwitch } from "@/components/ui/theme-switch";
import { cn } from "@/lib/utils";
import { AppLink } from "./app-link";
import { ConversationRow } from "./conversation-row";
import { type ConversationItem, type ConversationPage, groupConversations } from "./history";
import { SearchBox } from "./search-box";
import { useConversationList } from "./use-conversation-list";

// Not needed for the first paint: searching loads with the search box's first focus, the delete dialog with the first
// Delete.
const loadSearch = () => import("./conversation-search");
const SearchResults = lazy(() => loadSearch().then((module) => ({ default: module.SearchResults })));
const ConfirmDialog = lazy(() =>
  import("@/components/ui/confirm-dialog").then((module) => ({ default: module.ConfirmDialog })),
);

function preloadSearch() {
  void loadSearch().catch(() => {
    // Typing a search loads it again (and React reports it if that fails too).
  });
}

type Props = {
  /** The first page of the list, rendered on the server. */
  firstPage: ConversationPage;
  userLabel: string;
  /** Administrators also get a link to /admin. */
  isAdmin: boolean;
  signOutAction: () => Promise<void>;
};

const subscribeToNothing = () => () => {};

/** False while rendering on the server and hydrating: day groups wait for the browser's clock and time zone. */
function useIsInBrowser(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}

export function Sidebar({ firstPage, userLabel, isAdmin, signOutAction }: Props) {
  const pathname = usePathname();
  const router = useRouter();
  const history = useConversationList(firstPage);
  const [query, setQuery] = useState("");
  const searchBox = useRef<HTMLInputElement>(null);
  const nav = useRef<HTMLElement>(null);
  const [toDelete, setToDelete] = useState<ConversationItem | null>(null);
  // Mounted from the first Delete on, so closing it (not unmounting it) gives focus back where it was.
  const [hasAskedToDelete, setHasAskedToDelete] = useState(false);
  const isInBrowser = useIsInBrowser();

  useEffect(() => {
    const focusSearch = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || event.key.toLowerCase() !== "k")
        return;
      event.preventDefault();
      searchBox.current?.focus();
      searchBox.current?.select();
    };
    window.addEventListener("keydown", focusSearch);
    return () => window.removeEventListener("keydown", focusSearch);
  }, []);

  function confirmDelete() {
    const conversation = toDelete;
    setToDelete(null);
    if (!conversation) return;
    history.remove(conversation);
    // A soft navigation keeps this sidebar, and with it the Undo.
    if (pathname === `/c/${conversation.id}`) router.push("/");
  }

  const groups = isInBrowser
    ? groupConversations(history.conversations, new Date())
    : [{ label: null, conversations: history.conversations }];

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
      <div className="px-3 pt-1 pb-1">
        <SearchBox ref={searchBox} value={query} onChange={setQuery} onFocus={preloadSearch} />
      </div>
      <nav ref={nav} aria-label="Conversations" className="flex-1 overflow-y-auto px-2 py-2">
        {query.trim() ? (
          <Suspense
            fallback={
              <p role="status" className="px-2 py-4 text-sm text-zinc-500">
                Searching…
              </p>
            }
          >
            <SearchResults query={query} hiddenIds={history.hiddenIds} activeHref={pathname} />
          </Suspense>
        ) : history.conversations.length === 0 && !history.hasMore ? (
          <p className="px-2 py-4 text-sm text-zinc-500">No conversations yet.</p>
        ) : (
          <>
            {groups.map((group) => (
              <section key={group.label ?? "all"} aria-label={group.label ?? undefined} className="pb-2">
                {group.label ? (
                  <h2 className="px-3 pt-2 pb-1 text-xs font-medium text-zinc-500">{group.label}</h2>
                ) : null}
                <ul className="flex flex-col gap-0.5">
                  {group.conversations.map((conversation) => (
                    <ConversationRow
                      key={conversation.id}
                      conversation={conversation}
                      isActive={pathname === `/c/${conversation.id}`}
                      onRename={(title) => history.rename(conversation, title)}
                      onTogglePin={() => void history.togglePin(conversation)}
                      onDelete={() => {
                        setHasAskedToDelete(true);
                        setToDelete(conversation);
                      }}
                    />
                  ))}
                </ul>
              </section>
            ))}
            {history.hasMore ? (
              <LoadMore root={nav} onVisible={history.loadMore} isLoading={history.isLoadingMore} />
            ) : null}
            {history.loadError ? (
              <p role="alert" className="px-2 py-2 text-xs text-red-700">
                {history.loadError}{" "}
                <button type="button" className="underline" onClick={() => void history.loadMore()}>
                  Try again
                </button>
              </p>
            ) : null}
          </>
        )}
      </nav>
      <div className="flex gap-1 border-t border-zinc-200 px-2 pt-2">
        {[
          ["/presets", "Presets"],
          ["/usage", "Usage"],
          ["/settings", "Settings"],
          ...(isAdmin ? [["/admin", "Admin"]] : []),
        ].map(([href, label]) => (
          <AppLink
            key={href}
            href={href ?? "/"}
            aria-current={pathname === href ? "page" : undefined}
            className={cn(
              "rounded-lg px-3 py-1.5 text-sm",
              pathname === href ? "bg-zinc-200 font-medium" : "hover:bg-zinc-100",
            )}
          >
            {label}
          </AppLink>
        ))}
      </div>
      <div className="flex items-center justify-between gap-2 px-4 py-3">
        <span className="truncate text-sm text-zinc-600" title={userLabel}>
          {userLabel}
        </span>
        <ThemeSwitch className="ml-auto rounded-md border border-zinc-300 bg-white px-1.5 py-1 text-xs text-zinc-700" />
        <form action={signOutAction}>
          <Button type="submit" variant="ghost" className="px-2 py-1 whitespace-nowrap">
            Sign out
          </Button>
        </form>
      </div>
      {hasAskedToDelete ? (
        <Suspense fallback={null}>
          <ConfirmDialog
            isOpen={toDelete !== null}
            title={`Delete “${toDelete?.title ?? ""}”?`}
            description="The conversation and its messages are deleted; what they cost stays in your usage. You can undo for a few seconds."
            confirmLabel="Delete"
            onConfirm={confirmDelete}
            onCancel={() => setToDelete(null)}
          />
        </Suspense>
      ) : null}
      {history.undoable ? (
        <div
          role="status"
          className="fixed bottom-28 left-4 z-50 flex max-w-sm items-center gap-3 rounded-lg bg-zinc-900 px-4 py-2.5 text-sm text-white shadow-lg"
        >
          <span className="truncate">Deleted “{history.undoable.title}”.</span>
          <button type="button" onClick={history.undo} className="font-semibold text-emerald-300 hover:underline">
            Undo
          </button>
        </div>
      ) : history.notice ? (
        <div
          role="alert"
          className="fixed bottom-28 left-4 z-50 max-w-sm rounded-lg bg-red-700 px-4 py-2.5 text-sm text-white shadow-lg"
        >
          {history.notice}
        </div>
      ) : null}
    </aside>
  );
}

/** Loads the next page when the end of the list scrolls into view (and again while it stays in view). */
function LoadMore({
  root,
  onVisible,
  isLoading,
}: {
  root: RefObject<HTMLElement | null>;
  onVisible: () => void;
  isLoading: boolean;
}) {
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = sentinel.current;
    if (!element) return;
    // A new observer (after each page, since onVisible changes with the cursor) reports at once if still in view.
    const observer = new IntersectionObserver(
      (entries) => entries.some((entry) => entry.isIntersecting) && onVisible(),
      {
        root: root.current,
        rootMargin: "0px 0px 200px 0px",
      },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [root, onVisible]);
  return (
    <div ref={sentinel} role="status" className="min-h-6 px-3 py-1 text-xs text-zinc-500">
      {isLoading ? "Loading more…" : ""}
    </div>
  );
}
