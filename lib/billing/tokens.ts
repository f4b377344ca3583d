// Token counts with the model's real BPE (gpt-tokenizer, same ranks as OpenAI's tiktoken), used to reserve budget
// before a request and to estimate a reply whose stream was cut. What is charged comes from the upstream's reported
// usage; these counts are estimates. The encodings are big (o200k_base ≈ 2.4 MB of JS), so they load on demand:
// `await loadTokenizer(encodingForModel(model))` once, then the sync functions below work, in Node or a Web Worker.

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
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

const loaded = new Map<Encoding, TokenCounter>();
const loading = new Map<Encoding, Promise<TokenCounter>>();

/** Loads an encoding once (concurrent calls share the load); afterwards the sync functions can use it. */
export function loadTokenizer(encoding: Encoding): Promise<TokenCounter> {
  const pending = loading.get(encoding);
  if (pending) return pending;
  const promise = loaders[encoding]().then(({ countTokens }) => {
    const counter: TokenCounter = { encoding, count: (text) => countTokens(text, AS_PLAIN_TEXT) };
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

/**
 * What the Chat Completions API reports as prompt_tokens for these messages (text only, no tools): per message
 * 3 + role + content (+ name + 1), plus 3 for the reply priming. Needs the model's encoding loaded.
 */
export function countChatPromptTokens(messages: readonly ChatMessage[], model: string): number {
  const { count } = counterFor(encodingForModel(model));
  let total = REPLY_PRIMING_TOKENS;
  for (const { role, content, name } of messages) {
    total += TOKENS_PER_MESSAGE + count(role) + count(content);
    if (name) total += count(name) + TOKENS_PER_NAME;
  }
  return total;
}

/**
 * Completion tokens of a reply we only have as text (a stopped or cut stream without usage). Hidden reasoning
 * tokens are billed as output but never streamed, so for reasoning models this is a lower bound.
 */
export function estimateCompletionTokens(text: string, model: string): number {
  return counterFor(encodingForModel(model)).count(text);
}

// TEMPORARY until the token-pool branch lands (it defines this with role-token constants checked by tests).
export function chatPromptTokensFromCounts(
  messages: readonly { role: string; contentTokens: number }[],
  _encoding: Encoding,
): number {
  let total = REPLY_PRIMING_TOKENS;
  for (const { contentTokens } of messages) total += TOKENS_PER_MESSAGE + 1 + contentTokens;
  return total;
}
