// Next's configuration. Plain JavaScript (the project's layout names next.config.js), typed by JSDoc and checked by
// `npm run typecheck` (tsconfig `checkJs`). It loads before TypeScript or the `@/` alias exist: what it imports is
// JavaScript (lib/security/static-headers.js) or a package.
const createNextIntlPlugin = require("next-intl/plugin");
const {
  API_CONTENT_SECURITY_POLICY,
  ASSET_CONTENT_SECURITY_POLICY,
  COMMON_HEADERS,
  STRICT_TRANSPORT_SECURITY,
} = require("./lib/security/static-headers");

// The interface languages (lib/i18n): next-intl reads each request's locale and messages from lib/i18n/request.ts.
// The messages are compiled at build time (next-intl's `precompile`), so browsers format them with a 1 KiB runtime
// instead of downloading the ICU parser (12 KiB gzip of every page's first load).
const withNextIntl = createNextIntlPlugin({
  requestConfig: "./lib/i18n/request.ts",
  experimental: { messages: { path: "./lib/i18n/messages", format: "json", locales: "infer", precompile: true } },
});

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and driver packages stay outside the server bundle and are loaded by Node at run time.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg"],
  poweredByHeader: false,
  // `npm run bench:js` reads them to say which modules fill each chunk; off by default (they would publish the source).
  productionBrowserSourceMaps: process.env.BROWSER_SOURCE_MAPS === "1",
  async headers() {
    // Pages get their policy (with a nonce) and HSTS from proxy.ts; everything else gets them here, where they cost
    // no code per request. Later entries win where two set the same header.
    const notPages = [
      "/api/:path*",
      "/_next/:path*",
      "/icons/:path*",
      "/icon.svg",
      "/favicon.ico",
      "/manifest.webmanifest",
      "/og.png",
      "/robots.txt",
    ];
    /** @type {{ type: "header"; key: string; value: string }[]} */
    const overHttps = [{ type: "header", key: "x-forwarded-proto", value: "https(,.*)?" }];
    return [
      { source: "/:path*", headers: [...COMMON_HEADERS] },
      ...notPages.map((source) => ({
        source,
        headers: [
          {
            key: "Content-Security-Policy",
            value: source === "/api/:path*" ? API_CONTENT_SECURITY_POLICY : ASSET_CONTENT_SECURITY_POLICY,
          },
        ],
      })),
      ...notPages.map((source) => ({
        source,
        has: overHttps,
        headers: [{ key: "Strict-Transport-Security", value: STRICT_TRANSPORT_SECURITY }],
      })),
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

module.exports = withNextIntl(nextConfig);
