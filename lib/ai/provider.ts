import "server-only";
import { createOpenAI } from "@ai-sdk/openai";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { UpstreamTimeouts } from "./chat-stream";
import { listModels } from "./models";

export const MISSING_KEY_MESSAGE =
  "No OpenAI API key is configured. Set OPENAI_API_KEY in .env.local (and OPENAI_BASE_URL to use an " +
  "OpenAI-compatible server such as Ollama, DeepSeek or Azure), then restart the server.";

export function availableModels(): string[] {
  const env = getEnv();
  return listModels({ defaultModel: env.OPENAI_MODEL, configured: env.OPENAI_MODELS });
}

export function defaultModel(): string {
  return getEnv().OPENAI_MODEL;
}

export function assertKnownModel(model: string): void {
  if (!availableModels().includes(model)) {
    throw new AppError("bad_request", `Unknown model "${model}". Choose one of: ${availableModels().join(", ")}.`);
  }
}

/** Chat Completions model (`openai.chat`), so any OpenAI-compatible base URL works. */
export function chatModel(model: string) {
  const env = getEnv();
  if (!env.OPENAI_API_KEY) throw new AppError("not_configured", MISSING_KEY_MESSAGE);
  const openai = createOpenAI({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL });
  return openai.chat(model);
}

export function upstreamTimeouts(): UpstreamTimeouts {
  const env = getEnv();
  return {
    firstTokenMs: env.UPSTREAM_FIRST_TOKEN_TIMEOUT_SECONDS * 1000,
    idleMs: env.UPSTREAM_IDLE_TIMEOUT_SECONDS * 1000,
    totalMs: env.UPSTREAM_TOTAL_TIMEOUT_SECONDS * 1000,
  };
}
