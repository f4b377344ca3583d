// The rules of a chat message that the chat page checks as the user types (lib/input-rules.ts has the rest, and
// re-exports these): apart, so the page's first load carries no more of the rules than these.
import type { ErrorText } from "./error-text";

export const MAX_MESSAGE_CHARS = 32_000;
/** UTF-8 bytes of one message: 32,000 Chinese characters fit (3 bytes each); 32,000 emoji (4 bytes each) do not. */
export const MAX_MESSAGE_BYTES = 96_000;

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

/** The first sentence-ish of a first message, for the sidebar. */
export function titleFromMessage(text: string, maxChars = 60): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= maxChars) return flat || "New chat";
  const cut = flat.slice(0, maxChars);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > maxChars / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

/** Unicode code points, as zod counts a string's length. */
export function codePointCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
