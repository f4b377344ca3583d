// What a history search answers, and the snippets it shows: pure, safe on the client (the sidebar renders the parts;
// matches become <mark>, never HTML).

/** A run of text, and whether it is the searched text (highlighted). */
export type TextPart = { text: string; isMatch: boolean };

export type ConversationSearchResult = {
  id: string;
  title: TextPart[];
  /** Around the first match in the newest matching message; null when only the title matched. */
  snippet: TextPart[] | null;
  updatedAt: string;
  isPinned: boolean;
};

export type ConversationSearchResponse = {
  results: ConversationSearchResult[];
  /** Set when a short query searched only this many most recent conversations (the user has more). */
  window: number | null;
};

/** Characters of context a snippet keeps before and after the match. */
const BEFORE = 40;
const AFTER = 100;

function queryPattern(query: string, flags: string): RegExp {
  return new RegExp(query.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"), flags);
}

/** `text` split into runs, every case-insensitive occurrence of `query` marked. */
export function highlight(text: string, query: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of query ? text.matchAll(queryPattern(query, "giu")) : []) {
    if (match.index > at) parts.push({ text: text.slice(at, match.index), isMatch: false });
    parts.push({ text: match[0], isMatch: true });
    at = match.index + match[0].length;
  }
  if (at < text.length || parts.length === 0) parts.push({ text: text.slice(at), isMatch: false });
  return parts;
}

/** Never cut a surrogate pair (an emoji, a rare CJK character) in two. */
function isLowSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * A one-line excerpt of `content` around the first occurrence of `query`, with "…" where it was cut, and the
 * occurrences in it marked. Without an occurrence (a case the database folds differently), the start of the text.
 */
export function snippet(content: string, query: string): TextPart[] {
  const first = queryPattern(query, "iu").exec(content);
  let start = Math.max(0, (first?.index ?? 0) - BEFORE);
  let end = Math.min(content.length, (first ? first.index + first[0].length : 0) + AFTER);
  if (start > 0 && isLowSurrogate(content, start)) start -= 1;
  if (end < content.length && isLowSurrogate(content, end)) end += 1;
  const excerpt = `${start > 0 ? "…" : ""}${content.slice(start, end)}${end < content.length ? "…" : ""}`;
  return highlight(excerpt.replace(/\s+/g, " ").trim(), query);
}
