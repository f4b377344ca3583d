"use client";

import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";

/** Where the sidebar stops being a column and becomes a drawer (Tailwind's `lg`, 1024 px). */
const DRAWER_QUERY = "(max-width: 1023.98px)";

function subscribeToWidth(onChange: () => void) {
  const query = window.matchMedia(DRAWER_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex="0"]';

/**
 * The sidebar as a drawer on narrow screens: a modal dialog while open. Opening moves focus into it and closing gives
 * it back to the menu button; Esc, a tap on the backdrop and following any link in it close it (so does a navigation
 * started elsewhere), and Tab stays inside while it is open.
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

  const wasOpen = useRef(false);
  useEffect(() => {
    if (isModal) {
      wasOpen.current = true;
      // After the transition has started, the panel is visible, so it can take focus.
      panel.current?.querySelector<HTMLElement>(FOCUSABLE)?.focus();
    } else if (wasOpen.current) {
      wasOpen.current = false;
      const active = document.activeElement;
      // Focus goes back to the menu button unless the user has moved it somewhere meaningful outside.
      if (!active || active === document.body || panel.current?.contains(active)) opener.current?.focus();
    }
  }, [isModal]);

  // Esc anywhere closes it (focus may have left it for the page, a blurred field), unless something inside used the
  // key (a menu, the search box clearing itself) or a dialog opened above it has it.
  useEffect(() => {
    if (!isModal) return;
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented || (event.target as Element | null)?.closest?.("dialog"))
        return;
      event.preventDefault();
      close();
    };
    document.addEventListener("keydown", closeOnEscape);
    return () => document.removeEventListener("keydown", closeOnEscape);
  }, [isModal, close]);

  function onKeyDown(event: React.KeyboardEvent<HTMLElement>) {
    if (!isModal || event.key !== "Tab" || !panel.current) return;
    const items = [...panel.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (item) => item.offsetParent !== null,
    );
    const first = items[0];
    const last = items.at(-1);
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  }

  /** A link followed in the drawer closes it, also when it leads to the page already shown. */
  function onClick(event: React.MouseEvent<HTMLElement>) {
    if (isModal && (event.target as Element).closest("a[href]")) close();
  }

  return { isOpen: isModal, isModal, open, close, opener, panel, onKeyDown, onClick };
}
