import { requireUserId } from "@/lib/auth";
import { continueComparison } from "@/lib/chat/compare";
import { errorResponse, pathIds, readJson } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { refuseCrossSite } from "@/lib/security/guard";
import { continueComparisonSchema, firstIssue } from "@/lib/validations";

export const dynamic = "force-dynamic";

/**
 * Continue with one answer of a comparison: it becomes a normal conversation (its id answered; the page opens
 * /c/<id>). Asked again, the same conversation. Another user's comparison is a 404.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    const { id } = await pathIds(params);
    const parsed = continueComparisonSchema.safeParse(await readJson(request, 4096));
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    return Response.json(await continueComparison({ userId, comparisonId: id, answer: parsed.data.answer }));
  } catch (error) {
    return errorResponse(error, "POST /api/compare/[id]/continue");
  }
}
