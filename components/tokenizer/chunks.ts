// How the token view (token-view.tsx) cuts a text's spans into the chunks it renders one at a time.

/** A chunk ends after a line break once it holds this many spans, and at the latest at the second figure. */
const CHUNK_SPANS = { soft: 200, hard: 500 };

/** Where each chunk of spans ends (span indexes, exclusive). */
export function chunkEnds(text: string, spanEnds: Uint32Array): number[] {
  const ends: number[] = [];
  let start = 0;
  for (let index = 0; index < spanEnds.length; index += 1) {
    const size = index + 1 - start;
    const endsLine = text.charCodeAt((spanEnds[index] ?? 0) - 1) === 0x0a;
    if (size >= CHUNK_SPANS.hard || (size >= CHUNK_SPANS.soft && endsLine)) {
      ends.push(index + 1);
      start = index + 1;
    }
  }
  if (start < spanEnds.length) ends.push(spanEnds.length);
  return ends;
}

/** How many of `ends`' chunks hold the first `spans` spans. */
export function chunksFor(ends: readonly number[], spans: number): number {
  const index = ends.findIndex((end) => end >= spans);
  return index === -1 ? ends.length : index + 1;
}
