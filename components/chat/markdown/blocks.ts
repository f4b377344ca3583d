const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^ {0,3}([-+*]|\d{1,9}[.)])([ \t]|$)/;
/** Link reference definitions and footnotes are used from other blocks: such a text is not split. */
const DEFINITION = /^ {0,3}\[[^\]\n]+\]:/m;

/**
 * Splits a reply into top-level Markdown blocks, so that while it streams only its last block is parsed and rendered
 * again. It splits only at a blank line followed by a line that starts a new block for sure: not inside a fenced code
 * block or a `$$` formula, not before an indented line (a list item's continuation, indented code), not between two
 * list items (one loose list). Each block renders alone exactly as it would in the whole text.
 */
export function splitBlocks(text: string): string[] {
  if (DEFINITION.test(text)) return [text];
  const blocks: string[] = [];
  let current: string[] = [];
  /** Blank lines after `current`, kept when the block goes on (they matter inside indented code). */
  let blanks: string[] = [];
  /** The block's last line that is not indented: a list item there means the list may go on. */
  let lastTopLine = "";
  let fence: { char: string; length: number } | null = null;
  let isInFormula = false;
  for (const line of text.split("\n")) {
    if (fence) {
      current.push(line);
      const closing = line.match(FENCE)?.[1];
      if (closing?.[0] === fence.char && closing.length >= fence.length && line.trim() === closing) fence = null;
      continue;
    }
    if (isInFormula) {
      current.push(line);
      if (line.trim().endsWith("$$")) isInFormula = false;
      continue;
    }
    if (line.trim() === "") {
      if (current.length > 0) blanks.push(line);
      continue;
    }
    const isIndented = /^[ \t]/.test(line);
    const continuesList = LIST_ITEM.test(line) && LIST_ITEM.test(lastTopLine);
    if (blanks.length > 0 && !isIndented && !continuesList) {
      blocks.push(current.join("\n"));
      current = [];
    } else {
      current.push(...blanks);
    }
    blanks = [];
    current.push(line);
    if (!isIndented) lastTopLine = line;
    const opening = line.match(FENCE)?.[1];
    const trimmed = line.trim();
    if (opening) fence = { char: opening.charAt(0), length: opening.length };
    else if (trimmed.startsWith("$$") && !trimmed.slice(2).includes("$$")) isInFormula = true;
  }
  if (current.length > 0) blocks.push(current.join("\n"));
  return blocks;
}
