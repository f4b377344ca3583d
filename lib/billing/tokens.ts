// Token counts with the model's real BPE (gpt-tokenizer, same ranks as OpenAI's tiktoken), used to reserve budget
// before a request and to estimate a reply whose stream was cut. What is charged comes from the upstream's reported
// usage; these counts are estimates. The encodings are big (o200k_base ≈ 2.4 MB of JS), so they load on demand:
// `await loadTokenizer(encodingForModel(model))` once, then the sync functions below work, in Node or a Web Worker.
// On the server, count with lib/billing/token-pool.ts instead: the same rules, off the event loop.

export type Encoding = "o200k_base" | "cl100k_base";

export type ChatMessage = { role: string; content: string; name?: string };

export type TokenCounter = { encoding: Encoding; count: (text: string) => number };

// Prefixes as in gpt-tokenizer's model → encoding map, which the tests check these against.
const O200K_MODELS = /^(?:chatgpt-4o|gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|codex-mini|o[134](?:-|$))/;
const CL100K_MODELS = /^(?:gpt-4|gpt-3\.5|gpt-35)/;

/** Fine-tuned ids ("ft:gpt-4o-mini-2024-07-18:org::id") use their base model's tokenizer. */
function baseModel(model: string): string {
  return model.trim().toLowerCase().replace(/^ft:/, "");
}

/** Whether we know the model's tokenizer; for other models counts use o200k_base and are rougher estimates. */
export function hasKnownEncoding(model: string): boolean {
  const base = baseModel(model);
  return O200K_MODELS.test(base) || CL100K_MODELS.test(base);
}

/** gpt-4o / 4.1 / 5 / o-series → o200k_base; gpt-4 / gpt-3.5 → cl100k_base; anything else → o200k_base. */
export function encodingForModel(model: string): Encoding {
  const base = baseModel(model);
  if (O200K_MODELS.test(base)) return "o200k_base";
  return CL100K_MODELS.test(base) ? "cl100k_base" : "o200k_base";
}

// Literal specifiers, so bundlers split each encoding into its own chunk fetched only when asked for.
const loaders = {
  o200k_base: () => import("gpt-tokenizer/encoding/o200k_base"),
  cl100k_base: () => import("gpt-tokenizer/encoding/cl100k_base"),
} satisfies Record<Encoding, () => Promise<unknown>>;

// User text containing "<|endoftext|>" is plain text to the API, not a special token, and must not throw.
// token-worker.mjs counts with the same option.
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * The longest run that reaches the BPE in one piece, in code points.
 *
 * gpt-tokenizer's byte-pair merge costs the square of a pre-tokenizer piece's length in bytes (a linear scan for the
 * best pair at every merge), and a piece can be as long as a run of letters (with combining marks), of punctuation and
 * symbols (emoji included), or of whitespace: 32,000 emoji in one run blocked the event loop for 8 s, 100,000 "a" for
 * 4.5 s. Counting such runs in slices of at most this many code points makes the cost linear. Digits are never cut:
 * the pre-tokenizer groups them by three, and a cut would regroup them. Measured on random CJK, emoji and ASCII runs,
 * slices of 64, 128 and 256 cost about the same (≈ 0.1 s for 32,000 random CJK or 100,000 random letters), 1,024 up to
 * twice as much; 256 (≤ 1 KiB of UTF-8) leaves alone any real word, a Chinese or Japanese sentence between two
 * punctuation marks, an identifier, a URL's parts. `npm run bench` times the pathological inputs before and after.
 *
 * Only runs longer than this are cut, so ordinary text counts exactly as before. At a cut no merge can cross,
 * which changes a pathological count by a token or two per cut, mostly upwards (measured over CJK, emoji, Thai,
 * ASCII letters, glued long words, punctuation and whitespace, with both encodings: from −2 to +10 tokens over up to
 * 10 cuts; CJK, emoji and single-character runs exactly). Harmless: these counts reserve budget, and what is charged
 * comes from the upstream's usage.
 */
export const MAX_RUN_CODE_POINTS = 256;

// A run of what the pre-tokenizers of both encodings may join into one piece (o200k joins letters with marks, cl100k
// symbols with marks), or of digits. Sticky and tested, not matched, so walking a long text allocates nothing per run.
const RUN = /[\p{L}\p{M}]+|[^\s\p{L}\p{N}]+|\s+|\p{N}+/uy;
const DIGIT = /^\p{N}/u;

/**
 * `text` cut inside every run of letters, of punctuation and symbols or of whitespace longer than MAX_RUN_CODE_POINTS,
 * into slices of that many code points (a surrogate pair is never split); text without such runs is one slice. Joined,
 * the slices are `text`. Linear in the length of `text`; counts are the sum of the slices' counts.
 */
