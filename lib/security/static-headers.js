// The fixed security headers, in plain JavaScript: next.config.js loads this file with Node's own `require`, before
// any TypeScript or alias exists. Typed by JSDoc and checked with the rest (tsconfig `checkJs`); lib/security/headers.ts
// re-exports it beside the page policy, which proxy.ts sends with a nonce of its own per request.

/** HSTS for two years, once a response came over HTTPS (a browser ignores it over HTTP anyway). */
const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/**
 * Sent with every response. The microphone is the app's own (voice input); nothing else the browser could hand a
 * page is used. Shared conversations override the referrer policy with `no-referrer` (next.config.js).
 * @type {readonly { key: string; value: string }[]}
 */
const COMMON_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  {
    key: "Permissions-Policy",
    value:
      "microphone=(self), camera=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=(), midi=(), browsing-topics=()",
  },
];

/**
 * The policy of everything that is not a page: an API answer or a file loads nothing and runs nothing when opened
 * on its own (an uploaded SVG, say), and is framed nowhere. Scripts of Next's own assets keep `'self'`: the token
 * worker's script runs under the policy it is served with and imports its chunks.
 */
const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const ASSET_CONTENT_SECURITY_POLICY =
  "default-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

module.exports = {
  STRICT_TRANSPORT_SECURITY,
  COMMON_HEADERS,
  API_CONTENT_SECURITY_POLICY,
  ASSET_CONTENT_SECURITY_POLICY,
};
