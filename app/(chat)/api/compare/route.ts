import { requireUserId } from "@/lib/auth";
import { startComparison } from "@/lib/chat/compare";
import { errorResponse, readJson } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { enforceUserRateLimit } from "@/lib/rate-limit";
import { refuseCrossSite } from "@/lib/security/guard";
import { compareRequestSchema, firstIssue, MAX_CHAT_BODY_BYTES } from "@/lib/validations";

export const dynamic = "force-dynamic";
// The longest a serverless host (Vercel) lets this function run: the calls end (or time out), are settled and stored
// within it (CHAT_MAX_DURATION_SECONDS in lib/env-schema.ts; a literal, as Next reads it).
export const maxDuration = 300;

/**
 * Compare: one prompt sent to 2–4 models at once, their answers streamed side by side as NDJSON (lib/chat/compare.ts).
 * Every model's worst case is reserved in one transaction before anything goes upstream; refused as a whole (402)
 * when they do not fit the budget. Closing the connection stops every call.
 */
export async function POST(request: Request) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    await enforceUserRateLimit("chat", userId);
    const parsed = compareRequestSchema.safeParse(await readJson(request, MAX_CHAT_BODY_BYTES));
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    return await startComparison({ userId, request: parsed.data, signal: request.signal });
  } catch (error) {
    return errorResponse(error, "POST /api/compare");
  }
}
