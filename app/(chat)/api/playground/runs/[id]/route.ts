import { requireUserId } from "@/lib/auth";
import { errorResponse, pathIds } from "@/lib/http";
import { deletePlaygroundRun, getPlaygroundRun } from "@/lib/playground/history";
import { refuseCrossSite } from "@/lib/security/guard";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** One of the signed-in user's runs, to load its prompt and parameters back; another user's is a 404. */
export async function GET(_request: Request, { params }: Context) {
  try {
    const userId = await requireUserId();
    return Response.json({ run: await getPlaygroundRun({ id: (await pathIds(params)).id, userId }) });
  } catch (error) {
    return errorResponse(error, "GET /api/playground/runs/[id]");
  }
}

/** Deletes a run from the history; its ledger entry stays (what it cost is never rewritten). */
export async function DELETE(request: Request, { params }: Context) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    await deletePlaygroundRun({ id: (await pathIds(params)).id, userId });
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error, "DELETE /api/playground/runs/[id]");
  }
}
