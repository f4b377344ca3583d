import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

// The interface languages (lib/i18n): next-intl reads each request's locale and messages from lib/i18n/request.ts.
// The messages are compiled at build time (next-intl's `precompile`), so browsers format them with a 1 KiB runtime
// instead of downloading the ICU parser (12 KiB gzip of every page's first load).
const withNextIntl = createNextIntlPlugin({
  requestConfig: "./lib/i18n/request.ts",
  experimental: { messages: { path: "./lib/i18n/messages", format: "json", locales: "infer", precompile: true } },
});

const nextConfig: NextConfig = {
  // Native and driver packages stay outside the server bundle and are loaded by Node at run time.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg"],
  poweredByHeader: false,
  // `npm run bench:js` reads them to say which modules fill each chunk; off by default (they would publish the source).
  productionBrowserSourceMaps: process.env.BROWSER_SOURCE_MAPS === "1",
  async headers() {
    return [
      {
        // Shared conversations (app/share): never indexed, and their address is never sent on to a site a link in
        // a message leads to.
        source: "/share/:id",
        headers: [
          { key: "X-Robots-Tag", value: "noindex, nofollow" },
          { key: "Referrer-Policy", value: "no-referrer" },
        ],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
