import OpenAI from "openai";
import type { ErrorText } from "@/lib/errors";

const KEY_PATTERN = /\b(sk|pk|rk)-[A-Za-z0-9_*.-]{3,}/g;

/**
 * Never echo an API key back to a user or a log: anything shaped like an OpenAI-style key, and the configured
 * secrets verbatim (keys of compatible providers, such as Azure's, have no recognisable shape).
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let redacted = text;
  for (const secret of secrets) {
    // Short values would match ordinary words: only real keys are worth the replacement.
    if (secret.length >= 8) redacted = redacted.split(secret).join("[redacted]");
  }
  return redacted.replace(KEY_PATTERN, "$1-…");
}

/**
 * The stream broke after the upstream accepted the call (2xx): the connection dropped mid-reply, or the upstream sent
 * an error event or a chunk that is not JSON. What arrived before is kept.
 */
export class UpstreamStreamError extends Error {
  constructor(
    /** Why, in the upstream's or the network's words ("terminated", the error event's message). */
    readonly reason: string,
  ) {
    super(`the upstream stream failed: ${reason}`);
    this.name = "UpstreamStreamError";
  }
}

/** The upstream's own words from its error body (`{"error": {"message": …}}`), else the SDK's message. */
function upstreamMessage(error: InstanceType<typeof OpenAI.APIError>): string {
  const body = error.error as { message?: unknown } | undefined;
  return typeof body?.message === "string" ? body.message : error.message;
}

/** Why a connection failed, from the fetch error the SDK wraps ("connect ECONNREFUSED …"). */
function connectionReason(error: InstanceType<typeof OpenAI.APIConnectionError>): string {
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const root = cause?.cause instanceof Error ? cause.cause : cause;
  return root ? `${error.message} (${root.message})` : error.message;
}

/**
 * A secret-free message for a failed upstream call, shown in the chat in the reader's language: a message key and
 * its arguments (the upstream's own words stay as they came). `secrets`: see redactSecrets. `hasPartialReply`: part
 * of the reply arrived before the failure (and is kept).
 */
export function describeUpstreamError(
  error: unknown,
  { secrets = [], hasPartialReply = false }: { secrets?: readonly string[]; hasPartialReply?: boolean } = {},
): ErrorText {
  // The provider accepted the call and began answering; reading its answer failed (a stream cut mid-reply).
  if (error instanceof UpstreamStreamError) {
    const reason = redactSecrets(error.reason, secrets);
    return { key: hasPartialReply ? "errors.upstreamDroppedPartial" : "errors.upstreamDropped", params: { reason } };
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return { key: "errors.upstreamUnreachable", params: { reason: redactSecrets(connectionReason(error), secrets) } };
  }
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const status = error.status;
    const params = { status, detail: redactSecrets(upstreamMessage(error), secrets) };
    if (status === 401 || status === 403) return { key: "errors.upstreamKeyRejected", params };
    if (status === 429) return { key: "errors.upstreamRateLimited", params };
    if (status === 404) return { key: "errors.upstreamUnknownModel", params };
    if (status >= 500) return { key: "errors.upstreamServerError", params };
    return { key: "errors.upstreamRefused", params };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { key: "errors.replyFailed", params: { detail: redactSecrets(message, secrets) } };
}
