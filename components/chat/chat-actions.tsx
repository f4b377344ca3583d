"use client";

import { useTranslations } from "next-intl";
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { TOUCH_TARGET } from "./touch";

// Opened on demand: loaded on the first click, not with the page.
const ShareDialog = lazy(() => import("./share-dialog").then((module) => ({ default: module.ShareDialog })));

const EXPORT_FORMATS = ["md", "json"] as const;

/** The chat header's actions on a stored conversation: export it (a small menu) and share it (a dialog). */
export function ChatActions({ conversationId }: { conversationId: string }) {
  const t = useTranslations("chat");
  const [isMenuOpen, setIsMenuOpen] = useState(false);
  const [isSharing, setIsSharing] = useState(false);
  const menu = useRef<HTMLDivElement>(null);

  // The menu closes on Escape and on a click anywhere else.
  useEffect(() => {
    if (!isMenuOpen) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !menu.current?.contains(event.target as Node)) {
        setIsMenuOpen(false);
      }
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [isMenuOpen]);

  const exportUrl = (format: string) =>
    `/api/conversations/${encodeURIComponent(conversationId)}/export?format=${format}`;

  return (
    <div className="ml-auto flex shrink-0 items-center gap-1">
      <div ref={menu} className="relative">
        <Button
          variant="ghost"
          className={cn("px-2 py-1", TOUCH_TARGET)}
          aria-haspopup="menu"
          aria-expanded={isMenuOpen}
          onClick={() => setIsMenuOpen((open) => !open)}
        >
          {t("export")} <span aria-hidden="true">▾</span>
        </Button>
        {isMenuOpen ? (
          <div
            role="menu"
            aria-label={t("exportMenu")}
            className="absolute right-0 z-20 mt-1 w-64 max-w-[calc(100vw-1rem)] rounded-lg border border-zinc-200 bg-white py-1 shadow-lg"
          >
            {EXPORT_FORMATS.map((format) => (
              <a
                key={format}
                role="menuitem"
                href={exportUrl(format)}
                download
                // Closed after the click has started the download, not while it is being handled.
                onClick={() => setTimeout(() => setIsMenuOpen(false))}
                className="block px-3 py-2 text-sm text-zinc-800 hover:bg-zinc-100 max-lg:py-3"
              >
                {t(`exportFormats.${format}`)}
              </a>
            ))}
          </div>
        ) : null}
      </div>
      <Button
        variant="ghost"
        className={cn("px-2 py-1", TOUCH_TARGET)}
        aria-haspopup="dialog"
        onClick={() => setIsSharing(true)}
      >
        {t("share")}
      </Button>
      {isSharing ? (
        <Suspense fallback={null}>
          <ShareDialog conversationId={conversationId} onClose={() => setIsSharing(false)} />
        </Suspense>
      ) : null}
    </div>
  );
}
