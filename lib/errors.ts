// One error type for the whole app. Server code throws AppError; route handlers turn it into a JSON body
// `{ error: { code, message, key, params } }` with the status below, and the client rebuilds it with
// `AppError.fromBody`. What the user reads is `key` (a message of lib/i18n/messages) with its ICU `params`, in the
// request's language (lib/i18n/errors.ts); `message` is that text, or English where no language was chosen yet.
import { type ErrorText, errorBodyFields } from "./error-text";

export { decodeErrorText, type ErrorKey, type ErrorParams, type ErrorText, encodeErrorText } from "./error-text";

export const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
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
  /** The message key and arguments, when the error was made with one (every error the server makes). */
  readonly text: ErrorText | undefined;

  constructor(code: ErrorCode, message: string, text?: ErrorText) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.text = text;
  }

  get status(): number {
    return errorStatus[this.code];
  }

  /** The JSON body; `message` in place of this error's own (English) one, once the caller chose the language. */
  toBody(message = this.message) {
    return { error: { code: this.code, message, key: this.text?.key, params: this.text?.params } };
  }

  /** Rebuilds the error from a response body; null when the body is not one of ours. */
  static fromBody(body: unknown): AppError | null {
    const fields = errorBodyFields(body);
    if (!fields || !(fields.code in errorStatus)) return null;
    return new AppError(fields.code as ErrorCode, fields.message, fields.text);
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
