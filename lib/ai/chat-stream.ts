import "server-only";
import { APICallError, type LanguageModelUsage, RetryError, streamText } from "ai";
import { chatModel } from "./provider";

// Provider calls only: one streamed chat reply from the upstream, with the timeouts. How it reaches the browser
// (lib/chat/reply-stream.ts), what it costs and where it is stored are the caller's (lib/chat).

export type UpstreamTimeouts = {
  /** Until the first text arrives (reasoning models think first). */
  firstTokenMs: number;
  /** Between two chunks of text once it flows. */
  idleMs: number;
  /** For the whole reply. */
  totalMs: number;
};

/** The model parameters sent with the call; absent ones are the model's defaults. Only what the model accepts. */
export type ReplyParameters = {
  temperature?: number;
  topP?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  reasoningEffort?: "minimal" | "low" | "medium" | "high";
};

export type TimeoutKind = "first-token" | "idle" | "total";

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

class UpstreamTimeoutError extends Error {
  constructor(
    readonly kind: TimeoutKind,
    readonly seconds: number,
  ) {
    super(`upstream ${kind} timeout of ${seconds} s`);
    this.name = "UpstreamTimeoutError";
  }
}

/** The upstream answered with an error status (so it generated, and billed, nothing). */
function isRefusal(error: unknown): boolean {
  const cause = RetryError.isInstance(error) ? error.lastError : error;
  return APICallError.isInstance(cause) && cause.statusCode !== undefined && cause.statusCode >= 400;
}

function reportedUsage(usage: LanguageModelUsage | undefined): ReportedUsage | undefined {
  if (usage?.inputTokens === undefined || usage.outputTokens === undefined) return undefined;
  return {
    promptTokens: usage.inputTokens,
    completionTokens: usage.outputTokens,
    cachedTokens: usage.inputTokenDetails.cacheReadTokens,
    reasoningTokens: usage.outputTokenDetails.reasoningTokens,
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
  messages: { role: "user" | "assistant"; content: string }[];
  /** Sent as the first (system) message. */
  system?: string;
  parameters?: ReplyParameters;
  maxOutputTokens: number;
  signal: AbortSignal;
  timeouts: UpstreamTimeouts;
  onText: (delta: string) => void;
}): Promise<ReplyOutcome> {
  const timer = new AbortController();
  const fire = (kind: TimeoutKind, ms: number) => () =>
    timer.abort(new UpstreamTimeoutError(kind, Math.round(ms / 1000)));
  const total = setTimeout(fire("total", timeouts.totalMs), timeouts.totalMs);
  let idle = setTimeout(fire("first-token", timeouts.firstTokenMs), timeouts.firstTokenMs);

  let text = "";
  let usage: LanguageModelUsage | undefined;
  let finishReason: string | undefined;
  let failure: unknown;
  try {
    const result = streamText({
      model: chatModel(model),
      system,
      messages,
      maxOutputTokens,
      temperature: parameters.temperature,
      topP: parameters.topP,
      presencePenalty: parameters.presencePenalty,
      frequencyPenalty: parameters.frequencyPenalty,
      providerOptions: parameters.reasoningEffort
        ? { openai: { reasoningEffort: parameters.reasoningEffort } }
        : undefined,
      maxRetries: 1,
      abortSignal: AbortSignal.any([signal, timer.signal]),
      // Errors reach us as stream parts below; the SDK's default would log the whole request.
      onError: () => {},
    });
    for await (const part of result.fullStream) {
      if (part.type === "text-delta") {
        clearTimeout(idle);
        idle = setTimeout(fire("idle", timeouts.idleMs), timeouts.idleMs);
        text += part.text;
        onText(part.text);
      } else if (part.type === "finish-step") {
        usage = part.usage;
        finishReason = part.finishReason;
      } else if (part.type === "finish") {
        usage = part.totalUsage;
        finishReason = part.finishReason;
      } else if (part.type === "error") {
        failure = part.error;
      }
    }
  } catch (error) {
    failure = error;
  } finally {
    clearTimeout(total);
    clearTimeout(idle);
  }

  const base = { text, finishReason, wasRefused: false };
  if (timer.signal.aborted) {
    const reason = timer.signal.reason as UpstreamTimeoutError;
    return { ...base, ending: "timeout", timeout: { kind: reason.kind, seconds: reason.seconds } };
  }
  if (signal.aborted) return { ...base, ending: "stopped" };
  if (failure !== undefined) return { ...base, ending: "error", error: failure, wasRefused: isRefusal(failure) };
  return { ...base, ending: "complete", usage: reportedUsage(usage) };
}
