// Refusing state-changing requests another site makes a signed-in browser send (CSRF). The session cookie is
// SameSite=Lax, which stops a cross-site POST carrying it, but not one from another port of the same host (the same
// site) nor a browser that ignores SameSite; and a `text/plain` form post or a no-cors fetch needs no CORS preflight.
// So every request that may change something is checked where it arrives (route handlers: ./guard.ts; server
// actions: proxy.ts): refused when the browser says it came from another site (Sec-Fetch-Site), or when its Origin is
// not the app's own. A request with neither header is not a browser's (curl, an API client, a server): it carries no
// victim's ambient cookie by accident, and passes. Pure functions, no Next or Node APIs.

/** Methods that change nothing, in HTTP's rules and in every route of this app: never refused. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Paths whose state-changing requests come from elsewhere by design, each with a check of its own. A new entry
 * needs one: this list is all that stands between it and a forged request.
 */
export const CROSS_SITE_EXEMPT_PATHS: readonly string[] = [
  // Auth.js: its own CSRF token (a double-submit cookie) on every POST; OAuth providers may post their answer back.
  "/api/auth/",
  // Messaging bots' webhooks: the platform's servers call them, each request signed with the webhook's secret.
  "/api/telegram/",
  "/api/wechat/",
];

/** The variables that say where the app is served, as Auth.js reads them. */
export type OriginEnv = {
  AUTH_URL?: string;
  NEXTAUTH_URL?: string;
  AUTH_TRUST_HOST?: string;
  NODE_ENV?: string;
  [name: string]: string | undefined;
};

/** The app's own origin for a request: its host (with port) and, when known, its protocol (`https:`). */
export type AppOrigin = { host: string; protocol: string | null };

const firstValue = (header: string | null) => header?.split(",")[0]?.trim() || null;

/**
 * Where the app is served, decided as Auth.js decides its own URL: AUTH_URL (or NEXTAUTH_URL) when set; else, when
 * the host is trusted (AUTH_TRUST_HOST, as behind a reverse proxy), the forwarded host and protocol; else the
 * request's own Host. The protocol is compared only when it is known from AUTH_URL or the proxy (a TLS-terminating
 * proxy that forwards no protocol must not make every request look foreign: one host and port serve one protocol).
 */
export function appOrigin(headers: Headers, env: OriginEnv): AppOrigin | null {
  const configured = env.AUTH_URL ?? env.NEXTAUTH_URL;
  if (configured) {
    try {
      const url = new URL(configured);
      return { host: url.host, protocol: url.protocol };
    } catch {
      return null;
    }
  }
  const trusted = env.AUTH_TRUST_HOST ? env.AUTH_TRUST_HOST !== "false" : env.NODE_ENV !== "production";
  const host = (trusted && firstValue(headers.get("x-forwarded-host"))) || headers.get("host");
  if (!host) return null;
  const protocol = trusted ? firstValue(headers.get("x-forwarded-proto")) : null;
  return { host, protocol: protocol ? `${protocol.replace(/:$/, "")}:` : null };
}

/** Whether an Origin header names the app itself (`null`, malformed or another host, port or protocol: no). */
export function isOwnOrigin(origin: string, own: AppOrigin): boolean {
  try {
    const url = new URL(origin);
    if (url.origin !== origin.replace(/\/$/, "")) return false;
    if (own.protocol && url.protocol !== own.protocol) return false;
    // A host header is a name or an address and a port, nothing more (no path, no user).
    if (!/^[a-z0-9.\-:[\]]+$/i.test(own.host)) return false;
    // Written as the Origin's URL would write it: a default port (`:443` on https) is dropped, the case lowered.
    return url.host === new URL(`${url.protocol}//${own.host}`).host;
  } catch {
    return false;
  }
}

/**
 * Whether to refuse a request as cross-site: one that may change something (any method but GET, HEAD and OPTIONS),
 * outside the exempt paths, that the browser marks as from another site or another origin of this site
 * (Sec-Fetch-Site `cross-site` or `same-site`: another port of the same host is the same site), or whose Origin is
 * not the app's.
 */
export function isCrossSiteRequest(
  { method, pathname, headers }: { method: string; pathname: string; headers: Headers },
  env: OriginEnv,
): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  if (CROSS_SITE_EXEMPT_PATHS.some((prefix) => pathname.startsWith(prefix))) return false;
  const fetchSite = headers.get("sec-fetch-site");
  if (fetchSite === "cross-site" || fetchSite === "same-site") return true;
  const origin = headers.get("origin");
  if (origin === null) return false;
  const own = appOrigin(headers, env);
  return own === null || !isOwnOrigin(origin, own);
}
