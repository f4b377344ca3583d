"use server";

import { cookies, headers } from "next/headers";
import { getSessionUserId } from "@/lib/auth";
import { setUserLocale } from "@/lib/db/users";
import { isHttpsRequest } from "@/lib/security/headers";
import { isLocale, LOCALE_COOKIE } from "./locales";

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * Switches the interface language: saved on the account when signed in (every device follows it), and in a cookie
 * for this browser (so the sign-in page speaks it too). Anything but a supported locale changes nothing.
 */
export async function setLocaleAction(locale: string): Promise<{ ok: boolean }> {
  if (!isLocale(locale)) return { ok: false };
  const userId = await getSessionUserId();
  if (userId) await setUserLocale(userId, locale);
  // Read by the server only (lib/i18n/request.ts): no script needs it.
  (await cookies()).set(LOCALE_COOKIE, locale, {
    path: "/",
    maxAge: ONE_YEAR_SECONDS,
    sameSite: "lax",
    httpOnly: true,
    secure: isHttpsRequest(await headers()),
  });
  return { ok: true };
}
