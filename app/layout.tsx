import type { Metadata, Viewport } from "next";
import { APP_NAME, pageTitle } from "@/lib/page-title";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: APP_NAME, template: pageTitle("%s") },
  description: "Chat with OpenAI models and see exactly what every message costs.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="bg-white font-sans text-zinc-900 antialiased">{children}</body>
    </html>
  );
}
