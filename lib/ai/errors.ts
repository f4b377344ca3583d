import { APICallError, RetryError } from "ai";

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

function upstreamMessage(error: APICallError): string | undefined {
  try {
    const body = JSON.parse(error.responseBody ?? "") as { error?: { message?: unknown } };
    if (typeof body.error?.message === "string") return body.error.message;
  } catch {
    // Not JSON: fall back to the SDK's message below.
  }
  return undefined;
}

/**
 * A readable, secret-free sentence for a failed upstream call, shown in the chat. `secrets`: see redactSecrets.
 * `hasPartialReply`: part of the reply arrived before the failure (and is kept).
 */
export function describeUpstreamError(
  error: unknown,
  { secrets = [], hasPartialReply = false }: { secrets?: readonly string[]; hasPartialReply?: boolean } = {},
): string {
  const cause = RetryError.isInstance(error) ? error.lastError : error;
  if (APICallError.isInstance(cause)) {
    const status = cause.statusCode;
    // The provider accepted the call and began answering; reading its answer failed. A stream cut mid-reply is this:
    // "Failed to process successful response", caused by the fetch's "terminated".
    if (status !== undefined && status >= 200 && status < 300) {
      const reason = redactSecrets(cause.cause instanceof Error ? cause.cause.message : cause.message, secrets);
      return hasPartialReply
        ? `The connection to the model provider dropped after part of the reply (${reason}). What arrived is kept.`
        : `The connection to the model provider dropped before the reply arrived (${reason}).`;
    }
    const detail = redactSecrets(upstreamMessage(cause) ?? cause.message, secrets);
    if (status === 401 || status === 403) {
      return `The model provider rejected the API key (${status}): ${detail} Check OPENAI_API_KEY.`;
    }
    if (status === 429)
      return `The model provider is rate limiting requests (429): ${detail} Wait a moment, then retry.`;
    if (status === 404) return `The model provider does not know this model (404): ${detail}`;
    if (status !== undefined && status >= 500) {
      return `The model provider had a server error (${status}): ${detail} Retry in a moment.`;
    }
    if (status === undefined) return `Could not reach the model provider: ${detail} Check OPENAI_BASE_URL.`;
    return `The model provider refused the request (${status}): ${detail}`;
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return `The reply failed: ${redactSecrets(message, secrets)}`;
}
