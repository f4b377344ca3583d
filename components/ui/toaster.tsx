"use client";

import { useTheme } from "next-themes";
import { Toaster as SonnerToaster } from "sonner";

/**
 * Toasts in the page's theme (next-themes resolves "system" to light or dark). Rendered by the pages that toast
 * (settings, presets, admin), not around every page: the chat page never toasts, and sonner is 10 KiB of its
 * first load otherwise (docs/architecture.md, "The browser's JavaScript").
 */
export function Toaster() {
  const { resolvedTheme } = useTheme();
  return <SonnerToaster theme={resolvedTheme === "dark" ? "dark" : "light"} position="top-center" closeButton />;
}
