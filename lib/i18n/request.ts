import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { getSessionLocale } from "@/lib/auth";
import { isLocale, LOCALE_COOKIE, type Locale } from "./locales";
import { negotiateLocale } from "./negotiate";

// next-intl's per-request configuration (next.config.js points its plugin here). There are no locale segments in
// the URL: a conversation's address is the same in every language, so the locale is chosen per request.

/**
 * The signed-in user's saved choice (the session's user is read once per request and shared with the page), else the
 * language switch's cookie, else the browser's Accept-Language.
 */
export async function requestLocale(): Promise<Locale> {
  const saved = await getSessionLocale();
  if (isLocale(saved)) return saved;
  const cookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(cookie)) return cookie;
  return negotiateLocale((await headers()).get("accept-language"));
}

export default getRequestConfig(async () => {
  const locale = await requestLocale();
  return {
    locale,
    messages: (await import(`./messages/${locale}.json`)).default,
    // Ledger months and days are cut in UTC (docs/ledger.md), so dates are shown in UTC on server and browser alike
    // (and the two render the same text, with no hydration mismatch).
    timeZone: "UTC",
  };
});
