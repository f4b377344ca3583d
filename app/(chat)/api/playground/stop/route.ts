import { requireUserId } from "@/lib/auth";
import { errorResponse, readJson } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { stopPlaygroundRun } from "@/lib/playground/history";
import { playgroundStopSchema } from "@/lib/playground/request";
import { refuseCrossSite } from "@/lib/security/guard";
import { firstIssue } from "@/lib/validations";

export const dynamic = "force-dynamic";

/**
 * Stop: ends the signed-in user's running playground call, on whichever server it runs (at once on this one, within
 * a heartbeat on another). The run is kept as stopped and charged what was streamed. Not theirs or not running: 404.
 */
export async function POST(request: Request) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    const parsed = playgroundStopSchema.safeParse(await readJson(request, 4096));
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    await stopPlaygroundRun({ userId, callId: parsed.data.callId });
    return Response.json({ stopped: true });
  } catch (error) {
    return errorResponse(error, "POST /api/playground/stop");
  }
}
