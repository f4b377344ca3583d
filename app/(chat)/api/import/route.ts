import { revalidatePath } from "next/cache";
import { requireUserId } from "@/lib/auth";
import { importArchive } from "@/lib/chat/archive";
import { errorResponse, readJson } from "@/lib/http";
import { MAX_IMPORT_BYTES } from "@/lib/input-rules";
import { enforceUserRateLimit } from "@/lib/rate-limit";
import { refuseCrossSite } from "@/lib/security/guard";

export const dynamic = "force-dynamic";

/** Adds the conversations of a ChatLedger archive (GET /api/export) to the signed-in user's, all or nothing. */
export async function POST(request: Request) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    await enforceUserRateLimit("upload", userId);
    const imported = await importArchive({ userId, body: await readJson(request, MAX_IMPORT_BYTES) });
    revalidatePath("/", "layout");
    return Response.json({ imported }, { status: 201 });
  } catch (error) {
    return errorResponse(error, "POST /api/import");
  }
}
