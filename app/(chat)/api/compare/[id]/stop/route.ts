import { requireUserId } from "@/lib/auth";
import { stopComparison } from "@/lib/chat/compare";
import { errorResponse, pathIds } from "@/lib/http";
import { refuseCrossSite } from "@/lib/security/guard";

export const dynamic = "force-dynamic";

/**
 * Stop: ends every call of the signed-in user's comparison, on whichever server it runs; each answer is stored as
 * stopped and charged what it streamed (the comparison's stream says so). Another user's comparison is a 404.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    const { id } = await pathIds(params);
    return Response.json(await stopComparison({ userId, comparisonId: id }));
  } catch (error) {
    return errorResponse(error, "POST /api/compare/[id]/stop");
  }
}
