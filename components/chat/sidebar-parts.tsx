"use client";

import { usePathname } from "next/navigation";
import { type ComponentProps, useEffect } from "react";
import { deferred } from "./deferred";
import type { PageLinks } from "./page-links";
import { isSearchPress, SHORTCUT_TARGET } from "./shortcuts";

// The sidebar's interactive parts but the drawer, left out of every page's first load (deferred.tsx): the server's HTML
// of them shows at once, and their code hydrates it once the page has loaded and is idle. What the user does in them
// before then is made again once it has (a click on a row's menu, a search typed, a language picked); a link is
// followed with a full load meanwhile, and Ctrl/⌘+K works from the first load.

const ConversationsPart = deferred(
  () => import("./sidebar-conversations").then((module) => module.SidebarConversations),
  { isInteractive: true },
).Deferred;

/**
 * The search box and the list of conversations (sidebar-conversations.tsx). Ctrl/⌘+K focuses the search box from the
 * first load: what is typed there before the rest has come is searched for once it has.
 */
export function SidebarConversations(props: ComponentProps<typeof ConversationsPart>) {
  useEffect(() => {
    const focusSearch = (event: KeyboardEvent) => {
      if (!isSearchPress(event)) return;
      event.preventDefault();
      const box = document.querySelector<HTMLInputElement>(`[data-shortcut="${SHORTCUT_TARGET.search}"]`);
      box?.focus();
      box?.select();
    };
    window.addEventListener("keydown", focusSearch);
    return () => window.removeEventListener("keydown", focusSearch);
  }, []);
  return <ConversationsPart {...props} />;
}

/** The language and theme switches (sidebar-switches.tsx). */
export const SidebarSwitches = deferred(() => import("./sidebar-switches").then((module) => module.SidebarSwitches), {
  isInteractive: true,
}).Deferred;

const PageLinksPart = deferred(() => import("./page-links").then((module) => module.PageLinks)).Deferred;

/**
 * The links to the app's other pages (page-links.tsx). The page shown is given from here: a navigation before their
 * code has come renders them anew.
 */
export function SidebarLinks(props: Omit<ComponentProps<typeof PageLinks>, "pathname">) {
  return <PageLinksPart {...props} pathname={usePathname()} />;
}