export function sliceLongRuns(text: string): string[] {
  if (text.length <= MAX_RUN_CODE_POINTS) return [text];
  const slices: string[] = [];
  let sliceStart = 0;
  for (let runStart = 0; runStart < text.length; ) {
    RUN.lastIndex = runStart;
    // Every code point is in one of RUN's classes, so it always matches.
    const runEnd = RUN.test(text) ? RUN.lastIndex : text.length;
    // A run's length in UTF-16 code units bounds its length in code points.
    if (runEnd - runStart > MAX_RUN_CODE_POINTS && !DIGIT.test(text.slice(runStart, runStart + 2))) {
      let codePoints = 0;
      for (let offset = runStart; offset < runEnd; ) {
        offset += (text.codePointAt(offset) ?? 0) > 0xffff ? 2 : 1;
        codePoints += 1;
        if (codePoints === MAX_RUN_CODE_POINTS && offset < runEnd) {
          slices.push(text.slice(sliceStart, offset));
          sliceStart = offset;
          codePoints = 0;
        }
      }
    }
    runStart = runEnd;
  }
  slices.push(text.slice(sliceStart));
  return slices;
}

const loaded = new Map<Encoding, TokenCounter>();
const loading = new Map<Encoding, Promise<TokenCounter>>();

/** Loads an encoding once (concurrent calls share the load); afterwards the sync functions can use it. */
export function loadTokenizer(encoding: Encoding): Promise<TokenCounter> {
  const pending = loading.get(encoding);
  if (pending) return pending;
  const promise = loaders[encoding]().then(({ countTokens }) => {
    const count = (text: string) => {
      let tokens = 0;
      for (const slice of sliceLongRuns(text)) tokens += countTokens(slice, AS_PLAIN_TEXT);
      return tokens;
    };
    const counter: TokenCounter = { encoding, count };
    loaded.set(encoding, counter);
    return counter;
  });
  // The caller still sees the rejection; forgetting it lets a later call retry (e.g. a chunk that failed to fetch).
  promise.catch(() => loading.delete(encoding));
  loading.set(encoding, promise);
  return promise;
}

function counterFor(encoding: Encoding): TokenCounter {
  const counter = loaded.get(encoding);
  if (!counter) throw new Error(`The ${encoding} tokenizer is not loaded: await loadTokenizer("${encoding}") first.`);
  return counter;
}

/** Tokens in `text` alone (no chat framing). Needs `await loadTokenizer(encoding)` first. */
export function countTextTokens(text: string, encoding: Encoding): number {
  return counterFor(encoding).count(text);
}

// OpenAI's cookbook rule ("How to count tokens with tiktoken") for current chat models, which gpt-tokenizer's
// encodeChat reproduces: each message is framed as <|im_start|>{role}<|im_sep|>{content}<|im_end|>.
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
/** Every reply is primed with <|im_start|>assistant<|im_sep|>. */
const REPLY_PRIMING_TOKENS = 3;

/** Each role's name is one token in both encodings (the tests check this against the tokenizers). */
const ROLE_TOKENS: Readonly<Record<string, number>> = { system: 1, developer: 1, user: 1, assistant: 1 };

/** A chat message reduced to token counts: `contentTokens` is `countTextTokens(content)`, likewise `nameTokens`. */
export type CountedChatMessage = { role: string; contentTokens: number; nameTokens?: number };

/**
 * The chat framing rule, from per-message counts, so a server can count each stored message once and add them up:
 * per message 3 + role + content (+ name + 1), plus 3 for the reply priming. Needs no tokenizer. Throws for a role
 * other than system, developer, user or assistant (tool messages are framed differently).
 */
export function chatPromptTokensFromCounts(messages: readonly CountedChatMessage[]): number {
  let total = REPLY_PRIMING_TOKENS;
  for (const { role, contentTokens, nameTokens } of messages) {
    const roleTokens = Object.hasOwn(ROLE_TOKENS, role) ? ROLE_TOKENS[role] : undefined;
    if (roleTokens === undefined) throw new Error(`Cannot count the prompt tokens of a "${role}" message.`);
    total += TOKENS_PER_MESSAGE + roleTokens + contentTokens;
    if (nameTokens !== undefined) total += nameTokens + TOKENS_PER_NAME;
  }
  return total;
}

/**
 * What the Chat Completions API reports as prompt_tokens for these messages (text only, no tools): the framing of
 * chatPromptTokensFromCounts around each content's countTextTokens. Needs the model's encoding loaded.
 */
export function countChatPromptTokens(messages: readonly ChatMessage[], model: string): number {
  const { count } = counterFor(encodingForModel(model));
  return chatPromptTokensFromCounts(
    messages.map(({ role, content, name }) => ({
      role,
      contentTokens: count(content),
      nameTokens: name ? count(name) : undefined,
    })),
  );
}
