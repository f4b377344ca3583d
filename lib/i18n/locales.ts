import { match } from "@formatjs/intl-localematcher";
import Negotiator from "negotiator";

// The interface languages. A locale is chosen, in order, by the signed-in user's saved choice (User.locale), the
// cookie the language switch sets (before sign-in, and on this browser), and the browser's Accept-Language.
export const locales = ["en", "zh-CN"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "en";

/** The cookie the language switch sets, read before the user signs in (next-intl's own name for it). */
export const LOCALE_COOKIE = "NEXT_LOCALE";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/**
 * The supported locale the browser prefers most, by its Accept-Language (quality values honoured, `zh`, `zh-Hans`,
 * `zh-SG` → zh-CN), else English. A malformed header is treated as absent.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return defaultLocale;
  try {
    const requested = new Negotiator({ headers: { "accept-language": acceptLanguage } })
      .languages()
      .filter((tag) => tag !== "*");
    const chosen = match(requested, locales, defaultLocale, { algorithm: "best fit" });
    return isLocale(chosen) ? chosen : defaultLocale;
  } catch {
    return defaultLocale;
  }
}
