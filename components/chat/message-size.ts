// The conversation's column (max-w-3xl less its padding: 736 px) holds about 95 characters of a reply per line, ~26 px
// high (prose); a user's bubble (85% of it, less its own padding) about 75 characters per ~24 px line.
const REPLY_LINE = { characters: 95, px: 26 };
const USER_LINE = { characters: 75, px: 24 };
/** Besides the text: a reply's usage line and actions; a user message's bubble padding and actions. */
const REPLY_CHROME_PX = 64;
const USER_CHROME_PX = 52;
/** Between a reply's paragraphs, lists and tables (0.6 em). */
const BLOCK_GAP_PX = 10;

/**
 * How tall a message is likely to be once laid out (px), from its text: the room it takes off screen until it has
 * been shown once (`contain-intrinsic-size`, see message-item.tsx), so the scrollbar is about right from the start.
 * Only an estimate: after it has been shown, the browser keeps its real height.
 */
export function estimatedHeight({ role, text }: { role: string; text: string }): number {
  const isUser = role === "user";
  const line = isUser ? USER_LINE : REPLY_LINE;
  let lines = 0;
  let gaps = 0;
  for (const row of text.split("\n")) {
    // A blank line is a line in the user's bubble (whitespace kept), a gap between blocks in a reply (Markdown).
    if (row.trim() === "" && !isUser) gaps += 1;
    else lines += Math.max(1, Math.ceil(row.length / line.characters));
  }
  return isUser
    ? USER_CHROME_PX + lines * line.px
    : REPLY_CHROME_PX + Math.max(1, lines) * line.px + gaps * BLOCK_GAP_PX;
}
