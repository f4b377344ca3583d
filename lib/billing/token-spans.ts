// A text split into its tokens, for the tokenizer page (/tokenizer): the ids gpt-tokenizer gives the text, in the
// slices lib/billing/tokens.ts counts it in (`sliceLongRuns`), grouped into spans of whole characters. A token can be
// part of a character's UTF-8 bytes (most Chinese characters and emoji take 2–4 tokens in cl100k_base, some in
// o200k_base too), so a span holds as many tokens as it takes to end on a character boundary: the spans' texts
// joined are the text, exactly, and their ids joined are what counting counts. Runs in the token worker
// (components/chat/token-worker.ts); `npm run bench:tokenizer-page` times it.
import { countTextTokens, type Encoding, loadTokenizer, sliceLongRuns } from "./tokens";

/** A text's tokens, as typed arrays so the worker can hand them over without copying them. */
export type TokenSpans = {
  encoding: Encoding;
  /** Every token id, in order. */
  ids: Uint32Array;
  /** Span i is the text from spanEnds[i − 1] (0 for the first) to spanEnds[i], in UTF-16 code units. */
  spanEnds: Uint32Array;
  /** Span i's ids are ids[spanIdEnds[i − 1] … spanIdEnds[i]) (from 0 for the first). */
  spanIdEnds: Uint32Array;
};

/** A token id's bytes: gpt-tokenizer's rank table holds the text of a token that is valid UTF-8, else its bytes. */
type Ranks = readonly (string | readonly number[])[];

type SpanEncoder = { encode: (text: string) => number[]; byteLength: (id: number) => number };

// The same option as tokens.ts: "<|endoftext|>" typed by the user is plain text, never a special token.
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

// The rank tables are the modules the encodings import themselves, so this loads nothing the count has not loaded.
const loaders = {
  o200k_base: () =>
    Promise.all([import("gpt-tokenizer/encoding/o200k_base"), import("gpt-tokenizer/bpeRanks/o200k_base")]),
  cl100k_base: () =>
    Promise.all([import("gpt-tokenizer/encoding/cl100k_base"), import("gpt-tokenizer/bpeRanks/cl100k_base")]),
} satisfies Record<Encoding, () => Promise<unknown>>;

const encoders = new Map<Encoding, Promise<SpanEncoder>>();

/** Loads `encoding` for splitTextIntoTokens (and for countTextTokens); concurrent calls share the load. */
export function loadTokenSpans(encoding: Encoding): Promise<SpanEncoder> {
  let pending = encoders.get(encoding);
  if (!pending) {
    pending = Promise.all([loaders[encoding](), loadTokenizer(encoding)]).then(([[{ encode }, { default: ranks }]]) =>
      spanEncoder(encode, ranks),
    );
    // Forgotten on failure, so a later call retries (a chunk that failed to fetch).
    pending.catch(() => encoders.delete(encoding));
    encoders.set(encoding, pending);
  }
  return pending;
}

function spanEncoder(encode: (text: string, options: typeof AS_PLAIN_TEXT) => number[], ranks: Ranks): SpanEncoder {
  // Filled as tokens are met: 0 is "not yet measured", every token has at least one byte.
  const lengths = new Uint16Array(ranks.length);
  return {
    encode: (text) => encode(text, AS_PLAIN_TEXT),
    byteLength(id) {
      let length = lengths[id] ?? 0;
      if (length === 0) {
        const rank = ranks[id];
        if (rank === undefined) throw new Error(`Token ${id} is not in the rank table.`);
        length = typeof rank === "string" ? utf8Length(rank) : rank.length;
        lengths[id] = length;
      }
      return length;
    },
  };
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index += 1) {
    const size = codeUnitBytes(text, index);
    if (size === 0) index += 1;
    bytes += size === 0 ? 4 : size;
  }
  return bytes;
}

/**
 * UTF-8 bytes of the code point starting at `index`, or 0 for a surrogate pair (4 bytes, two code units). A lone
 * surrogate counts 3, as the U+FFFD the encoder's TextEncoder writes for it.
 */
function codeUnitBytes(text: string, index: number): number {
  const unit = text.charCodeAt(index);
  if (unit < 0x80) return 1;
  if (unit < 0x800) return 2;
  if (unit >= 0xd800 && unit < 0xdc00) {
    const next = text.charCodeAt(index + 1);
    if (next >= 0xdc00 && next < 0xe000) return 0;
  }
  return 3;
}

/**
 * Groups `ids`, the tokens of text[from, to), into spans ending on character boundaries, appending to `spanEnds`
 * (UTF-16 offsets) and `spanIdEnds` (offsets into the ids of the whole text, `idBase` being where these start).
 * Throws if the tokens' bytes are not the text's.
 */
