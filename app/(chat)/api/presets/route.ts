import { requireUserId } from "@/lib/auth";
import { createPreset, listPresets } from "@/lib/chat/presets";
import { errorResponse, readJson } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { refuseCrossSite } from "@/lib/security/guard";
import { firstIssue, MAX_PRESET_BODY_BYTES, presetSchema } from "@/lib/validations";

export const dynamic = "force-dynamic";

/** This user's presets (the defaults are copied to them on the first call). */
export async function GET() {
  try {
    const userId = await requireUserId();
    return Response.json({ presets: await listPresets({ userId }) });
  } catch (error) {
    return errorResponse(error, "GET /api/presets");
  }
}

export async function POST(request: Request) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    const parsed = presetSchema.safeParse(await readJson(request, MAX_PRESET_BODY_BYTES));
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    return Response.json({ preset: await createPreset({ userId, preset: parsed.data }) }, { status: 201 });
  } catch (error) {
    return errorResponse(error, "POST /api/presets");
  }
}
