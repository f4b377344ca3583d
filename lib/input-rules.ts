// What a user may send, as plain rules: the browser checks these as the user types, and the zod schemas of
// lib/validations.ts (the server's) apply the same functions. No zod here, so the chat page's JavaScript carries none.
import { formatUsdPlain } from "./billing/money";
import type { ErrorText } from "./errors";

export const MAX_MESSAGE_CHARS = 32_000;
/** UTF-8 bytes of one message: 32,000 Chinese characters fit (3 bytes each); 32,000 emoji (4 bytes each) do not. */
export const MAX_MESSAGE_BYTES = 96_000;
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

/**
 * Why a message is too long to send, or null: over MAX_MESSAGE_CHARS characters (Unicode code points, as zod counts a
 * string's length) or MAX_MESSAGE_BYTES bytes of UTF-8. The server refuses such a message with this problem and the
 * composer shows it before sending; the token limit is checked by the server alone (it counts with the tokenizer).
 */
export function messageLengthProblem(text: string): ErrorText | null {
  // A code point is one or two UTF-16 units, so a string within the limit in units is within it in code points.
  const chars = text.length <= MAX_MESSAGE_CHARS ? text.length : codePointCount(text);
  if (chars > MAX_MESSAGE_CHARS) {
    return { key: "validation.messageTooManyChars", params: { chars, limit: MAX_MESSAGE_CHARS } };
  }
  // A UTF-16 unit is at most three bytes of UTF-8: only a long text can be over the byte limit.
  if (text.length * 3 <= MAX_MESSAGE_BYTES) return null;
  const bytes = new TextEncoder().encode(text).length;
  if (bytes <= MAX_MESSAGE_BYTES) return null;
  return { key: "validation.messageTooManyBytes", params: { bytes, limit: MAX_MESSAGE_BYTES } };
}

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

/** The first sentence-ish of a first message, for the sidebar. */
export function titleFromMessage(text: string, maxChars = 60): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= maxChars) return flat || "New chat";
  const cut = flat.slice(0, maxChars);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > maxChars / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

function codePointCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** What the budget form shows for a saved setting: the amount as exact plain text that the schema above accepts. */
export type BudgetFormValues = { mode: string; amountUsd: string };

export function budgetFormValues(setting: {
  budgetMode: string;
  monthlyBudgetMicros: number | null;
  isBudgetSetByAdmin: boolean;
}): BudgetFormValues {
  if (setting.isBudgetSetByAdmin) return { mode: "admin", amountUsd: "" };
  return {
    mode: setting.budgetMode,
    amountUsd: setting.monthlyBudgetMicros === null ? "" : formatUsdPlain(setting.monthlyBudgetMicros),
  };
}
