import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import { THEME_SCRIPT } from "@/components/ui/theme-script";
import { APP_NAME, pageTitle } from "@/lib/page-title";
import { isHttpsRequest, NONCE_HEADER } from "@/lib/security/headers";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("app");
  const request = await headers();
  const host = request.get("host");
  return {
    // Where the social preview's address starts: this server as the visitor reached it.
    metadataBase: host ? new URL(`${isHttpsRequest(request) ? "https" : "http"}://${host}`) : undefined,
    title: { default: APP_NAME, template: pageTitle("%s") },
    description: t("description"),
    // Installable: "Add to Home Screen" opens the chat full screen (public/manifest.webmanifest, icons by scripts/icons.ts).
    manifest: "/manifest.webmanifest",
    appleWebApp: { capable: true, title: APP_NAME, statusBarStyle: "default" },
    icons: { apple: "/icons/apple-touch-icon.png" },
    // What a shared link unfurls into (public/og.png, drawn by scripts/icons.ts).
    openGraph: {
      type: "website",
      siteName: APP_NAME,
      title: APP_NAME,
      description: t("description"),
      images: [{ url: "/og.png", width: 1200, height: 630, alt: APP_NAME }],
    },
    twitter: { card: "summary_large_image", title: APP_NAME, description: t("description"), images: ["/og.png"] },
  };
}

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  // The on-screen keyboard shrinks the page instead of covering the composer.
  interactiveWidget: "resizes-content",
  // The browser's bar in the page's background colour (app/globals.css: white, and --color-white under .dark).
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#18181b" },
  ],
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  // The Content-Security-Policy's nonce for this response (proxy.ts): the theme's script before the first paint needs it.
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    // The theme's script sets its class on <html> before React hydrates it: the attribute differs by design.
    <html lang={locale} suppressHydrationWarning>
      <body className="bg-white font-sans text-zinc-900 antialiased">
        {/* Light, dark or the system's, before the first paint (components/ui/theme-script.ts). Browsers hide a nonce from the
            DOM once read, so the hydrated attribute differs. */}
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: our own constant source, no user input. */}
        <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
        {/* Client components read their messages from here (next-intl passes the locale's messages down). */}
        <NextIntlClientProvider>{children}</NextIntlClientProvider>
      </body>
    </html>
  );
}
