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
 * Text from the network or the provider, fit for a user: no address of ours or the provider's (`127.0.0.1:4010`,
 * `[::1]:443`, `api.internal:8080`), no file path and no stack frame. A user can do nothing with them, and they map
 * the server's network for whoever can make a call fail. The server's log keeps the error whole.
 */
export function scrubInternals(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^\s*at\s/.test(line))
    .join(" ")
    .replace(/\b(?:file|https?):\/\/\S+/gi, "[address]")
    .replace(/\[[0-9a-f:]*:[0-9a-f:.]*\](?::\d+)?/gi, "[address]")
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, "[address]")
    .replace(/\b[a-z0-9-]+(?:\.[a-z0-9-]+)*:\d{2,5}\b/gi, "[address]")
    .replace(/(?:[A-Za-z]:)?(?:[\\/][\w.@-]+){2,}/g, "[path]")
    .replace(/\s+/g, " ")
    .trim();
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

/**
 * A secret-free message for a failed upstream call, shown in the chat in the reader's language: a message key and
 * its arguments (the upstream's own words, without secrets or internals: redactSecrets, scrubInternals). An
 * unreachable provider is said so without the why ("connect ECONNREFUSED 10.0.0.5:443": the log has it).
 * `secrets`: see redactSecrets. `hasPartialReply`: part
 * of the reply arrived before the failure (and is kept).
 */
export function describeUpstreamError(
  error: unknown,
  { secrets = [], hasPartialReply = false }: { secrets?: readonly string[]; hasPartialReply?: boolean } = {},
): ErrorText {
  const clean = (text: string) => scrubInternals(redactSecrets(text, secrets));
  // The provider accepted the call and began answering; reading its answer failed (a stream cut mid-reply).
  if (error instanceof UpstreamStreamError) {
    const reason = clean(error.reason);
    return { key: hasPartialReply ? "errors.upstreamDroppedPartial" : "errors.upstreamDropped", params: { reason } };
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return { key: "errors.upstreamUnreachable" };
  }
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const status = error.status;
    const params = { status, detail: clean(upstreamMessage(error)) };
    if (status === 401 || status === 403) return { key: "errors.upstreamKeyRejected", params };
    if (status === 429) return { key: "errors.upstreamRateLimited", params };
    if (status === 404) return { key: "errors.upstreamUnknownModel", params };
    if (status >= 500) return { key: "errors.upstreamServerError", params };
    return { key: "errors.upstreamRefused", params };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { key: "errors.replyFailed", params: { detail: clean(message) } };
}

/** A call cut off by one of the upstream timeouts (lib/ai/upstream-stream.ts), in words. */
export function describeTimeout({
  kind,
  seconds,
}: {
  kind: "first-token" | "idle" | "total";
  seconds: number;
}): ErrorText {
  if (kind === "first-token") return { key: "errors.timeoutFirstToken", params: { seconds } };
  if (kind === "idle") return { key: "errors.timeoutIdle", params: { seconds } };
  return { key: "errors.timeoutTotal", params: { seconds } };
}
