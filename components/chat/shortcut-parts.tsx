"use client";

import { useEffect } from "react";
import { deferred } from "./deferred";
import { isNewChatPress } from "./shortcuts";

const Shortcuts = deferred(() => import("./keyboard-shortcuts").then((module) => module.KeyboardShortcuts)).Deferred;

/**
 * The chat's keyboard shortcuts (docs/accessibility.md). Ctrl/⌘+Shift+O (a new chat) works from the first load: the
 * browser has a use of its own for it (Chrome's bookmarks) to be kept from. The others (keyboard-shortcuts.tsx) come
 * once the page has loaded and is idle, left out of its first load.
 */
export function KeyboardShortcuts() {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.isComposing || !isNewChatPress(event)) return;
      event.preventDefault();
      // A full load, as the sidebar's New chat: a fresh page mints a fresh conversation id.
      window.location.assign("/");
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
  return <Shortcuts />;
}
