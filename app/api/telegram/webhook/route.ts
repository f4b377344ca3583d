import { handleTelegramWebhook } from "@/lib/channels/telegram/webhook";
import { errorResponse } from "@/lib/http";

export const dynamic = "force-dynamic";
// Each update is answered at once and handled after the response (a reply, a transcription, an image), within the
// function's life on a serverless host (lib/keep-alive.ts): as long as a chat reply may take.
export const maxDuration = 300;

/**
 * Telegram's deliveries of the bot's updates. Called by Telegram's servers, not a browser: exempt from the cross-site
 * check (lib/security/cross-origin.ts), proven by the webhook secret instead.
 */
export async function POST(request: Request) {
  try {
    return await handleTelegramWebhook(request);
  } catch (error) {
    return errorResponse(error, "POST /api/telegram/webhook");
  }
}
