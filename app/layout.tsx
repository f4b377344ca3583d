import type { Metadata, Viewport } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "ChatLedger", template: "%s · ChatLedger" },
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
