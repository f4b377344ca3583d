import OpenAI from "openai";

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
 * A readable, secret-free sentence for a failed upstream call, shown in the chat. `secrets`: see redactSecrets.
 * `hasPartialReply`: part of the reply arrived before the failure (and is kept).
 */
export function describeUpstreamError(
  error: unknown,
  { secrets = [], hasPartialReply = false }: { secrets?: readonly string[]; hasPartialReply?: boolean } = {},
): string {
  // The provider accepted the call and began answering; reading its answer failed (a stream cut mid-reply).
  if (error instanceof UpstreamStreamError) {
    const reason = redactSecrets(error.reason, secrets);
    return hasPartialReply
      ? `The connection to the model provider dropped after part of the reply (${reason}). What arrived is kept.`
      : `The connection to the model provider dropped before the reply arrived (${reason}).`;
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return `Could not reach the model provider: ${redactSecrets(connectionReason(error), secrets)} Check OPENAI_BASE_URL.`;
  }
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const status = error.status;
    const detail = redactSecrets(upstreamMessage(error), secrets);
    if (status === 401 || status === 403) {
      return `The model provider rejected the API key (${status}): ${detail} Check OPENAI_API_KEY.`;
    }
    if (status === 429)
      return `The model provider is rate limiting requests (429): ${detail} Wait a moment, then retry.`;
    if (status === 404) return `The model provider does not know this model (404): ${detail}`;
    if (status >= 500) return `The model provider had a server error (${status}): ${detail} Retry in a moment.`;
    return `The model provider refused the request (${status}): ${detail}`;
  }
  const cause = error;
  const message = cause instanceof Error ? cause.message : String(cause);
  return `The reply failed: ${redactSecrets(message, secrets)}`;
}
