"use client";

import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { cn } from "@/lib/utils";
import { TOUCH_TARGET } from "./touch";
import { preloadDrawer, useDrawer } from "./use-drawer";

type Props = {
  /** Beside the menu button in the top bar (below 1024 px). */
  topBar: ReactNode;
  /** The sidebar's first line, before its close button (which shows only in the drawer). */
  header: ReactNode;
  children: ReactNode;
};

/**
 * The sidebar's frame: from 1024 px a column beside the page; narrower, a drawer (a modal dialog) that the top bar's
 * menu button opens (use-drawer.ts: Esc, the backdrop and following a link close it, focus goes in and comes back).
 * What it holds is rendered on the server (sidebar.tsx).
 */
export function SidebarDrawer({ topBar, header, children }: Props) {
  const t = useTranslations("sidebar");
  const drawer = useDrawer(usePathname());
  return (
    <>
      <div className="flex shrink-0 items-center gap-2 border-b border-zinc-200 bg-zinc-50 px-2 py-1 lg:hidden">
        <button
          ref={drawer.opener}
          type="button"
          aria-label={t("openMenu")}
          aria-haspopup="dialog"
          aria-expanded={drawer.isOpen}
          aria-controls="sidebar"
          onClick={drawer.open}
          onPointerEnter={preloadDrawer}
          onFocus={preloadDrawer}
          className={cn(
            "inline-flex items-center justify-center rounded-lg text-zinc-700 hover:bg-zinc-200",
            TOUCH_TARGET,
          )}
        >
          <svg
            aria-hidden="true"
            viewBox="0 0 24 24"
            className="size-5"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
          >
            <path d="M4 6h16M4 12h16M4 18h16" />
          </svg>
        </button>
        {topBar}
      </div>
      {drawer.isOpen ? (
        <div aria-hidden="true" className="fixed inset-0 z-40 bg-black/30 lg:hidden" onClick={drawer.close} />
      ) : null}
      <aside
        ref={drawer.panel}
        id="sidebar"
        {...(drawer.isModal ? { role: "dialog", "aria-modal": true, "aria-label": t("menu") } : {})}
        className={cn(
          "flex w-72 shrink-0 flex-col border-r border-zinc-200 bg-zinc-50",
          // The drawer: off screen (and out of the tab order) until opened.
          "max-lg:fixed max-lg:inset-y-0 max-lg:left-0 max-lg:z-50 max-lg:max-w-[85vw] max-lg:shadow-xl",
          "max-lg:transition-transform motion-reduce:transition-none",
          drawer.isOpen ? "max-lg:translate-x-0" : "max-lg:invisible max-lg:-translate-x-full",
        )}
      >
        <div className="flex items-center justify-between gap-2 px-4 pt-4 pb-2 max-lg:pt-2">
          {header}
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
        {children}
      </aside>
    </>
  );
}
