// The worker thread behind token-pool.ts. Plain JavaScript, so that Node runs it as it is under vitest and tsx, where
// a .ts worker would not load (Node 20 cannot strip types), while `next build` bundles it with its imports.
// It only counts slices with gpt-tokenizer; the rules (which slices, the chat framing) stay in tokens.ts.
import { parentPort } from "node:worker_threads";

// Literal specifiers, so the bundler splits each encoding into its own chunk, loaded once and only when asked for.
const loaders = {
  o200k_base: () => import("gpt-tokenizer/encoding/o200k_base"),
  cl100k_base: () => import("gpt-tokenizer/encoding/cl100k_base"),
};

// gpt-tokenizer caches up to 100,000 pieces with their tokens. Random text sent on purpose fills it with pieces as long
// as a slice (measured: 20,000 random CJK slices held 100 MB, so ~0.5 GB per encoding when full); this bounds it to
// ~50 MB. Ordinary text hardly uses it: a common word is one token, found without it.
const MERGE_CACHE_ENTRIES = 10_000;

// The same option as tokens.ts: "<|endoftext|>" in user text is plain text, never a special token, and never throws.
const AS_PLAIN_TEXT = { disallowedSpecial: new Set() };

/** @type {Map<string, Promise<(text: string, options: object) => number>>} */
const counters = new Map();

/** @param {string} encoding */
function counterFor(encoding) {
  let counter = counters.get(encoding);
  if (!counter) {
    const load = Object.hasOwn(loaders, encoding) ? loaders[encoding] : undefined;
    if (!load) return Promise.reject(new Error(`Unknown encoding "${encoding}".`));
    counter = load().then((module) => {
      module.setMergeCacheSize(MERGE_CACHE_ENTRIES);
      return module.countTokens;
    });
    // Forgotten on failure, so a later job retries the load.
    counter.catch(() => counters.delete(encoding));
    counters.set(encoding, counter);
  }
  return counter;
}

// One job at a time: { encoding, slices: string[] } → { tokens: number } or { error: string }.
parentPort?.on("message", async ({ encoding, slices }) => {
  try {
    const countTokens = await counterFor(encoding);
    let tokens = 0;
    for (const slice of slices) tokens += countTokens(slice, AS_PLAIN_TEXT);
    parentPort?.postMessage({ tokens });
  } catch (error) {
    parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
