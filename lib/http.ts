import "server-only";
import { redactSecrets } from "@/lib/ai/errors";
import { isTransientDbError } from "@/lib/db/retry";
import { configuredSecrets } from "@/lib/env";
import { AppError, type ErrorText } from "@/lib/errors";
import { appError, errorLocale, localizedMessage } from "@/lib/i18n/errors";
import type { Locale } from "@/lib/i18n/locales";
import { unstorableTextProblem } from "@/lib/input-rules";

/** Logs an unexpected error with its stack, every configured secret redacted. */
export function logUnexpected(context: string, error: unknown) {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(`[${context}] unexpected error: ${redactSecrets(detail, configuredSecrets())}`);
}

/** Seconds a client should wait before retrying an `unavailable` (503) request. */
export const RETRY_AFTER_SECONDS = 2;

/**
 * The one catch of every route handler: AppError → its status; a database too busy to answer in time → 503 with
 * Retry-After (load is not a server error); anything else → logged, generic 500. The message is in the request's
 * language (`locale`: the request's, read when not given), its key and arguments beside it for API clients.
 */
export async function errorResponse(error: unknown, context: string, locale?: Locale): Promise<Response> {
  if (!(error instanceof AppError) && isTransientDbError(error))
    return errorResponse(appError("unavailable", "errors.busy"), context, locale);
  if (error instanceof AppError) {
    const limited = error.code === "rate_limited" ? error.text?.params?.seconds : undefined;
    const retryAfter = error.code === "unavailable" ? RETRY_AFTER_SECONDS : limited;
    const headers = retryAfter === undefined ? undefined : { "retry-after": String(retryAfter) };
    const message = localizedMessage(error, locale ?? (await errorLocale()));
    return Response.json(error.toBody(message), { status: error.status, headers });
  }
  logUnexpected(context, error);
  return errorResponse(appError("internal", "errors.internal"), context, locale);
}

/**
 * A route's path parameters (its `params`), refused with a 400 when one holds text no database stores (NUL, a lone
 * surrogate: lib/input-rules.ts): such an id names nothing, and PostgreSQL answers a query with it by an error.
 */
export async function pathIds<T extends Record<string, string>>(params: Promise<T>): Promise<T> {
  const ids = await params;
  for (const value of Object.values(ids)) {
    const problem = unstorableTextProblem(value);
    if (problem) throw appError("bad_request", problem);
  }
  return ids;
}

/**
 * Reads a body as UTF-8 text with a size cap, checked while it arrives (a body without Content-Length is not read past
 * the cap). Oversized bodies and invalid UTF-8 are a 400.
 */
export async function readText(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => appError("bad_request", { key: "errors.bodyTooLarge", params: { limit: maxBytes } });
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw appError("bad_request", "errors.inputInvalidUtf8");
  }
}

/**
 * Reads a JSON body with a size cap, checked while it arrives (a body without Content-Length is not read past the
 * cap); malformed or oversized bodies, invalid UTF-8 and text no database stores (lib/input-rules.ts
 * unstorableTextProblem, in any key or string) are a 400 that changes nothing. Only a body declared
 * `application/json` is read (else 415): a form or a no-cors fetch from another site can send `text/plain` without
 * asking the browser's leave (no CORS preflight), never JSON.
 */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const mediaType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") throw appError("unsupported_media_type", "errors.crossSiteContentType");
  const text = await readText(request, maxBytes);
  let problem: ErrorText | null = null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (key, value) => {
      problem ??= unstorableTextProblem(key) ?? (typeof value === "string" ? unstorableTextProblem(value) : null);
      // An own "__proto__" key is inert in a parsed object, but Object.assign or a merge would set the prototype
      // with it: dropped here, so no code after this can be tricked (returning undefined deletes the key).
      return key === "__proto__" ? undefined : value;
    });
  } catch {
    throw appError("bad_request", "errors.invalidJson");
  }
  if (problem) throw appError("bad_request", problem);
  return parsed;
}

/**
 * A download streamed a chunk at a time. The first chunk is made before answering, so a failure then is a proper
 * error response rather than a truncated file; a later one (headers sent) fails the download visibly and is logged.
 */
export async function streamedResponse(
  chunks: AsyncGenerator<string>,
  { headers, context }: { headers: HeadersInit; context: string },
): Promise<Response> {
  const first = await chunks.next();
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (first.done) controller.close();
      else controller.enqueue(encoder.encode(first.value));
    },
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        logUnexpected(`${context}, mid-stream`, error);
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, { headers });
}

/**
 * Headers of a file download named after `name` (a conversation's title, say): an ASCII fallback name, and the name
 * itself as RFC 5987 UTF-8, which every current browser prefers. Neither can hold a path separator, a quote or a
 * control character.
 */
export function downloadHeaders({
  name,
  extension,
  contentType,
}: {
  name: string;
  extension: string;
  contentType: string;
}): Record<string, string> {
  const readable = name
    .normalize("NFC")
    .replace(/[\p{Cc}"*/:<>?\\|]+/gu, " ")
    .replace(/\s+/g, " ")
    .replace(/^[.\s]+/, "")
    .slice(0, 80)
    .trim();
  const ascii = readable
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9 _-]+/g, "")
    .trim()
    .replace(/\s+/g, "-")
    .toLowerCase();
  const encoded = encodeURIComponent(readable || ascii || "download").replace(
    /['()]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return {
    "Content-Type": contentType,
    "Content-Disposition": `attachment; filename="${ascii || "download"}.${extension}"; filename*=UTF-8''${encoded}.${extension}`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    // Opened in a tab anyway (a browser that renders the type, a link to it), what it holds runs nothing.
    "Content-Security-Policy": "default-src 'none'; sandbox",
  };
}
