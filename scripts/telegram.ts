// npm run telegram:webhook -- [public URL]   registers the webhook (setWebhook) and the command menu (setMyCommands)
// npm run telegram:poll                      runs the bot by long polling: for a machine without a public HTTPS URL
// Both read .env / .env.local like the app (TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET, TELEGRAM_API_BASE_URL,
// DATABASE_URL). The public URL is the argument, else TELEGRAM_WEBHOOK_URL, else AUTH_URL. docs/telegram.md.
import { loadEnvConfig } from "@next/env";

async function main() {
  loadEnvConfig(process.cwd());
  const [mode, argument] = process.argv.slice(2);
  if (mode !== "webhook" && mode !== "poll") {
    console.error("usage: tsx scripts/telegram.ts webhook [public URL] | poll");
    return 2;
  }
  const { getTelegramBot, telegramConfig } = await import("../lib/channels/telegram/bot");
  const { ALLOWED_UPDATES, registerCommands, registerWebhook, webhookUrl } = await import(
    "../lib/channels/telegram/setup"
  );
  const config = telegramConfig();
  if (!config) {
    console.error("Set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET first (docs/telegram.md).");
    return 1;
  }
  const bot = getTelegramBot();
  await bot.init();
  await registerCommands(bot.api);
  if (mode === "webhook") {
    const publicUrl = argument ?? process.env.TELEGRAM_WEBHOOK_URL ?? process.env.AUTH_URL;
    if (!publicUrl) {
      console.error("Give the app's public HTTPS address: npm run telegram:webhook -- https://chat.example.com");
      return 2;
    }
    const url = webhookUrl(publicUrl);
    await registerWebhook(bot.api, { url, secret: config.secret });
    console.log(`@${bot.botInfo.username}: webhook set to ${url}; commands registered (en, zh).`);
    return 0;
  }
  // Polling and a webhook exclude each other: Telegram refuses getUpdates while a webhook is set.
  await bot.api.deleteWebhook();
  const stop = () => void bot.stop();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await bot.start({
    allowed_updates: [...ALLOWED_UPDATES],
    onStart: (me) => console.log(`@${me.username}: polling for updates (Ctrl+C stops).`),
  });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`telegram: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
