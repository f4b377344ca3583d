import "server-only";
import type { Api } from "grammy";
import { locales } from "@/lib/i18n/locales";
import { botTexts } from "../texts";

// Telegram's side of the set-up (npm run telegram:webhook / telegram:poll, scripts/telegram.ts): the command menu in
// each interface language, and where updates are delivered.

/** The updates the bot handles, asked of Telegram (setWebhook, getUpdates): lib/channels/telegram/bot.ts. */
export const ALLOWED_UPDATES = ["message", "inline_query"] as const;

/** The commands, in the order the bot's menu lists them (setMyCommands). */
export const BOT_COMMANDS = ["start", "help", "new", "reset", "model", "stats", "image", "caps"] as const;

/** The command menu: English for everyone, Chinese for Telegram users whose app is in Chinese. */
export async function registerCommands(api: Api) {
  for (const locale of locales) {
    const t = botTexts(locale);
    const commands = BOT_COMMANDS.map((command) => ({ command, description: t(`commands.${command}`) }));
    if (locale === "en") await api.setMyCommands(commands);
    else await api.setMyCommands(commands, { language_code: "zh" });
  }
}

/** Points Telegram at the webhook `url`, with the secret it must send and the updates the bot handles. */
export async function registerWebhook(api: Api, { url, secret }: { url: string; secret: string }) {
  await api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
}

/** The webhook's URL under the app's public address ("https://chat.example.com" → …/api/telegram/webhook). */
export function webhookUrl(publicUrl: string): string {
  const url = new URL(publicUrl);
  if (url.protocol !== "https:") throw new Error(`Telegram delivers webhooks over HTTPS only; got ${publicUrl}`);
  return new URL("/api/telegram/webhook", url.origin).toString();
}
