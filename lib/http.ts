import "server-only";
import { redactSecrets } from "@/lib/ai/errors";
import { isTransientDbError } from "@/lib/db/retry";
import { configuredSecrets } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** Logs an unexpected error with its stack, every configured secret redacted. */
export function logUnexpected(context: string, error: unknown) {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(`[${context}] unexpected error: ${redactSecrets(detail, configuredSecrets())}`);
}

/** Seconds a client should wait before retrying an `unavailable` (503) request. */
export const RETRY_AFTER_SECONDS = 2;

const BUSY = "The server is busy right now. Nothing was changed; try again in a moment.";

/**
 * The one catch of every route handler: AppError → its status; a database too busy to answer in time → 503 with
 * Retry-After (load is not a server error); anything else → logged, generic 500.
 */
export function errorResponse(error: unknown, context: string): Response {
  if (!(error instanceof AppError) && isTransientDbError(error))
    return errorResponse(new AppError("unavailable", BUSY), context);
  if (error instanceof AppError) {
    const headers = error.code === "unavailable" ? { "retry-after": String(RETRY_AFTER_SECONDS) } : undefined;
    return Response.json(error.toBody(), { status: error.status, headers });
  }
  logUnexpected(context, error);
  const internal = new AppError("internal", "Something went wrong on our side. Please try again.");
  return Response.json(internal.toBody(), { status: internal.status });
}

/** Reads a JSON body with a size cap; malformed or oversized bodies are a 400 that changes nothing. */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new AppError("bad_request", `Request body too large (limit ${maxBytes} bytes).`);
  const text = await request.text();
  if (new TextEncoder().encode(text).length > maxBytes) {
    throw new AppError("bad_request", `Request body too large (limit ${maxBytes} bytes).`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "Request body must be valid JSON.");
  }
}
