import { requireUserId } from "@/lib/auth";
import { listConversations } from "@/lib/db/conversations";
import { errorResponse } from "@/lib/http";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    const userId = await requireUserId();
    return Response.json({ conversations: await listConversations({ userId }) });
  } catch (error) {
    return errorResponse(error, "GET /api/conversations");
  }
}
