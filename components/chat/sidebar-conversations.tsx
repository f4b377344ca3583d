"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type ReactNode, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { CONVERSATIONS_CHANGED, conversationsChangedSinceLoad } from "./events";
import type { ConversationPage } from "./history";
import { SearchBox } from "./search-box";
import { whenLoadedAndIdle } from "./when-idle";

// The list's code (pages, search, rename, pin, delete, reloading after a turn) is not needed for the first paint: it
// loads when the page is idle, or sooner at the first sign of intent (the pointer or focus in the list, the search
// box, a finished turn). Until then the server's rows (sidebar.tsx) show the first page, without the day groups that
// need the browser's clock (as before hydration), and a click or double-click on them is made again once it has loaded.
const loadList = () => import("./conversation-list");
type List = Awaited<ReturnType<typeof loadList>>["ConversationList"];

/** What to do again once the list's code has taken over the rows: focus (and click) what had it. */
type Handover = { selector: string; event: "click" | "dblclick" | null };

function selectorFor(element: Element): string | null {
  const href = element.getAttribute("href");
  if (href) return `a[href="${CSS.escape(href)}"]`;
  const label = element.getAttribute("aria-label");
  return label ? `button[aria-label="${CSS.escape(label)}"]` : null;
}

type Props = {
  /** The first page of the list. */
  firstPage: ConversationPage;
  /** The same page rendered on the server, shown until the list's code has loaded. */
  list: ReactNode;
};

/** A plain left click: the others (new tab, new window, download) are the browser's to handle. */
function isPlainClick(event: React.MouseEvent): boolean {
  return event.button === 0 && !(event.metaKey || event.ctrlKey || event.shiftKey || event.altKey);
}

/** The search box and the list of conversations below it (Ctrl/⌘+K focuses the search box: sidebar-parts.tsx). */
export function SidebarConversations({ firstPage, list }: Props) {
  const t = useTranslations("sidebar");
  const router = useRouter();
  const [query, setQuery] = useState("");
  const [ConversationList, setConversationList] = useState<List | null>(null);
  const nav = useRef<HTMLElement>(null);
  const isStale = useRef(false);
  const handover = useRef<Handover | null>(null);
  const isLoading = useRef(false);

  /** Loads the list's code and hands the rows over to it; `made` is a click on a row before then, made again after. */
  const showList = useCallback((made?: { target: Element; event: "click" | "dblclick" }) => {
    const selector = made ? selectorFor(made.target) : null;
    if (made && selector) handover.current = { selector, event: made.event };
    if (isLoading.current) return;
    isLoading.current = true;
    loadList().then(
      (module) => {
        const active = document.activeElement;
        const focused = active && nav.current?.contains(active) ? selectorFor(active) : null;
        if (focused && !handover.current) handover.current = { selector: focused, event: null };
        setConversationList(() => module.ConversationList);
      },
      () => {
        // The next sign of intent tries again.
        isLoading.current = false;
      },
    );
  }, []);

  useEffect(() => whenLoadedAndIdle(() => showList()), [showList]);

  // A turn finished before the list's code loaded: it loads now and reloads the first page.
  useEffect(() => {
    if (ConversationList) return;
    const onChange = () => {
      isStale.current = true;
      showList();
    };
    window.addEventListener(CONVERSATIONS_CHANGED, onChange);
    // This part hydrates once the page is idle (sidebar-parts.tsx): a turn may have finished before.
    if (conversationsChangedSinceLoad()) onChange();
    return () => window.removeEventListener(CONVERSATIONS_CHANGED, onChange);
  }, [ConversationList, showList]);

  // The rows were replaced: focus goes back to the same row's link or button, and a click made meanwhile is made again.
  useLayoutEffect(() => {
    const pending = handover.current;
    if (!ConversationList || !pending) return;
    handover.current = null;
    const element = nav.current?.querySelector<HTMLElement>(pending.selector);
    if (!element) return;
    element.focus();
    if (pending.event) element.dispatchEvent(new MouseEvent(pending.event, { bubbles: true, cancelable: true }));
  }, [ConversationList]);

  return (
    <>
      <div className="px-3 pt-1 pb-1">
        <SearchBox
          value={query}
          onChange={setQuery}
          onFocus={() => {
            showList();
            void import("./conversation-search").catch(() => {
              // Typing a search loads it again (and React reports it if that fails too).
            });
          }}
        />
      </div>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: the clicks are on the links and buttons inside, which the keyboard clicks too. */}
      <nav
        ref={nav}
        aria-label={t("conversations")}
        className="flex-1 overflow-y-auto px-2 py-2"
        onPointerEnter={() => showList()}
        onFocus={() => showList()}
        // While the server's rows are shown: a link is followed without a full load (as app-link.tsx does), and a click
        // on a row's ⋯ or a double-click on its link (rename) waits for the list's code.
        onClick={(event) => {
          if (ConversationList || event.defaultPrevented) return;
          const target = event.target as Element;
          const menuButton = target.closest("button[aria-haspopup]");
          if (menuButton) return showList({ target: menuButton, event: "click" });
          const link = target.closest("a[href]");
          if (!link || !isPlainClick(event)) return;
          event.preventDefault();
          router.push(link.getAttribute("href") ?? "/");
        }}
        onDoubleClick={(event) => {
          const link = (event.target as Element).closest("a[href]");
          if (ConversationList || !link) return;
          event.preventDefault();
          showList({ target: link, event: "dblclick" });
        }}
      >
        {ConversationList ? (
          <ConversationList firstPage={firstPage} query={query} nav={nav} isStale={isStale.current} />
        ) : query.trim() ? (
          <p role="status" className="px-2 py-4 text-sm text-zinc-500">
            {t("searching")}
          </p>
        ) : (
          list
        )}
      </nav>
    </>
  );
}
