// The models a user can pick. Safe on the client: no secrets, no SDK imports.

export const DEFAULT_MODEL = "gpt-5-mini";

/** OpenAI chat models offered when OPENAI_MODELS is not set. */
export const OPENAI_CHAT_MODELS = [
  "gpt-5",
  "gpt-5-mini",
  "gpt-5-nano",
  "gpt-4.1",
  "gpt-4.1-mini",
  "gpt-4.1-nano",
  "gpt-4o",
  "gpt-4o-mini",
  "o4-mini",
  "o3",
] as const;

/** Largest number of output tokens we ask for on one reply; also the worst case budgets reserve. */
export const MAX_OUTPUT_TOKENS = 4096;

/**
 * The picker's list: OPENAI_MODELS (comma-separated, for OpenAI-compatible servers such as Ollama or DeepSeek)
 * or the OpenAI catalog, always including the configured default model, default first.
 */
export function listModels({ defaultModel, configured }: { defaultModel: string; configured?: string }): string[] {
  const names = configured
    ? configured
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean)
    : [...OPENAI_CHAT_MODELS];
  return [defaultModel, ...names.filter((name) => name !== defaultModel)];
}
