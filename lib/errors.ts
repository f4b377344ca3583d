// One error type for the whole app. Server code throws AppError; route handlers turn it into a JSON body
// `{ error: { code, message, key, params } }` with the status below, and the client rebuilds it with
// `AppError.fromBody`. What the user reads is `key` (a message of lib/i18n/messages) with its ICU `params`, in the
// request's language (lib/i18n/errors.ts); `message` is that text, or English where no language was chosen yet.
import type en from "./i18n/messages/en.json";

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

type Messages = typeof en;
/** A message a user can be refused with: the "errors" namespace (server refusals) or "validation" (their input). */
export type ErrorKey = `errors.${keyof Messages["errors"]}` | `validation.${keyof Messages["validation"]}`;
/** ICU arguments of an error message: counts as numbers (formatted per locale), amounts already formatted. */
export type ErrorParams = Record<string, string | number>;
/** What a user is told, in no language yet: a message key and its arguments. */
export type ErrorText = { key: ErrorKey; params?: ErrorParams };

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
    if (typeof body !== "object" || body === null || !("error" in body)) return null;
    const error = (body as { error: unknown }).error;
    if (typeof error !== "object" || error === null) return null;
    const { code, message, key, params } = error as {
      code?: unknown;
      message?: unknown;
      key?: unknown;
      params?: unknown;
    };
    if (typeof code !== "string" || !(code in errorStatus) || typeof message !== "string") return null;
    const text =
      typeof key === "string" ? { key: key as ErrorKey, params: params as ErrorParams | undefined } : undefined;
    return new AppError(code as ErrorCode, message, text);
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

/**
 * A failure stored as text (a failed reply's `error` column) keeps its key and arguments as JSON, so it is shown in
 * the language of whoever reads it, whenever they do. Replies stored before that hold an English sentence.
 */
export function encodeErrorText(text: ErrorText): string {
  return JSON.stringify(text);
}

/** The key and arguments of a stored failure, or null for a plain sentence (stored before keys, or imported). */
export function decodeErrorText(stored: string): ErrorText | null {
  if (!stored.startsWith("{")) return null;
  try {
    const value = JSON.parse(stored) as { key?: unknown; params?: unknown };
    if (typeof value.key !== "string" || !/^(errors|validation)\./.test(value.key)) return null;
    const params =
      typeof value.params === "object" && value.params !== null ? (value.params as ErrorParams) : undefined;
    return { key: value.key as ErrorKey, params };
  } catch {
    return null;
  }
}
