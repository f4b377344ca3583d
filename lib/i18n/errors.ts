import "server-only";
import { cookies, headers } from "next/headers";
import { getLocale } from "next-intl/server";
import { createTranslator } from "use-intl/core";
import { AppError, decodeErrorText, type ErrorCode, type ErrorKey, type ErrorText } from "@/lib/errors";
import { isLocale, LOCALE_COOKIE, type Locale } from "./locales";
import en from "./messages/en.json";
import zhCN from "./messages/zh-CN.json";
import { negotiateLocale } from "./negotiate";

// Errors in the user's language (docs/i18n-errors.md). An error is made with a message key and its arguments; its
// English text comes from en.json (the one source of every sentence), and the text a user reads is chosen where the
// error becomes a response or a form's message, by the request's locale.

const messages: Record<Locale, typeof en> = { en, "zh-CN": zhCN };

/** The message of `text` in `locale`, or null when the locale's messages lack its key. */
function translate(text: ErrorText, locale: Locale): string | null {
  const t = createTranslator({ locale, messages: messages[locale] });
  // Keys come from code, API bodies and stored failures, so they are checked here rather than only by the compiler.
  return t.has(text.key) ? (t as (key: string, params?: ErrorText["params"]) => string)(text.key, text.params) : null;
}

/** The sentence of `text` in `locale`; a key the locale lacks falls back to English, one English lacks to itself. */
export function formatErrorText(text: ErrorText, locale: Locale): string {
  return translate(text, locale) ?? translate(text, "en") ?? text.key;
}

/** A failed reply's stored failure (lib/errors.ts encodeErrorText, or an older plain sentence) in `locale`. */
export function storedErrorMessage(stored: string, locale: Locale): string {
  const text = decodeErrorText(stored);
  return text ? formatErrorText(text, locale) : stored;
}

/** An AppError with its message key: `message` is the English text, the key and arguments travel in the body. */
export function appError(code: ErrorCode, text: ErrorKey | ErrorText): AppError {
  const described = typeof text === "string" ? { key: text } : text;
  return new AppError(code, formatErrorText(described, "en"), described);
}

/** The error's text in `locale`: its key's message there, else its own (English) message. */
export function localizedMessage(error: AppError, locale: Locale): string {
  return (error.text && translate(error.text, locale)) ?? error.message;
}

/**
 * The request's locale for an error response. Usually next-intl's (which reads the signed-in user's saved choice);
 * when the error is that the database cannot answer, that read fails too, and the cookie or Accept-Language decide.
 */
export async function errorLocale(): Promise<Locale> {
  try {
    return await getLocale();
  } catch {
    const cookie = (await cookies()).get(LOCALE_COOKIE)?.value;
    return isLocale(cookie) ? cookie : negotiateLocale((await headers()).get("accept-language"));
  }
}

/** The error's text in the request's language: what a server action returns to its form. */
export async function requestErrorMessage(error: AppError): Promise<string> {
  return localizedMessage(error, await errorLocale());
}

/** A problem (a failed check, a refusal) in the request's language, for a server action's form. */
export async function requestErrorText(text: ErrorText): Promise<string> {
  return formatErrorText(text, await errorLocale());
}
