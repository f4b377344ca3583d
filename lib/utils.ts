/** Joins class names, skipping falsy ones. */
export function cn(...classes: (string | false | null | undefined)[]): string {
  return classes.filter(Boolean).join(" ");
}

/** Request header in which proxy.ts passes the page that was asked for (path and query) to server components. */
export const PATH_HEADER = "x-chatledger-path";

/** Only same-site relative paths may be redirect targets after sign-in. */
export function safeRedirectPath(value: unknown, fallback = "/"): string {
  // Browsers drop tabs and line breaks from URLs and read "\" as "/", so "/<TAB>/evil.example" would become
  // "//evil.example", another site: only URL characters (RFC 3986: no controls, spaces or backslashes), no "//" start.
  if (typeof value !== "string" || value.startsWith("//")) return fallback;
  return /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*$/.test(value) ? value : fallback;
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
