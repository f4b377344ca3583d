// What a user may send, as plain rules: the browser checks these as the user types, and the zod schemas of
// lib/validations.ts (the server's) apply the same functions. No zod here, so the chat page's JavaScript carries none.
import type { ErrorText } from "./errors";
import { codePointCount } from "./message-rules";

export { MAX_MESSAGE_BYTES, MAX_MESSAGE_CHARS, messageLengthProblem, titleFromMessage } from "./message-rules";

export const MIN_PASSWORD_CHARS = 8;
export const MAX_TITLE_CHARS = 200;
export const MAX_SEARCH_CHARS = 200;
export const MAX_PRESET_NAME_CHARS = 80;
/** POST /api/import: the whole body, checked while it is read. */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
export const INVITE_EXPIRY_DAYS = [1, 7, 30] as const;
export const DEFAULT_INVITE_EXPIRY_DAYS = 7;

// A problem is a message key and its arguments (lib/errors.ts ErrorText): the server sends it in the request's
// language, the browser shows it in the page's.

/** PostgreSQL refuses the NUL character in text (and SQLite's full-text queries stop at it): refused up front. */
function hasNul(text: string): boolean {
  return text.includes("\0");
}

/**
 * Text no database stores as sent: the NUL character (PostgreSQL refuses it, a 500 were it to reach a query) or a
 * lone UTF-16 surrogate (half an emoji, which becomes U+FFFD on the way to UTF-8). With the `u` flag a surrogate
 * pair is one code point, so \p{Cs} matches only the lone halves.
 */
const UNSTORABLE_TEXT = /[\0\p{Cs}]/u;

/**
 * Why a text (any string a user sends: a message, a title, a preset, a form field, a JSON key, a path id) cannot be
 * stored, or null. The one rule: request bodies (lib/http.ts readJson), form fields and ids apply it.
 */
export function unstorableTextProblem(text: string): ErrorText | null {
  return UNSTORABLE_TEXT.test(text) ? { key: "errors.inputUnstorableText" } : null;
}

/** Why an already trimmed conversation title cannot be saved, or null. */
export function conversationTitleProblem(title: string): ErrorText | null {
  if (title === "") return { key: "validation.titleEmpty" };
  if (codePointCount(title) > MAX_TITLE_CHARS)
    return { key: "validation.titleTooLong", params: { max: MAX_TITLE_CHARS } };
  return hasNul(title) ? { key: "validation.titleNul" } : null;
}

/** Why already trimmed search text cannot be searched for, or null. */
export function searchTextProblem(text: string): ErrorText | null {
  if (text === "") return { key: "validation.searchEmpty" };
  if (codePointCount(text) > MAX_SEARCH_CHARS)
    return { key: "validation.searchTooLong", params: { max: MAX_SEARCH_CHARS } };
  return hasNul(text) ? { key: "validation.searchNul" } : null;
}
