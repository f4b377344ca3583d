/** Joins class names, skipping falsy ones. */
export function cn(...classes: (string | false | null | undefined)[]): string {
  return classes.filter(Boolean).join(" ");
}

/** Request header in which proxy.ts passes the page that was asked for (path and query) to server components. */
export const PATH_HEADER = "x-chatledger-path";

function hasControlOrBackslash(text: string): boolean {
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f || char === "\\") return true;
  }
  return false;
}

/** A stand-in origin: a path resolved against it and still on it stays on whichever origin the app is served from. */
const SAME_ORIGIN = "http://app.invalid";

/** Only same-site relative paths may be redirect targets after sign-in. */
export function safeRedirectPath(value: unknown, fallback = "/"): string {
  // Browsers drop tabs and line breaks from URLs and read "\" as "/", so "/<TAB>/evil.example" would become
  // "//evil.example", another site: only URL characters (RFC 3986: no controls, spaces or backslashes), no "//" start.
  if (typeof value !== "string" || value.startsWith("//")) return fallback;
  if (!/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*$/.test(value)) return fallback;
  // The same once more after one round of %-decoding, for whatever decodes it again on the way (a proxy, a framework
  // reading the Location): "/%2F%2Fevil.example", "/%09/evil.example", "/%5Cevil.example" and malformed escapes stay here.
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return fallback;
  }
  if (hasControlOrBackslash(decoded) || decoded.startsWith("//")) return fallback;
  return new URL(decoded, SAME_ORIGIN).origin === SAME_ORIGIN ? value : fallback;
}

/**
 * Where Auth.js may send the browser after signing in or out (its `redirect` callback): a same-origin path as
 * safeRedirectPath allows, or an absolute URL on the app's own origin reduced to one; anything else → the app's root.
 */
export function sameOriginRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  const base = new URL(baseUrl);
  let path = url;
  if (!url.startsWith("/")) {
    const parsed = URL.canParse(url) ? new URL(url) : null;
    path = parsed && parsed.origin === base.origin ? `${parsed.pathname}${parsed.search}${parsed.hash}` : "/";
  }
  return `${base.origin}${safeRedirectPath(path)}`;
}

export function formatTokens(count: number, locale = "en"): string {
  return count.toLocaleString(locale === "en" ? "en-US" : locale);
}

/**
 * A text field of a submitted form; "" when missing (or a file). A server action can be called with any argument
 * (its id is public): anything but a FormData has no fields, rather than a TypeError that would be a 500.
 */
export function formText(formData: FormData, name: string): string {
  const value = formData instanceof FormData ? formData.get(name) : null;
  return typeof value === "string" ? value : "";
}
