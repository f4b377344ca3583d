import "server-only";
import OpenAI from "openai";
import { getEnv } from "@/lib/env";
import { appError } from "@/lib/i18n/errors";
import { listModels } from "./models";
import type { UpstreamTimeouts } from "./upstream-stream";

/** How long the upstream's model list is reused, and how long listing it may take before the configured list is used. */
const LISTED_MODELS_TTL_MS = 5 * 60_000;
const LIST_MODELS_TIMEOUT_MS = 5_000;
let listedModels: { ids: string[]; until: number; pending?: Promise<string[]> } = { ids: [], until: 0 };

/**
 * The models the upstream's `GET /v1/models` lists (official `openai` SDK), cached for a few minutes. A failing or
 * slow listing (Ollama without the endpoint, a network fault) gives none and is tried again after the cache period:
 * the configured list still works.
 */
async function upstreamModels(): Promise<string[]> {
  const env = getEnv();
  if (!env.OPENAI_API_KEY) return [];
  if (Date.now() < listedModels.until) return listedModels.ids;
  listedModels.pending ??= (async () => {
    let ids: string[] = [];
    try {
      const client = new OpenAI({
        apiKey: env.OPENAI_API_KEY,
        baseURL: env.OPENAI_BASE_URL,
        timeout: LIST_MODELS_TIMEOUT_MS,
        maxRetries: 0,
      });
      for await (const model of client.models.list()) ids.push(model.id);
    } catch (error) {
      ids = [];
      console.warn(`[models] listing the upstream's models failed; offering the configured ones: ${String(error)}`);
    }
    listedModels = { ids, until: Date.now() + LISTED_MODELS_TTL_MS };
    return ids;
  })();
  return listedModels.pending;
}

export async function availableModels(): Promise<string[]> {
  const env = getEnv();
  return listModels({ defaultModel: env.OPENAI_MODEL, configured: env.OPENAI_MODELS, listed: await upstreamModels() });
}

export function defaultModel(): string {
  return getEnv().OPENAI_MODEL;
}

export async function assertKnownModel(model: string): Promise<void> {
  const models = await availableModels();
  if (!models.includes(model)) {
    throw appError("bad_request", { key: "errors.unknownModel", params: { model, models: models.join(", ") } });
  }
}

let client: { key: string; baseURL: string | undefined; client: OpenAI } | null = null;

/**
 * The official `openai` SDK's client for Chat Completions, at OPENAI_BASE_URL so any OpenAI-compatible server works;
 * one per key and URL, reused (its connection pool with it). Throws not_configured without a key.
 */
export function chatClient(): OpenAI {
  const env = getEnv();
  if (!env.OPENAI_API_KEY) throw appError("not_configured", "errors.missingApiKey");
  if (client?.key !== env.OPENAI_API_KEY || client.baseURL !== env.OPENAI_BASE_URL) {
    client = {
      key: env.OPENAI_API_KEY,
      baseURL: env.OPENAI_BASE_URL,
      client: new OpenAI({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL }),
    };
  }
  return client.client;
}

export function upstreamTimeouts(): UpstreamTimeouts {
  const env = getEnv();
  return {
    firstTokenMs: env.UPSTREAM_FIRST_TOKEN_TIMEOUT_SECONDS * 1000,
    idleMs: env.UPSTREAM_IDLE_TIMEOUT_SECONDS * 1000,
    totalMs: env.UPSTREAM_TOTAL_TIMEOUT_SECONDS * 1000,
  };
}
