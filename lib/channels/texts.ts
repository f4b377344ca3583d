import "server-only";
import { createTranslator } from "use-intl/core";
import { isLocale, type Locale } from "@/lib/i18n/locales";
import en from "@/lib/i18n/messages/en.json";
import zhCN from "@/lib/i18n/messages/zh-CN.json";

// What the bots say, in the reader's language: the app's own catalogs (en.json is the one source of every sentence;
// zh-CN.json its translation), `bots` for what every channel says and `telegram` or `wechat` for what one says.

const catalogs: Record<Locale, typeof en> = { en, "zh-CN": zhCN };

/** Which bot's sentences: Telegram's, or WeChat's (the official account and WeCom say the same). */
export type BotVoice = "telegram" | "wechat";

/**
 * The language of a channel user: their choice in the app (a linked account), else the channel's own hint
 * (Telegram's language_code: "zh-hans", "zh", "en"…), else English.
 */
export function channelLocale({ chosen, hint }: { chosen?: string | null; hint?: string | null }): Locale {
  if (isLocale(chosen)) return chosen;
  return hint?.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

type BotMessages = { bot: typeof en.bots & typeof en.telegram & typeof en.wechat };

export function botTexts(locale: Locale, voice: BotVoice = "telegram") {
  const catalog = catalogs[locale];
  // One namespace of the shared sentences and the voice's own (which only ever asks for its own keys).
  const messages = { bot: { ...catalog.bots, ...catalog[voice] } } as BotMessages;
  return createTranslator({ locale, messages, namespace: "bot" });
}

export type BotTexts = ReturnType<typeof botTexts>;
