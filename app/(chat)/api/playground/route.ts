import { requireUserId } from "@/lib/auth";
import { REPLY_STREAM_HEADERS } from "@/lib/chat/reply-stream";
import { errorResponse, readJson } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { MAX_PLAYGROUND_BODY_BYTES, playgroundRunSchema } from "@/lib/playground/request";
import { startPlaygroundRun } from "@/lib/playground/run";
import { enforceUserRateLimit } from "@/lib/rate-limit";
import { refuseCrossSite } from "@/lib/security/guard";
import { firstIssue } from "@/lib/validations";

export const dynamic = "force-dynamic";
// The longest a serverless host (Vercel) lets this function run: a reply, an image or a transcription ends, is
// settled and stored within it (CHAT_MAX_DURATION_SECONDS in lib/env-schema.ts; a literal, as Next reads it).
export const maxDuration = 300;

/**
 * Runs a completion in the playground (lib/playground/run.ts): checked, reserved and accepted by the upstream before
 * answering (bad input, a budget or an upstream refusal is an error status, nothing spent), then the choices stream
 * as NDJSON lines (PlaygroundEvent) and end with the stored run, its usage and cost. The browser going away stops it.
 */
export async function POST(request: Request) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    await enforceUserRateLimit("chat", userId);
    const parsed = playgroundRunSchema.safeParse(await readJson(request, MAX_PLAYGROUND_BODY_BYTES));
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    const body = await startPlaygroundRun({ userId, run: parsed.data, disconnected: request.signal });
    return new Response(body, {
      headers: { ...REPLY_STREAM_HEADERS, "content-type": "application/x-ndjson; charset=utf-8" },
    });
  } catch (error) {
    return errorResponse(error, "POST /api/playground");
  }
}
