import "server-only";
import type OpenAI from "openai";
import { UpstreamStreamError } from "./errors";
import { modelCapabilities } from "./models";
import { chatClient } from "./provider";
import { isRefusal, readEventStream, type TimeoutKind, type UpstreamTimeouts, upstreamTimer } from "./upstream-stream";

export type { TimeoutKind, UpstreamTimeouts };

// Provider calls only: one streamed chat reply from the upstream, with the timeouts. How it reaches the browser
// (lib/chat/reply-stream.ts), what it costs and where it is stored are the caller's (lib/chat).
//
// The request goes through the official `openai` SDK (auth, base URL, retries with the upstream's retry-after, typed
// errors); its body, the Chat Completions SSE stream, is read with eventsource-parser (lib/ai/upstream-stream.ts), a
// chunk at a time and no more than it takes: one JSON.parse and a few field reads per chunk. The AI SDK's streamText
// did the same job through a dozen web-stream stages and a schema validation per chunk, ten times the CPU
// (docs/performance.md).

/** The model parameters sent with the call; absent ones are the model's defaults. Only what the model accepts. */
export type ReplyParameters = {
  temperature?: number;
  topP?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  reasoningEffort?: "minimal" | "low" | "medium" | "high";
};

/** A message sent upstream; a user message's `images` (data URLs) go as image parts after its text. */
export type ReplyMessage = { role: "user" | "assistant"; content: string; images?: string[] };

/** OpenAI's content parts for a user message with images: its text, then each image (detail "auto"). */
function upstreamMessage({ role, content, images }: ReplyMessage): OpenAI.ChatCompletionMessageParam {
  if (role === "assistant" || !images?.length) return { role, content };
  return {
    role,
    content: [
      { type: "text", text: content },
      ...images.map((url) => ({ type: "image_url" as const, image_url: { url, detail: "auto" as const } })),
    ],
  };
}

export type ReportedUsage = {
  promptTokens: number;
  completionTokens: number;
  cachedTokens?: number;
  reasoningTokens?: number;
};

export type ReplyOutcome = {
  text: string;
  /** How the reply ended: in full, stopped by our side (the user, a deleted chat), timed out, or failed upstream. */
  ending: "complete" | "stopped" | "timeout" | "error";
  timeout?: { kind: TimeoutKind; seconds: number };
  /** The upstream's error, for "error". */
  error?: unknown;
  /** The upstream answered with an error status (so it generated, and billed, nothing). */
  wasRefused: boolean;
  /** The usage the upstream reported (only a reply that ended normally has it). */
  usage?: ReportedUsage;
  finishReason?: string;
};

/** The AI SDK's names for OpenAI's finish reasons, as stored on messages and sent to useChat. */
const FINISH_REASONS: Record<string, string> = {
  stop: "stop",
  length: "length",
  content_filter: "content-filter",
  tool_calls: "tool-calls",
  function_call: "tool-calls",
};

type CompletionChunk = {
  error?: { message?: unknown };
  choices?: { delta?: { content?: unknown }; finish_reason?: unknown }[];
  usage?: {
    prompt_tokens?: unknown;
    completion_tokens?: unknown;
    prompt_tokens_details?: { cached_tokens?: unknown } | null;
    completion_tokens_details?: { reasoning_tokens?: unknown } | null;
  } | null;
};

export const count = (value: unknown) =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;

function reportedUsage(usage: CompletionChunk["usage"]): ReportedUsage | undefined {
  const promptTokens = count(usage?.prompt_tokens);
  const completionTokens = count(usage?.completion_tokens);
  if (promptTokens === undefined || completionTokens === undefined) return undefined;
  return {
    promptTokens,
    completionTokens,
    cachedTokens: count(usage?.prompt_tokens_details?.cached_tokens),
    reasoningTokens: count(usage?.completion_tokens_details?.reasoning_tokens),
  };
}

