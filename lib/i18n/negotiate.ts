import "server-only";
import { match } from "@formatjs/intl-localematcher";
import Negotiator from "negotiator";
import { defaultLocale, isLocale, type Locale, locales } from "./locales";

// Apart from lib/i18n/locales.ts, which client components import: the matcher and its data stay off the browser.

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
