import { fromMarkdown } from "mdast-util-from-markdown";

type Range = [start: number, end: number];
type SyntaxNode = {
  type: string;
  position?: { start: { offset?: number }; end: { offset?: number } };
  children?: SyntaxNode[];
};

/** Where the text is never math: code spans, fenced and indented code blocks, raw HTML (in document order). */
function literalRanges(text: string): Range[] {
  const ranges: Range[] = [];
  const visit = (node: SyntaxNode) => {
    if (node.type === "code" || node.type === "inlineCode" || node.type === "html") {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start !== undefined && end !== undefined) ranges.push([start, end]);
      return;
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(fromMarkdown(text));
  return ranges;
}

const isSpace = (char: string | undefined) => char === undefined || /\s/.test(char);
const isDigit = (char: string | undefined) => char !== undefined && char >= "0" && char <= "9";

/**
 * `\[ … \]` on lines of its own (after the same indent or `>` prefix, as inside a list item or a quote) becomes a `$$`
 * block on lines of its own; elsewhere, inline `$$…$$`, or null when it does not look like TeX.
 */
function displayMath(text: string, open: number, close: number): string | null {
  const lineStart = text.lastIndexOf("\n", open - 1) + 1;
  const prefix = text.slice(lineStart, open);
  const lineEnd = text.indexOf("\n", close + 2);
  const after = text.slice(close + 2, lineEnd === -1 ? text.length : lineEnd);
  const inner = text.slice(open + 2, close);
  if (!/^[ \t>]*$/.test(prefix) || !/^[ \t]*$/.test(after)) {
    // Within a line, `\[1\]` is more likely Markdown's escaped brackets than a formula: it takes some TeX to be one.
    return /[\\^_={}+]/.test(inner) ? `$$${inner.trim()}$$` : null;
  }
  const head = inner.startsWith("\n") ? "" : `\n${prefix}`;
  const endsOnItsLine = /\n[ \t>]*$/.test(inner);
  const body = inner.replace(/^[ \t]+/, "");
  return `$$${head}${endsOnItsLine ? body : `${body.trimEnd()}\n${prefix}`}$$`;
}

/**
 * Readies a reply's math for remark-math, which knows only `$…$` and `$$…$$`:
 * - `\(…\)` and `\[…\]`, which OpenAI's models write, become `$…$` and `$$…$$`;
 * - a single `$` is math only by Pandoc's rule (the opening `$` has a non-space on its right, the closing one a
 *   non-space on its left and no digit after it), else it is escaped: "from $5 to $10" stays prices;
 * - while the reply streams (`isStreaming`), a formula still open at the end is left out until it closes, rather than
 *   shown as raw TeX or as a half-formula.
 * Code spans, code blocks (fenced or indented) and raw HTML are left as they are. `hasMath`: a formula remains (KaTeX
 * is loaded only then).
 */
export function normalizeMath(
  text: string,
  { isStreaming = false }: { isStreaming?: boolean } = {},
): { markdown: string; hasMath: boolean } {
  if (!text.includes("$") && !text.includes("\\(") && !text.includes("\\[")) return { markdown: text, hasMath: false };
  const literal = literalRanges(text);
  const edits: { start: number; end: number; replacement: string }[] = [];
  const escapeDollar = (at: number) => edits.push({ start: at, end: at + 1, replacement: "\\$" });

  /** An open `\(` / `\[` / `$$` (its position), or a single `$` that may open inline math. */
  let open: { kind: "(" | "[" | "$$"; at: number } | null = null;
  let dollar: number | null = null;
  let hasMath = false;
  let next = 0;
  for (let i = 0; i < text.length; i++) {
    while (next < literal.length && (literal[next]?.[1] ?? 0) <= i) next++;
    const range = literal[next];
    if (range && i >= range[0]) {
      i = range[1] - 1;
      continue;
    }
    const char = text[i];
    if (char === "\\") {
      const following = text[i + 1];
      if (open === null && (following === "(" || following === "[")) {
        // A model that writes `\(` does not write `$` for math: a `$` still waiting for its pair is a price.
        if (dollar !== null) escapeDollar(dollar);
        dollar = null;
        open = { kind: following, at: i };
      } else if (open?.kind === "(" && following === ")") {
        const inner = text.slice(open.at + 2, i).trim();
        edits.push({ start: open.at, end: i + 2, replacement: inner ? `$${inner}$` : "" });
        hasMath ||= inner !== "";
        open = null;
      } else if (open?.kind === "[" && following === "]") {
        const formula = displayMath(text, open.at, i);
        if (formula !== null) edits.push({ start: open.at, end: i + 2, replacement: formula });
        hasMath ||= formula !== null;
        open = null;
      }
      // Any other backslash escapes the next character (`\$`, `\\`).
      i++;
    } else if (char === "$") {
      let end = i;
      while (text[end + 1] === "$") end++;
      if (end > i) {
        // `$$`: remark-math's own; it opens or closes a formula.
        if (open === null) {
          if (dollar !== null) escapeDollar(dollar);
          dollar = null;
          open = { kind: "$$", at: i };
        } else if (open.kind === "$$") {
          hasMath = true;
          open = null;
        }
      } else if (open === null) {
        if (dollar !== null && !isSpace(text[i - 1]) && !isDigit(text[i + 1])) {
          hasMath = true;
          dollar = null;
        } else {
          if (dollar !== null) escapeDollar(dollar);
          dollar = isSpace(text[i + 1]) ? null : i;
          if (dollar === null) escapeDollar(i);
        }
      }
      i = end;
    } else if (char === "\n" && /^\n[ \t>]*\n/.test(text.slice(i, i + 80))) {
      // A blank line ends a paragraph, and any inline formula left open in it.
      if (dollar !== null) escapeDollar(dollar);
      dollar = null;
      if (open?.kind === "(" || open?.kind === "[") open = null;
    }
  }
  if (dollar !== null) escapeDollar(dollar);

  let result = "";
  let at = 0;
  for (const edit of edits.sort((a, b) => a.start - b.start)) {
    result += text.slice(at, edit.start) + edit.replacement;
    at = edit.end;
  }
  // Not streaming, a `$$` left open is a formula to the end (as remark-math reads it); the other openers are text.
  if (open?.kind === "$$" && !isStreaming) hasMath = true;
  const cut = isStreaming && open !== null ? open.at : text.length;
  return { markdown: result + text.slice(at, Math.max(at, cut)), hasMath };
}
