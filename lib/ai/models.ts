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

/**
 * Output tokens asked for on one reply when the conversation sets no limit (capped by the model's own maximum); the
 * limit is also the worst case budgets reserve.
 */
export const MAX_OUTPUT_TOKENS = 4096;

/** What a model takes: its parameters, and its limits where known (null: unknown). */
export type ModelCapabilities = {
  /** o-series and gpt-5 reasoning models: they refuse temperature, top_p and the penalties, and take reasoning effort. */
  isReasoning: boolean;
  /** Reasoning efforts it accepts (empty for a plain chat model). */
  reasoningEfforts: readonly ("minimal" | "low" | "medium" | "high")[];
  /** Prompt and output tokens together. */
  contextWindow: number | null;
  maxOutputTokens: number | null;
};

type ModelLimits = { contextWindow: number; maxOutputTokens: number };

// OpenAI's published limits (platform.openai.com/docs/models). Dated snapshots (`gpt-4o-2024-08-06`) share their
// model's limits. A model not listed has unknown limits: nothing is refused or trimmed for want of a number.
const KNOWN_LIMITS: Record<string, ModelLimits> = {
  "gpt-5": { contextWindow: 400_000, maxOutputTokens: 128_000 },
  "gpt-5-mini": { contextWindow: 400_000, maxOutputTokens: 128_000 },
  "gpt-5-nano": { contextWindow: 400_000, maxOutputTokens: 128_000 },
  "gpt-5-chat-latest": { contextWindow: 128_000, maxOutputTokens: 16_384 },
  "gpt-4.1": { contextWindow: 1_047_576, maxOutputTokens: 32_768 },
  "gpt-4.1-mini": { contextWindow: 1_047_576, maxOutputTokens: 32_768 },
  "gpt-4.1-nano": { contextWindow: 1_047_576, maxOutputTokens: 32_768 },
  "gpt-4o": { contextWindow: 128_000, maxOutputTokens: 16_384 },
  "gpt-4o-mini": { contextWindow: 128_000, maxOutputTokens: 16_384 },
  "gpt-4-turbo": { contextWindow: 128_000, maxOutputTokens: 4_096 },
  "gpt-4": { contextWindow: 8_192, maxOutputTokens: 8_192 },
  "gpt-3.5-turbo": { contextWindow: 16_385, maxOutputTokens: 4_096 },
  o1: { contextWindow: 200_000, maxOutputTokens: 100_000 },
  "o3-mini": { contextWindow: 200_000, maxOutputTokens: 100_000 },
  o3: { contextWindow: 200_000, maxOutputTokens: 100_000 },
  "o4-mini": { contextWindow: 200_000, maxOutputTokens: 100_000 },
};

const DATED_SNAPSHOT = /-\d{4}-\d{2}-\d{2}$/;
const O_SERIES = /^o\d/;

/** What `model` accepts; ids of unknown kind (OPENAI_MODELS for Ollama, DeepSeek…) are plain chat models. */
export function modelCapabilities(model: string): ModelCapabilities {
  const base = model.replace(DATED_SNAPSHOT, "");
  const limits = KNOWN_LIMITS[base] ?? null;
  const isGpt5Reasoning = base.startsWith("gpt-5") && !base.startsWith("gpt-5-chat");
  const isReasoning = isGpt5Reasoning || O_SERIES.test(base);
  return {
    isReasoning,
    reasoningEfforts: isGpt5Reasoning
      ? ["minimal", "low", "medium", "high"]
      : isReasoning
        ? ["low", "medium", "high"]
        : [],
    contextWindow: limits?.contextWindow ?? null,
    maxOutputTokens: limits?.maxOutputTokens ?? null,
  };
}

/** The output limit a reply asks for (and reserves): the conversation's, or the default, never past the model's. */
export function effectiveMaxOutputTokens({ model, maxOutputTokens }: { model: string; maxOutputTokens?: number }) {
  const modelMax = modelCapabilities(model).maxOutputTokens;
  const wanted = maxOutputTokens ?? MAX_OUTPUT_TOKENS;
  return modelMax === null ? wanted : Math.min(wanted, modelMax);
}

// OpenAI's /v1/models lists every model of the account: embeddings, audio, images and moderation cannot chat, nor can
// the Completions-only models (gpt-3.5-turbo-instruct, davinci-002, babbage-002: the Playground's). Other servers'
// "…-instruct" models (Llama, Qwen) are chat models: only OpenAI's own instruct model is left out.
const NOT_CHAT =
  /(embedding|whisper|tts|dall-e|gpt-image|moderation|davinci|babbage|gpt-3\.5-turbo-instruct|realtime|audio|transcribe|search|computer-use|codex|sora|image)/;

/** The ids of an upstream's `GET /v1/models` that can be offered for chat, in its order, without duplicates. */
export function chatModelsOf(ids: readonly string[]): string[] {
  return [...new Set(ids.filter((id) => !NOT_CHAT.test(id)))];
}

/**
 * The picker's list: OPENAI_MODELS (comma-separated, for OpenAI-compatible servers such as Ollama or DeepSeek)
 * or the OpenAI catalog, then the chat models the upstream lists, always including the configured default model,
 * default first.
 */
export function listModels({
  defaultModel,
  configured,
  listed = [],
}: {
  defaultModel: string;
  configured?: string;
  /** What the upstream's GET /v1/models lists, added after the configured ones. */
  listed?: readonly string[];
}): string[] {
  const names = configured
    ? configured
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean)
    : [...OPENAI_CHAT_MODELS];
  return [...new Set([defaultModel, ...names, ...chatModelsOf(listed)])];
}

// OpenAI's chat models that take images (platform.openai.com/docs/guides/images-vision): gpt-4o*, gpt-4.1*, gpt-4.5*,
// gpt-4-turbo, gpt-5*, o1 (not o1-mini), o3 (not o3-mini), o4-mini. Dated snapshots share their model's answer.
const VISION = /^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-4-turbo|gpt-5|o1(?!-mini)|o3(?!-mini)|o4-mini)(-|$)/;

/**
 * Whether `model` accepts images in a user message: OpenAI's vision models, and the ids an operator lists in
 * OPENAI_VISION_MODELS (`extra`, for OpenAI-compatible servers: llava, qwen-vl, …).
 */
export function acceptsImages(model: string, extra: readonly string[] = []): boolean {
  return extra.includes(model) || VISION.test(model);
}
