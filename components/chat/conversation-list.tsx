"use client";

import { usePathname, useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { lazy, type RefObject, Suspense, useEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { cn } from "@/lib/utils";
import { ConversationGroups } from "./conversation-groups";
import { ConversationRow } from "./conversation-row";
import { conversationChangeCount } from "./events";
import type { ConversationItem, ConversationPage } from "./history";
import { TOUCH_TARGET } from "./touch";
import { useConversationList } from "./use-conversation-list";

// Searching loads with the search box's first focus (sidebar-conversations.tsx), the delete dialog with the first
// Delete.
const SearchResults = lazy(() => import("./conversation-search").then((module) => ({ default: module.SearchResults })));
const ConfirmDialog = lazy(() =>
  import("@/components/ui/confirm-dialog").then((module) => ({ default: module.ConfirmDialog })),
);

type Props = {
  /** The first page of the list, rendered on the server. */
  firstPage: ConversationPage;
  /** What the search box holds: results for it instead of the list while it is not blank. */
  query: string;
  /** The list's scrolling parent, for loading further pages as its end comes into view. */
  nav: RefObject<HTMLElement | null>;
  /** A chat turn changed the list before this loaded: the first page is reloaded at once. */
  isStale: boolean;
};

/**
 * The sidebar's list with everything it does: further pages, search results, rename, pin, delete with Undo, and the
 * list reloaded after a chat turn. Loaded when the page is idle or at the first sign of intent (sidebar-conversations.tsx);
 * the server's rows (sidebar.tsx) stand in for it until then.
 */
export function ConversationList({ firstPage, query, nav, isStale }: Props) {
  const t = useTranslations("sidebar");
  const format = useFormatter();
  const pathname = usePathname();
  const router = useRouter();
  const history = useConversationList(firstPage);
  const [toDelete, setToDelete] = useState<ConversationItem | null>(null);
  // Mounted from the first Delete on, so closing it (not unmounting it) gives focus back where it was.
  const [hasAskedToDelete, setHasAskedToDelete] = useState(false);

  // A turn that changed the list between this render and the listener's effect (useConversationList) is caught here.
  const [changesAtRender] = useState(conversationChangeCount);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on mounting.
  useEffect(() => {
    if (isStale || conversationChangeCount() !== changesAtRender) void history.reload();
  }, []);

  function confirmDelete() {
    const conversation = toDelete;
    setToDelete(null);
    if (!conversation) return;
    history.remove(conversation);
    // A soft navigation keeps this sidebar, and with it the Undo.
    if (pathname === `/c/${conversation.id}`) router.push("/");
  }

  return (
    <>
      {query.trim() ? (
        <Suspense
          fallback={
            <p role="status" className="px-2 py-4 text-sm text-zinc-500">
              {t("searching")}
            </p>
          }
        >
          <SearchResults query={query} hiddenIds={history.hiddenIds} activeHref={pathname} />
        </Suspense>
      ) : (
        <>
          <ConversationGroups
            conversations={history.conversations}
            hasMore={history.hasMore}
            row={(conversation, now) => (
              <ConversationRow
                key={conversation.id}
                conversation={conversation}
                isActive={pathname === `/c/${conversation.id}`}
                lastActive={now ? format.relativeTime(new Date(conversation.updatedAt), now) : undefined}
                onRename={(title) => history.rename(conversation, title)}
                onTogglePin={() => void history.togglePin(conversation)}
                onDelete={() => {
                  setHasAskedToDelete(true);
                  setToDelete(conversation);
                }}
              />
            )}
          />
          {history.hasMore ? (
            <LoadMore root={nav} onVisible={history.loadMore} isLoading={history.isLoadingMore} />
          ) : null}
          {history.loadError ? (
            <p role="alert" className="px-2 py-2 text-xs text-red-700">
              {history.loadError}{" "}
              <button type="button" className="underline" onClick={() => void history.loadMore()}>
                {t("tryAgain")}
              </button>
            </p>
          ) : null}
        </>
      )}
      {/* Outside the sidebar, which is off screen (and transformed) while it is a closed drawer. */}
      {createPortal(
        <>
          {hasAskedToDelete ? (
            <Suspense fallback={null}>
              <ConfirmDialog
                isOpen={toDelete !== null}
                title={t("deleteTitle", { title: toDelete?.title ?? "" })}
                description={t("deleteDescription")}
                confirmLabel={t("delete")}
                onConfirm={confirmDelete}
                onCancel={() => setToDelete(null)}
              />
            </Suspense>
          ) : null}
          {history.undoable ? (
            <div
              role="status"
              className="fixed bottom-28 left-4 z-50 flex max-w-[calc(100vw-2rem)] items-center gap-3 sm:max-w-sm rounded-lg bg-zinc-900 px-4 py-2.5 text-sm text-white shadow-lg"
            >
              <span className="truncate">{t("deleted", { title: history.undoable.title })}</span>
              <button
                type="button"
                onClick={history.undo}
                className={cn("font-semibold text-emerald-300 hover:underline", TOUCH_TARGET)}
              >
                {t("undo")}
              </button>
            </div>
          ) : history.notice ? (
            <div
              role="alert"
              className="fixed bottom-28 left-4 z-50 max-w-[calc(100vw-2rem)] rounded-lg sm:max-w-sm bg-red-700 px-4 py-2.5 text-sm text-white shadow-lg"
            >
              {history.notice}
            </div>
          ) : null}
        </>,
        document.body,
      )}
    </>
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
  const t = useTranslations("sidebar");
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
      {isLoading ? t("loadingMore") : ""}
    </div>
  );
}
