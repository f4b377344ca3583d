import "server-only";
import { cookies } from "next/headers";
import { setUserLocale } from "@/lib/db/users";
import { isLocale, LOCALE_COOKIE } from "./locales";

/**
 * Saves the language a visitor chose before signing up (the language switch's cookie) on their new account, so it
 * follows them to every device; without a choice the account keeps following the browser.
 */
export async function adoptVisitorLocale(userId: string): Promise<void> {
  const locale = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(locale)) await setUserLocale(userId, locale);
}
