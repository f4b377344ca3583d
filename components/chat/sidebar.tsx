"use client";

import { usePathname, useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { lazy, type RefObject, Suspense, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { LocaleSwitch } from "@/components/i18n/locale-switch";
import { Button } from "@/components/ui/button";
import { ThemeSwitch } from "@/components/ui/theme-switch";
import { cn } from "@/lib/utils";
import { AppLink } from "./app-link";
import { ConversationRow } from "./conversation-row";
import { type ConversationItem, type ConversationPage, groupConversations } from "./history";
import { SearchBox } from "./search-box";
import { TOUCH_TARGET } from "./touch";
import { useConversationList } from "./use-conversation-list";
import { useDrawer } from "./use-drawer";

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

/**
 * The conversations, search, the app's pages and the account. From 1024 px a column beside the page; narrower, a
 * drawer (a modal dialog) that the top bar's menu button opens (use-drawer.ts: Esc, the backdrop and following a link
 * close it, focus goes in and comes back).
 */
/** The language and theme switches, side by side under the account. */
const SWITCH_CLASS =
  "min-w-0 flex-1 rounded-lg border border-zinc-300 bg-white px-2 py-1.5 text-sm text-zinc-700 hover:bg-zinc-100";

export function Sidebar({ firstPage, userLabel, isAdmin, signOutAction }: Props) {
  const t = useTranslations("sidebar");
  const format = useFormatter();
  const pathname = usePathname();
  const router = useRouter();
  const drawer = useDrawer(pathname);
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

  const now = isInBrowser ? new Date() : null;
  const groups = now
    ? groupConversations(history.conversations, now)
    : [{ label: null, conversations: history.conversations }];

  return (
    <>
      {/* Below 1024 px: the top bar, with the menu that opens the sidebar as a drawer. */}
      <div className="flex shrink-0 items-center gap-2 border-b border-zinc-200 bg-zinc-50 px-2 py-1 lg:hidden">
        <button
          ref={drawer.opener}
          type="button"
          aria-label={t("openMenu")}
          aria-haspopup="dialog"
          aria-expanded={drawer.isOpen}
          aria-controls="sidebar"
          onClick={drawer.open}
          className={cn(
            "inline-flex items-center justify-center rounded-lg text-zinc-700 hover:bg-zinc-200",
            TOUCH_TARGET,
          )}
        >
          <MenuIcon />
        </button>
        <span className="text-sm font-semibold tracking-wide text-emerald-700">ChatLedger</span>
        <a
          href="/"
          className={cn(
            "ml-auto inline-flex items-center rounded-lg border border-zinc-300 bg-white px-3 text-sm font-medium hover:bg-zinc-100",
            TOUCH_TARGET,
          )}
        >
          {t("newChat")}
        </a>
      </div>
      {drawer.isOpen ? (
        <div aria-hidden="true" className="fixed inset-0 z-40 bg-black/30 lg:hidden" onClick={drawer.close} />
      ) : null}
      <aside
        ref={drawer.panel}
        id="sidebar"
        {...(drawer.isModal ? { role: "dialog", "aria-modal": true, "aria-label": t("menu") } : {})}
        onKeyDown={drawer.onKeyDown}
        onClick={drawer.onClick}
        className={cn(
          "flex w-72 shrink-0 flex-col border-r border-zinc-200 bg-zinc-50",
          // The drawer: off screen (and out of the tab order) until opened.
          "max-lg:fixed max-lg:inset-y-0 max-lg:left-0 max-lg:z-50 max-lg:max-w-[85vw] max-lg:shadow-xl",
          "max-lg:transition-transform motion-reduce:transition-none",
          drawer.isOpen ? "max-lg:translate-x-0" : "max-lg:invisible max-lg:-translate-x-full",
        )}
      >
        <div className="flex items-center justify-between gap-2 px-4 pt-4 pb-2 max-lg:pt-2">
          <span className="text-sm font-semibold tracking-wide text-emerald-700">ChatLedger</span>
          {/* A full load: a fresh page mints a fresh conversation id and resets the chat state. */}
          <a
            href="/"
            className={cn(
              "ml-auto inline-flex items-center rounded-lg border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-100",
              TOUCH_TARGET,
            )}
          >
            {t("newChat")}
          </a>
          <button
            type="button"
            aria-label={t("closeMenu")}
            onClick={drawer.close}
            className={cn(
              "inline-flex items-center justify-center rounded-lg text-xl text-zinc-600 hover:bg-zinc-200 lg:hidden",
              TOUCH_TARGET,
            )}
          >
            <span aria-hidden="true">×</span>
          </button>
        </div>
        <div className="px-3 pt-1 pb-1">
          <SearchBox ref={searchBox} value={query} onChange={setQuery} onFocus={preloadSearch} />
        </div>
        <nav ref={nav} aria-label={t("conversations")} className="flex-1 overflow-y-auto px-2 py-2">
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
          ) : history.conversations.length === 0 && !history.hasMore ? (
            <p className="px-2 py-4 text-sm text-zinc-500">{t("empty")}</p>
          ) : (
            <>
              {groups.map((group) => (
                <section
                  key={group.label ?? "all"}
                  aria-label={group.label ? t(`groups.${group.label}`) : undefined}
                  className="pb-2"
                >
                  {group.label ? (
                    <h2 className="px-3 pt-2 pb-1 text-xs font-medium text-zinc-500">{t(`groups.${group.label}`)}</h2>
                  ) : null}
                  <ul className="flex flex-col gap-0.5">
                    {group.conversations.map((conversation) => (
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
                    {t("tryAgain")}
                  </button>
                </p>
              ) : null}
            </>
          )}
        </nav>
        <div className="flex flex-wrap gap-1 border-t border-zinc-200 px-2 pt-2">
          {[
            ["/presets", t("presets")],
            ["/usage", t("usage")],
            ["/settings", t("settings")],
            ...(isAdmin ? [["/admin", t("admin")]] : []),
          ].map(([href, label]) => (
            <AppLink
              key={href}
              href={href ?? "/"}
              aria-current={pathname === href ? "page" : undefined}
              className={cn(
                "inline-flex items-center rounded-lg px-3 py-1.5 text-sm",
                TOUCH_TARGET,
                pathname === href ? "bg-zinc-200 font-medium" : "hover:bg-zinc-100",
              )}
            >
              {label}
            </AppLink>
          ))}
        </div>
        <div className="flex items-center justify-between gap-2 px-4 pt-3 pb-1">
          <span className="min-w-0 truncate text-sm text-zinc-600" title={userLabel}>
            {userLabel}
          </span>
          <form action={signOutAction}>
            <Button type="submit" variant="ghost" className={cn("px-2 py-1 whitespace-nowrap", TOUCH_TARGET)}>
              {t("signOut")}
            </Button>
          </form>
        </div>
        <div className="flex gap-2 px-4 pb-3">
          <LocaleSwitch className={cn(SWITCH_CLASS, TOUCH_TARGET)} />
          <ThemeSwitch className={cn(SWITCH_CLASS, TOUCH_TARGET)} />
        </div>
      </aside>
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
    </>
  );
}

function MenuIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="M4 6h16M4 12h16M4 18h16" />
    </svg>
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
