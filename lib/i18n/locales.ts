// The interface languages. A locale is chosen, in order, by the signed-in user's saved choice (User.locale), the
// cookie the language switch sets (before sign-in, and on this browser), and the browser's Accept-Language
// (negotiated on the server only: lib/i18n/negotiate.ts, so the browser never loads the matcher).
export const locales = ["en", "zh-CN"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "en";

/** The cookie the language switch sets, read before the user signs in (next-intl's own name for it). */
export const LOCALE_COOKIE = "NEXT_LOCALE";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}
