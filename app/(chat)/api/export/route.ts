import { requireUserId } from "@/lib/auth";
import { utcDay } from "@/lib/billing/report";
import { archiveJson } from "@/lib/chat/archive";
import { downloadHeaders, errorResponse, streamedResponse } from "@/lib/http";

export const dynamic = "force-dynamic";

/** All of the signed-in user's data as one JSON archive (docs/exports.md), streamed. */
export async function GET() {
  try {
    const userId = await requireUserId();
    const now = new Date();
    return await streamedResponse(archiveJson({ userId, now }), {
      headers: downloadHeaders({
        name: `chatledger-archive-${utcDay(now)}`,
        extension: "json",
        contentType: "application/json; charset=utf-8",
      }),
      context: "GET /api/export",
    });
  } catch (error) {
    return errorResponse(error, "GET /api/export");
  }
}
