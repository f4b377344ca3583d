"use client";

import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";

/** Where the sidebar stops being a column and becomes a drawer (Tailwind's `lg`, 1024 px). */
const DRAWER_QUERY = "(max-width: 1023.98px)";

function subscribeToWidth(onChange: () => void) {
  const query = window.matchMedia(DRAWER_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

const loadModal = () => import("./drawer-modal");
/** Fetches the open drawer's behaviour ahead of the first opening (a pointer on, or focus of, the menu button). */
export const preloadDrawer = () => void loadModal().catch(() => {});

/**
 * The sidebar as a drawer on narrow screens: a modal dialog while open. Opening moves focus into it and closing gives
 * it back to the menu button; Esc, a tap on the backdrop and following any link in it close it (so does a navigation
 * started elsewhere), and Tab stays inside while it is open (drawer-modal.ts, loaded when it first opens).
 */
export function useDrawer(pathname: string) {
  const [isOpen, setIsOpen] = useState(false);
  const isNarrow = useSyncExternalStore(
    subscribeToWidth,
    () => window.matchMedia(DRAWER_QUERY).matches,
    () => false,
  );
  const opener = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLElement>(null);
  const isModal = isOpen && isNarrow;

  const close = useCallback(() => setIsOpen(false), []);
  const open = useCallback(() => setIsOpen(true), []);

  // A navigation (a link in the drawer, or anywhere) closes it; so does widening the window past the drawer's width.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the page changes.
  useEffect(close, [pathname, close]);
  useEffect(() => {
    if (!isNarrow) setIsOpen(false);
  }, [isNarrow]);

  // While it is open (drawer-modal.ts): focus in, Tab inside, Esc and links close it; closing gives focus back.
  useEffect(() => {
    const element = panel.current;
    if (!isModal || !element) return;
    let release: (() => void) | null = null;
    let isClosed = false;
    void loadModal().then(
      ({ holdModal }) => {
        if (!isClosed) release = holdModal({ panel: element, opener: opener.current, close });
      },
      () => {
        // Without it the drawer still opens and closes (the backdrop, the close button, a navigation).
      },
    );
    return () => {
      isClosed = true;
      release?.();
    };
  }, [isModal, close]);

  return { isOpen: isModal, isModal, open, close, opener, panel };
}