/**
 * The Chat Completions request, as the AI SDK's `openai.chat` shaped it: reasoning models (o-series, gpt-5) take the
 * system prompt as a developer message and the output limit as max_completion_tokens; others as system and
 * max_tokens (what OpenAI-compatible servers know).
 */
function completionRequest({
  model,
  messages,
  system,
  parameters,
  maxOutputTokens,
}: {
  model: string;
  messages: ReplyMessage[];
  system?: string;
  parameters: ReplyParameters;
  maxOutputTokens: number;
}): OpenAI.ChatCompletionCreateParamsStreaming {
  const { isReasoning } = modelCapabilities(model);
  return {
    model,
    stream: true,
    stream_options: { include_usage: true },
    messages: [
      ...(system === undefined ? [] : [{ role: isReasoning ? "developer" : "system", content: system } as const]),
      ...messages.map(upstreamMessage),
    ],
    ...(isReasoning ? { max_completion_tokens: maxOutputTokens } : { max_tokens: maxOutputTokens }),
    temperature: parameters.temperature,
    top_p: parameters.topP,
    presence_penalty: parameters.presencePenalty,
    frequency_penalty: parameters.frequencyPenalty,
    reasoning_effort: parameters.reasoningEffort,
  };
}

/**
 * Streams one reply, calling `onText` for each piece of text as it arrives, and resolves when it has ended, however
 * it ended (it never rejects for an upstream failure). `maxOutputTokens` goes upstream as the call's output limit (the
 * reservation's worst case), so the upstream cannot bill past it. Aborting `signal` stops the call; the timeouts stop
 * it too, and say which fired.
 */
export async function streamReply({
  model,
  messages,
  system,
  parameters = {},
  maxOutputTokens,
  signal,
  timeouts,
  onText,
}: {
  model: string;
  messages: ReplyMessage[];
  /** Sent as the first (system) message. */
  system?: string;
  parameters?: ReplyParameters;
  maxOutputTokens: number;
  signal: AbortSignal;
  timeouts: UpstreamTimeouts;
  onText: (delta: string) => void;
}): Promise<ReplyOutcome> {
  const timer = upstreamTimer(timeouts);
  let text = "";
  let usage: ReportedUsage | undefined;
  let finishReason: string | undefined;
  let failure: unknown;
  const onChunk = (chunk: CompletionChunk) => {
    if (chunk.error) {
      throw new UpstreamStreamError(typeof chunk.error.message === "string" ? chunk.error.message : "error event");
    }
    const choice = chunk.choices?.[0];
    // NUL is dropped: PostgreSQL stores no text holding it (lib/input-rules.ts), and it shows as nothing anyway.
    const delta = choice?.delta?.content;
    const content = typeof delta === "string" ? delta.replaceAll("\0", "") : undefined;
    if (content) {
      timer.onText();
      text += content;
      onText(content);
    }
    if (typeof choice?.finish_reason === "string") finishReason = FINISH_REASONS[choice.finish_reason] ?? "other";
    if (chunk.usage) usage = reportedUsage(chunk.usage) ?? usage;
  };
  try {
    const response = await chatClient()
      .chat.completions.create(completionRequest({ model, messages, system, parameters, maxOutputTokens }), {
        signal: AbortSignal.any([signal, timer.signal]),
        maxRetries: 1,
      })
      .asResponse();
    if (!response.body) throw new UpstreamStreamError("empty response");
    await readEventStream(response.body, (chunk) => onChunk(chunk as CompletionChunk));
  } catch (error) {
    failure = error;
  } finally {
    timer.clear();
  }

  const base = { text, finishReason, wasRefused: false };
  const timeout = timer.fired();
  if (timeout) return { ...base, ending: "timeout", timeout };
  if (signal.aborted) return { ...base, ending: "stopped" };
  if (failure !== undefined) return { ...base, ending: "error", error: failure, wasRefused: isRefusal(failure) };
  return { ...base, ending: "complete", usage };
}
