// The security headers of every response, in one place: next.config.js sends the fixed ones (static-headers.js: API
// routes and assets never run proxy.ts, which keeps a chat turn's path short), proxy.ts the page policy with its
// per-request nonce.

/** The request header proxy.ts hands a page's script nonce to server components in (app/layout.tsx). */
export const NONCE_HEADER = "x-nonce";

export {
  API_CONTENT_SECURITY_POLICY,
  ASSET_CONTENT_SECURITY_POLICY,
  COMMON_HEADERS,
  STRICT_TRANSPORT_SECURITY,
} from "./static-headers";

/**
 * Where a sign-in form may lead: OAuth buttons submit to the app, which redirects to the provider, and Chromium
 * applies `form-action` to that redirect when the form is submitted before the page's script has loaded.
 */
const OAUTH_AUTHORIZATION_ORIGINS: readonly { idVariable: string; origin: string }[] = [
  { idVariable: "AUTH_GITHUB_ID", origin: "https://github.com" },
  { idVariable: "AUTH_GOOGLE_ID", origin: "https://accounts.google.com" },
];

/**
 * A page's Content-Security-Policy. Scripts: only those carrying this response's nonce (Next puts it on its own, the
 * layout on the theme's) and what they load (`'strict-dynamic'`); no eval outside development (React's dev build
 * needs it). Images, media, fetches and workers: this origin only, plus the blob: and data: URLs the page makes
 * itself (image previews, recordings, the token worker): no remote image in a message is ever fetched
 * (components/chat/markdown). Styles may be inline: React writes style attributes, and a style cannot send anything
 * anywhere `img-src`, `font-src` and `connect-src` refuse.
 */
export function pageContentSecurityPolicy({
  nonce,
  isDevelopment,
  isHttps,
  env,
}: {
  nonce: string;
  isDevelopment: boolean;
  isHttps: boolean;
  env: Record<string, string | undefined>;
}): string {
  const formAction = ["'self'", ...OAUTH_AUTHORIZATION_ORIGINS.filter((p) => env[p.idVariable]).map((p) => p.origin)];
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDevelopment ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' blob:",
    // Development: the dev server's hot reload talks over a WebSocket.
    `connect-src 'self'${isDevelopment ? " ws: wss:" : ""}`,
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action ${formAction.join(" ")}`,
    "frame-ancestors 'none'",
  ];
  if (isHttps) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/**
 * Whether the request reached the app over HTTPS: its own URL, or the reverse proxy's `X-Forwarded-Proto` (which
 * Next sets to its own protocol when no proxy did). Decides HSTS and the cookies' `Secure`.
 */
export function isHttpsRequest(headers: Headers, url?: string): boolean {
  if (url?.startsWith("https:")) return true;
  return headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}
