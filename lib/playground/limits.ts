// What a playground run may ask for: the rules the page checks as the user types and the server's schema applies
// (lib/playground/request.ts). Plain functions and numbers, safe in the browser (no zod here).

/** OpenAI's published context windows of its completion models (prompt and output together). */
const CONTEXT_WINDOWS: Record<string, number> = {
  "gpt-3.5-turbo-instruct": 4_096,
  "gpt-3.5-turbo-instruct-0914": 4_096,
  "davinci-002": 16_384,
  "babbage-002": 16_384,
};

/**
 * The most output tokens a choice may ask of a model whose window we do not know (a vLLM or llama.cpp model): a bound,
 * so the reservation (n times it) stays in sight and a typo is not sent as a million.
 */
export const MAX_TOKENS_UNKNOWN_MODEL = 32_768;
/** OpenAI's own default output limit of the endpoint; the page starts there. */
export const DEFAULT_MAX_TOKENS = 256;
/**
 * Choices per run. OpenAI takes up to 128; the page shows them side by side, and each multiplies the worst case
 * reserved (n × max_tokens), so four: enough to compare samples of one prompt, few enough to read.
 */
export const MAX_CHOICES = 4;
/** OpenAI takes at most four stop sequences. */
export const MAX_STOP_SEQUENCES = 4;
export const MAX_STOP_CHARS = 100;
/**
 * A prompt's characters: enough for a long few-shot prompt on a model with a large window (≈25,000 tokens of English);
 * a known window refuses sooner, by tokens.
 */
export const MAX_PROMPT_CHARS = 100_000;

/** The model's context window in tokens, or null when unknown. Dated snapshots share their model's. */
export function completionContextWindow(model: string): number | null {
  return CONTEXT_WINDOWS[model] ?? CONTEXT_WINDOWS[model.replace(/-\d{4}(-\d{2}-\d{2})?$/, "")] ?? null;
}

/** The most max_tokens may be: the window (less the prompt, once counted), or the bound for an unknown model. */
export function maxTokensLimit({ model, promptTokens = 0 }: { model: string; promptTokens?: number }): number {
  const window = completionContextWindow(model);
  return window === null ? MAX_TOKENS_UNKNOWN_MODEL : Math.max(0, window - promptTokens);
}

/**
 * The stop sequences of the page's field: one a line, `\n` and `\t` written as escapes (a stop at a line break is the
 * commonest), `\\` for a backslash. Empty lines are skipped.
 */
export function parseStopText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line !== "")
    .map((line) =>
      line.replace(/\\(n|t|\\)/g, (_, code: string) => (code === "n" ? "\n" : code === "t" ? "\t" : "\\")),
    );
}

/** Stop sequences as the field writes them (parseStopText reads them back). */
export function stopText(stops: readonly string[]): string {
  return stops.map((stop) => stop.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll("\t", "\\t")).join("\n");
}
