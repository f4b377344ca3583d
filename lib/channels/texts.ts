import "server-only";
import { createTranslator } from "use-intl/core";
import { isLocale, type Locale } from "@/lib/i18n/locales";
import en from "@/lib/i18n/messages/en.json";
import zhCN from "@/lib/i18n/messages/zh-CN.json";

// What the bots say, in the reader's language: the `telegram` messages of the app's own catalogs (en.json is the one
// source of every sentence; zh-CN.json its translation).

const catalogs: Record<Locale, typeof en> = { en, "zh-CN": zhCN };

/**
 * The language of a channel user: their choice in the app (a linked account), else the channel's own hint
 * (Telegram's language_code: "zh-hans", "zh", "en"…), else English.
 */
export function channelLocale({ chosen, hint }: { chosen?: string | null; hint?: string | null }): Locale {
  if (isLocale(chosen)) return chosen;
  return hint?.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

export function botTexts(locale: Locale) {
  return createTranslator({ locale, messages: catalogs[locale], namespace: "telegram" });
}

export type BotTexts = ReturnType<typeof botTexts>;
