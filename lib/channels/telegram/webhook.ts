import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { webhookCallback } from "grammy";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { readJson } from "@/lib/http";
import { getTelegramBot, telegramConfig } from "./bot";

// POST /api/telegram/webhook: where Telegram delivers the bot's updates (`npm run telegram:webhook` registers it).
// Telegram proves each delivery with the secret given to setWebhook, in X-Telegram-Bot-Api-Secret-Token: anything
// without it is refused (401) before it is read. A delivery that is not an update is answered 200 and dropped (an
// error status would make Telegram deliver it again, forever); an update is recorded and answered at once, and
// handled after (lib/channels/telegram/bot.ts).

/** Updates are small (a message, a query): a larger body is not one. */
const MAX_UPDATE_BYTES = 1024 * 1024;

const updateSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

const holder = globalThis as { __chatledgerTelegramWebhook?: (request: Request) => Promise<Response> };

export async function handleTelegramWebhook(request: Request): Promise<Response> {
  const config = telegramConfig();
  if (!config) return Response.json({ error: "This server has no Telegram bot." }, { status: 404 });
  if (!isTelegramSecret(request.headers.get("x-telegram-bot-api-secret-token"), config.secret)) {
    return Response.json({ error: "Unauthorized" }, { status: 401 });
  }
  let update: z.infer<typeof updateSchema>;
  try {
    const parsed = updateSchema.safeParse(await readJson(request, MAX_UPDATE_BYTES));
    if (!parsed.success) throw new AppError("bad_request", "not an update (no update_id)");
    update = parsed.data;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    console.warn(`[telegram] ignored a malformed delivery: ${error.message}`);
    return Response.json({ ok: true, ignored: true });
  }
  holder.__chatledgerTelegramWebhook ??= webhookCallback(getTelegramBot(), "std/http", {
    // The handling is detached from the request (bot.ts): the callback answers as soon as the update is recorded.
    timeoutMilliseconds: 20_000,
  });
  return holder.__chatledgerTelegramWebhook(
    new Request(request.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(update),
    }),
  );
}

/** Compares the header to the secret in constant time (their digests: equal lengths whatever was sent). */
export function isTelegramSecret(header: string | null, secret: string): boolean {
  if (header === null) return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(header), digest(secret));
}
