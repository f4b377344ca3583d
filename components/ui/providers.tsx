"use client";

import { ThemeProvider } from "next-themes";

/**
 * What every page has around it: the theme (light, dark or the system's; next-themes sets the `dark` class on <html>
 * from a script that runs before the first paint, so the wrong theme never flashes; `nonce` lets it run under the page's
 * Content-Security-Policy). Toasts are the pages' own (components/ui/toaster.tsx).
 */
export function Providers({ children, nonce }: { children: React.ReactNode; nonce?: string }) {
  return (
    <ThemeProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange nonce={nonce}>
      {children}
    </ThemeProvider>
  );
}
