"use client";

import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";

// Opened on demand: loaded on the first click, not with the page.
const ShareDialog = lazy(() => import("./share-dialog").then((module) => ({ default: module.ShareDialog })));

const EXPORT_FORMATS = [
  { format: "md", label: "Markdown (.md)" },
  { format: "json", label: "JSON, with tokens and costs (.json)" },
] as const;

/** The chat header's actions on a stored conversation: export it (a small menu) and share it (a dialog). */
export function ChatActions({ conversationId }: { conversationId: string }) {
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
          className="px-2 py-1"
          aria-haspopup="menu"
          aria-expanded={isMenuOpen}
          onClick={() => setIsMenuOpen((open) => !open)}
        >
          Export <span aria-hidden="true">▾</span>
        </Button>
        {isMenuOpen ? (
          <div
            role="menu"
            aria-label="Export conversation"
            className="absolute right-0 z-20 mt-1 w-64 rounded-lg border border-zinc-200 bg-white py-1 shadow-lg"
          >
            {EXPORT_FORMATS.map(({ format, label }) => (
              <a
                key={format}
                role="menuitem"
                href={exportUrl(format)}
                download
                // Closed after the click has started the download, not while it is being handled.
                onClick={() => setTimeout(() => setIsMenuOpen(false))}
                className="block px-3 py-2 text-sm text-zinc-800 hover:bg-zinc-100"
              >
                {label}
              </a>
            ))}
          </div>
        ) : null}
      </div>
      <Button variant="ghost" className="px-2 py-1" aria-haspopup="dialog" onClick={() => setIsSharing(true)}>
        Share
      </Button>
      {isSharing ? (
        <Suspense fallback={null}>
          <ShareDialog conversationId={conversationId} onClose={() => setIsSharing(false)} />
        </Suspense>
      ) : null}
    </div>
  );
}
