import { requireUserId } from "@/lib/auth";
import { errorResponse } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { historyQuerySchema, listPlaygroundRuns } from "@/lib/playground/history";
import { firstIssue } from "@/lib/validations";

export const dynamic = "force-dynamic";

/** The signed-in user's playground runs, newest first: `?before=<run id>` for the page after it, `limit` up to 50. */
export async function GET(request: Request) {
  try {
    const userId = await requireUserId();
    const query = Object.fromEntries(new URL(request.url).searchParams);
    const parsed = historyQuerySchema.safeParse(query);
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    return Response.json(await listPlaygroundRuns({ userId, ...parsed.data }));
  } catch (error) {
    return errorResponse(error, "GET /api/playground/runs");
  }
}
