"use client";

import { ThemeProvider, useTheme } from "next-themes";
import { Toaster } from "sonner";

/** Toasts in the page's theme (next-themes resolves "system" to light or dark). */
function ThemedToaster() {
  const { resolvedTheme } = useTheme();
  return <Toaster theme={resolvedTheme === "dark" ? "dark" : "light"} position="top-center" closeButton />;
}

/**
 * What every page has around it: the theme (light, dark or the system's; next-themes sets the `dark` class on <html>
 * from a script that runs before the first paint, so the wrong theme never flashes; `nonce` lets it run under the page's
 * Content-Security-Policy) and the toasts.
 */
export function Providers({ children, nonce }: { children: React.ReactNode; nonce?: string }) {
  return (
    <ThemeProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange nonce={nonce}>
      {children}
      <ThemedToaster />
    </ThemeProvider>
  );
}
