// What a user is told of an error, in no language yet, and how it travels: a message key and its arguments, stored as
// JSON with a failed reply, or sent in an error body. lib/errors.ts (the error class and its statuses) builds on it;
// the browser's first load needs only this (reading a refusal's message, showing a stored failure).
import type en from "./i18n/messages/en.json";

type Messages = typeof en;
/** A message a user can be refused with: the "errors" namespace (server refusals) or "validation" (their input). */
export type ErrorKey = `errors.${keyof Messages["errors"]}` | `validation.${keyof Messages["validation"]}`;
/** ICU arguments of an error message: counts as numbers (formatted per locale), amounts already formatted. */
export type ErrorParams = Record<string, string | number>;
/** What a user is told, in no language yet: a message key and its arguments. */
export type ErrorText = { key: ErrorKey; params?: ErrorParams };

/**
 * The fields of an error body `{ error: { code, message, key, params } }` (lib/errors.ts AppError.toBody), or null for
 * anything else. The code is not checked against the known ones here: AppError.fromBody does that.
 */
export function errorBodyFields(body: unknown): { code: string; message: string; text?: ErrorText } | null {
  if (typeof body !== "object" || body === null || !("error" in body)) return null;
  const error = (body as { error: unknown }).error;
  if (typeof error !== "object" || error === null) return null;
  const { code, message, key, params } = error as {
    code?: unknown;
    message?: unknown;
    key?: unknown;
    params?: unknown;
  };
  if (typeof code !== "string" || typeof message !== "string") return null;
  const text =
    typeof key === "string" ? { key: key as ErrorKey, params: params as ErrorParams | undefined } : undefined;
  return { code, message, text };
}

/** The message of an error body given as text (a response's, or the one the chat transport throws); null otherwise. */
export function refusalMessage(text: string): string | null {
  try {
    return errorBodyFields(JSON.parse(text))?.message ?? null;
  } catch {
    return null;
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
