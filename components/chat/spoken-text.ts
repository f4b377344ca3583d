// What the screen reader's live region says of a streaming reply (components/chat/reply-announcer.tsx): whole
// sentences as they complete, never a word at a time, and the reply's Markdown as words rather than symbols.

/**
 * Where the text that is safe to announce ends: after the last completed sentence (a full stop, ! or ? followed by a
 * space or line break; 。！？ need none) or line break, and never inside an unclosed code fence. The whole text once
 * the reply is done.
 */
export function announceableEnd(text: string, isDone: boolean): number {
  if (isDone) return text.length;
  const fences = [...text.matchAll(/^\s*(```|~~~)/gm)];
  const last = fences.at(-1);
  // A code block still being written (an odd number of fences, or the closing one's line not yet ended): stop before
  // it, so that it is named once it is whole rather than read out in pieces.
  const isOpen = fences.length % 2 === 1 || (last !== undefined && !text.slice(last.index).includes("\n", 1));
  const opening = fences.length % 2 === 1 ? last : fences.at(-2);
  const limit = isOpen ? (opening?.index ?? text.length) : text.length;
  let end = 0;
  for (const match of text.slice(0, limit).matchAll(/[.!?…](?=\s)|[。！？]|\n/g)) end = match.index + match[0].length;
  return end;
}

/** Markdown as it should be read: code blocks named, not spelled out; emphasis, heading and table marks dropped. */
export function spokenText(markdown: string, codeBlock: (language: string) => string): string {
  return markdown
    .replace(/^\s*(```|~~~)\s*([\w+#-]*)[^\n]*\n[\s\S]*?^\s*\1\s*$/gm, (_match, _fence, language: string) =>
      codeBlock(language),
    )
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s*(#{1,6}|>|[-*+]|\d+\.)\s+/gm, "")
    .replace(/^\s*\|?\s*:?-{3,}.*$/gm, "")
    .replace(/[*_`~|]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
