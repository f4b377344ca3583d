import { requireUserId } from "@/lib/auth";
import { deletePreset, getPreset, updatePreset } from "@/lib/chat/presets";
import { errorResponse, pathIds, readJson } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { refuseCrossSite } from "@/lib/security/guard";
import { firstIssue, MAX_PRESET_BODY_BYTES, presetChangesSchema } from "@/lib/validations";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export async function GET(_request: Request, { params }: Context) {
  try {
    const userId = await requireUserId();
    const preset = await getPreset({ id: (await pathIds(params)).id, userId });
    if (!preset) throw appError("not_found", "errors.presetNotFound");
    return Response.json({ preset });
  } catch (error) {
    return errorResponse(error, "GET /api/presets/[id]");
  }
}

export async function PATCH(request: Request, { params }: Context) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    const parsed = presetChangesSchema.safeParse(await readJson(request, MAX_PRESET_BODY_BYTES));
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    return Response.json({
      preset: await updatePreset({ id: (await pathIds(params)).id, userId, changes: parsed.data }),
    });
  } catch (error) {
    return errorResponse(error, "PATCH /api/presets/[id]");
  }
}

export async function DELETE(request: Request, { params }: Context) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    await deletePreset({ id: (await pathIds(params)).id, userId });
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error, "DELETE /api/presets/[id]");
  }
}
