"use client";

import { useSyncExternalStore } from "react";
import { Toaster as SonnerToaster } from "sonner";
import { subscribeToTheme } from "./theme";

const isDark = () => document.documentElement.classList.contains("dark");

/**
 * Toasts in the page's theme (the class components/ui/theme.ts sets on <html>: "system" resolved to light or dark).
 * Rendered by the pages that toast (settings, presets, admin), not around every page: the chat page never toasts, and
 * sonner is 10 KiB of its first load otherwise (docs/architecture.md, "The browser's JavaScript").
 */
export function Toaster() {
  const isDarkTheme = useSyncExternalStore(subscribeToTheme, isDark, () => false);
  return <SonnerToaster theme={isDarkTheme ? "dark" : "light"} position="top-center" closeButton />;
}
