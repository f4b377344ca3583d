import { requireUserId } from "@/lib/auth";
import { errorResponse, pathIds } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { refuseCrossSite } from "@/lib/security/guard";
import { readFile } from "@/lib/storage/files";
import { deleteUnattachedUpload } from "@/lib/storage/uploads";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** Types a browser may show inline; anything else is only ever downloaded. */
const INLINE_TYPES = new Set(["image/png", "image/jpeg", "image/webp", "image/gif"]);

const EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/gif": "gif",
};

/**
 * A stored file, to its owner only (anyone else: 404, as if it did not exist). A file never changes under its id, so
 * the browser keeps it (private: never a shared cache) and revalidates by its SHA-256. `?download=1` saves it.
 */
export async function GET(request: Request, { params }: Context) {
  try {
    const userId = await requireUserId();
    const { id } = await pathIds(params);
    const file = await readFile({ userId, id });
    if (!file) throw appError("not_found", "errors.fileNotFound");
    const etag = `"${file.sha256}"`;
    const headers = new Headers({
      "cache-control": "private, max-age=31536000, immutable",
      etag,
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
    });
    if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
    const isDownload = new URL(request.url).searchParams.has("download") || !INLINE_TYPES.has(file.mimeType);
    const name = `chatledger-${file.id}.${EXTENSIONS[file.mimeType] ?? "bin"}`;
    headers.set("content-type", INLINE_TYPES.has(file.mimeType) ? file.mimeType : "application/octet-stream");
    headers.set("content-length", String(file.size));
    headers.set("content-disposition", `${isDownload ? "attachment" : "inline"}; filename="${name}"`);
    return new Response(new Uint8Array(file.data), { headers });
  } catch (error) {
    return errorResponse(error, "GET /api/files/[id]");
  }
}

/** Removes an upload the user took out of the composer; one a message holds (or anyone else's) is a 404. */
export async function DELETE(request: Request, { params }: Context) {
  try {
    refuseCrossSite(request);
    const userId = await requireUserId();
    const { id } = await pathIds(params);
    if (!(await deleteUnattachedUpload({ userId, id }))) throw appError("not_found", "errors.fileNotFound");
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error, "DELETE /api/files/[id]");
  }
}
