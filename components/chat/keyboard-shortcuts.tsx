"use client";

import { lazy, Suspense, useEffect, useState } from "react";
import { SHORTCUT_TARGET, shortcutFor } from "./shortcuts";

// The list opens on `?`: loaded then, not with the page.
const ShortcutsDialog = lazy(() =>
  import("./shortcuts-dialog").then((module) => ({ default: module.ShortcutsDialog })),
);

function isTypingIn(element: Element | null): boolean {
  if (!(element instanceof HTMLElement)) return false;
  if (element.isContentEditable || element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement)
    return true;
  // Checkboxes, radios and buttons take no text: `/` and `?` stay shortcuts there.
  return (
    element instanceof HTMLInputElement && !["checkbox", "radio", "button", "submit", "reset"].includes(element.type)
  );
}

/**
 * The chat's keyboard shortcuts (docs/accessibility.md), on every page of the signed-in layout: focus the composer,
 * stop the reply, and `?` for the list; a new chat is shortcut-parts.tsx's, which renders this once the page is idle. Ctrl/⌘+K (focus search) belongs to the sidebar's search box. The
 * composer and the Stop button are found by their `data-shortcut` attribute, so this module needs nothing from the
 * chat's state.
 */
export function KeyboardShortcuts() {
  const [isHelpOpen, setIsHelpOpen] = useState(false);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.isComposing) return;
      const stop = document.querySelector<HTMLButtonElement>(`[data-shortcut="${SHORTCUT_TARGET.stop}"]`);
      const shortcut = shortcutFor(event, {
        isTyping: isTypingIn(document.activeElement),
        isStreaming: stop !== null,
        isOverlayOpen: document.querySelector('dialog[open], [role="menu"], [aria-modal="true"]') !== null,
        wasHandled: event.defaultPrevented,
      });
      // A new chat's keys are the first load's (shortcut-parts.tsx).
      if (!shortcut || shortcut === "newChat") return;
      event.preventDefault();
      if (shortcut === "focusComposer") {
        document.querySelector<HTMLTextAreaElement>(`[data-shortcut="${SHORTCUT_TARGET.composer}"]`)?.focus();
      } else if (shortcut === "stop") {
        stop?.click();
      } else {
        setIsHelpOpen(true);
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  return isHelpOpen ? (
    <Suspense fallback={null}>
      <ShortcutsDialog onClose={() => setIsHelpOpen(false)} />
    </Suspense>
  ) : null;
}