export function appendSpans({
  text,
  from,
  to,
  ids,
  idBase,
  byteLength,
  spanEnds,
  spanIdEnds,
}: {
  text: string;
  from: number;
  to: number;
  ids: readonly number[];
  idBase: number;
  byteLength: (id: number) => number;
  spanEnds: number[];
  spanIdEnds: number[];
}): void {
  let offset = from;
  /** Bytes of the tokens so far not yet matched to whole characters. */
  let pending = 0;
  for (let index = 0; index < ids.length; index += 1) {
    pending += byteLength(ids[index] ?? 0);
    while (offset < to) {
      const bytes = codeUnitBytes(text, offset);
      const size = bytes === 0 ? 4 : bytes;
      if (size > pending) break;
      pending -= size;
      offset += bytes === 0 ? 2 : 1;
    }
    if (pending === 0) {
      spanEnds.push(offset);
      spanIdEnds.push(idBase + index + 1);
    }
  }
  if (pending !== 0 || offset !== to) {
    throw new Error(`The tokens of text[${from}, ${to}) do not match its UTF-8 bytes (ended at ${offset}).`);
  }
}

/**
 * `text`'s tokens in `encoding` and their spans of whole characters, slice by slice as countTextTokens counts, so
 * `ids.length === countTextTokens(text, encoding)`. Needs `await loadTokenSpans(encoding)` first.
 */
export async function splitTextIntoTokens(text: string, encoding: Encoding): Promise<TokenSpans> {
  const { encode, byteLength } = await loadTokenSpans(encoding);
  const ids: number[] = [];
  const spanEnds: number[] = [];
  const spanIdEnds: number[] = [];
  let from = 0;
  for (const slice of sliceLongRuns(text)) {
    const sliceIds = encode(slice);
    appendSpans({
      text,
      from,
      to: from + slice.length,
      ids: sliceIds,
      idBase: ids.length,
      byteLength,
      spanEnds,
      spanIdEnds,
    });
    for (const id of sliceIds) ids.push(id);
    from += slice.length;
  }
  return {
    encoding,
    ids: Uint32Array.from(ids),
    spanEnds: Uint32Array.from(spanEnds),
    spanIdEnds: Uint32Array.from(spanIdEnds),
  };
}

/** Span `index`'s text, its ids, and where its first token is among the text's tokens (from 0). */
export function spanAt(
  text: string,
  spans: TokenSpans,
  index: number,
): { text: string; ids: number[]; firstToken: number } {
  const start = index === 0 ? 0 : (spans.spanEnds[index - 1] ?? 0);
  const firstToken = index === 0 ? 0 : (spans.spanIdEnds[index - 1] ?? 0);
  return {
    text: text.slice(start, spans.spanEnds[index]),
    ids: Array.from(spans.ids.subarray(firstToken, spans.spanIdEnds[index])),
    firstToken,
  };
}

export const ENCODINGS = ["o200k_base", "cl100k_base"] as const satisfies readonly Encoding[];

/** Main thread → token worker: split `text` into tokens in `encoding`, and count it in every encoding. */
export type TokenizeRequest = { tokenize: { requestId: number; text: string; encoding: Encoding } };

/** What the tokenizer page shows of a text: its spans in one encoding, its counts in all. */
export type TextTokens = {
  /** Tokens of the text alone (no chat framing) in each encoding. */
  counts: Record<Encoding, number>;
  /** Unicode code points (an emoji with a skin tone is 2, a family of four 7). */
  codePoints: number;
  spans: TokenSpans;
};

/** Token worker → main thread. Superseded requests get no answer. */
export type TokenizeResponse = { tokenized: { requestId: number } & (TextTokens | { error: string }) };

/** Code points in `text`, without building an array of them. */
export function countCodePoints(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index += 1) {
    if (codeUnitBytes(text, index) === 0) index += 1;
    count += 1;
  }
  return count;
}

/**
 * The worker's side of the tokenize request: answers only the newest request. Before working it yields to the
 * worker's queue once, so requests that arrived meanwhile (faster typing than counting) supersede it unanswered.
 * Never rejects: failures become `{ error }`.
 */
export function createTextTokenizer() {
  let newestRequestId = Number.NEGATIVE_INFINITY;
  return async function tokenize({ tokenize: request }: TokenizeRequest): Promise<TokenizeResponse | null> {
    const { requestId, text, encoding } = request;
    newestRequestId = requestId;
    try {
      await Promise.all(ENCODINGS.map((each) => loadTokenSpans(each)));
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (requestId !== newestRequestId) return null;
      const spans = await splitTextIntoTokens(text, encoding);
      const counts = Object.fromEntries(
        ENCODINGS.map((each) => [each, each === encoding ? spans.ids.length : countTextTokens(text, each)]),
      ) as Record<Encoding, number>;
      return { tokenized: { requestId, counts, codePoints: countCodePoints(text), spans } };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { tokenized: { requestId, error: `Splitting the text into tokens failed: ${reason}` } };
    }
  };
}
