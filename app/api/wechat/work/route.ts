import { answerCallback } from "@/lib/channels/wechat/callback";
import { handleWecomCallback, verifyWecomUrl } from "@/lib/channels/wechat/wecom";

export const dynamic = "force-dynamic";
// A callback is answered at once; the answer (and its message/send) goes on after the response, within the
// function's life on a serverless host (lib/keep-alive.ts): as long as a chat reply may take.
export const maxDuration = 300;

// The WeCom app's callbacks (docs/wechat.md). Called by WeChat's servers, not a browser: exempt from the cross-site
// check (lib/security/cross-origin.ts), proven by the signature over the shared Token and the ciphertext instead.

export function GET(request: Request) {
  return answerCallback("GET /api/wechat/work", () => verifyWecomUrl(request));
}

export function POST(request: Request) {
  return answerCallback("POST /api/wechat/work", () => handleWecomCallback(request));
}
