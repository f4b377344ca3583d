// One error type for the whole app. Server code throws AppError; route handlers turn it into a JSON body
// `{ error: { code, message } }` with the status below, and the client rebuilds it with `AppError.fromBody`.

export const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  budget_exceeded: 402,
  upstream: 502,
  not_configured: 503,
  /** Busy for a moment (the database could not admit the request in time): retry after Retry-After seconds. */
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "AppError";
    this.code = code;
  }

  get status(): number {
    return errorStatus[this.code];
  }

  toBody() {
    return { error: { code: this.code, message: this.message } };
  }

  /** Rebuilds the error from a response body; null when the body is not one of ours. */
  static fromBody(body: unknown): AppError | null {
    if (typeof body !== "object" || body === null || !("error" in body)) return null;
    const error = (body as { error: unknown }).error;
    if (typeof error !== "object" || error === null) return null;
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof code !== "string" || !(code in errorStatus) || typeof message !== "string") return null;
    return new AppError(code as ErrorCode, message);
  }

  /** Parses an error from response text (JSON body or plain text), e.g. the message the chat transport throws. */
  static fromText(text: string): AppError | null {
    try {
      return AppError.fromBody(JSON.parse(text));
    } catch {
      return null;
    }
  }
}
