import { answerCallback } from "@/lib/channels/wechat/callback";
import { handleMpCallback, verifyMpUrl } from "@/lib/channels/wechat/mp";

export const dynamic = "force-dynamic";
// A delivery waits at most ~5.5 s for its answer; the answer itself (and a customer-service send) goes on after the
// response, within the function's life on a serverless host (lib/keep-alive.ts): as long as a chat reply may take.
export const maxDuration = 300;

// The WeChat official account's callbacks (docs/wechat.md). Called by WeChat's servers, not a browser: exempt from the
// cross-site check (lib/security/cross-origin.ts), proven by the signature over the shared Token instead.

export function GET(request: Request) {
  return answerCallback("GET /api/wechat/mp", () => verifyMpUrl(request));
}

export function POST(request: Request) {
  return answerCallback("POST /api/wechat/mp", () => handleMpCallback(request));
}
