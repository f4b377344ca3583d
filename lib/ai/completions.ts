import "server-only";
import OpenAI from "openai";
import { count } from "./chat-stream";
import { UpstreamStreamError } from "./errors";
import { chatClient } from "./provider";
import { isRefusal, readEventStream, type TimeoutKind, type UpstreamTimeouts, upstreamTimer } from "./upstream-stream";

// Provider calls only: one streamed call of the legacy Completions endpoint (POST /v1/completions) through the official
// `openai` SDK, for the playground (lib/playground). In two steps, so that a refusal (a server without the endpoint, a
// chat model) is known before anything is streamed to the browser: `startCompletion` resolves once the upstream has
// accepted the call (its 2xx headers) or failed it; `read` streams the accepted call's choices to their end.

/** What goes upstream besides the model and prompt; absent ones are the upstream's defaults. */
export type CompletionParameters = {
  temperature?: number;
  topP?: number;
  /** Each choice's output limit (also what is reserved, n times). */
  maxTokens: number;
  stop: string[];
  n: number;
};

export type CompletionChoice = { text: string; finishReason: string | null };

export type CompletionOutcome = {
  /** One per choice asked for, in index order (empty text for a choice the upstream never sent). */
  choices: CompletionChoice[];
  ending: "complete" | "stopped" | "timeout" | "error";
  timeout?: { kind: TimeoutKind; seconds: number };
  error?: unknown;
  /** The upstream answered with an error status: it generated, and billed, nothing. */
  wasRefused: boolean;
  /** The usage the upstream reported (prompt once, completion tokens of every choice summed). */
  usage?: { promptTokens: number; completionTokens: number };
};

export type CompletionStart =
  | { isAccepted: true; read: (onText: (index: number, text: string) => void) => Promise<CompletionOutcome> }
  | { isAccepted: false; outcome: CompletionOutcome };

type CompletionChunk = {
  error?: { message?: unknown };
  choices?: { index?: unknown; text?: unknown; finish_reason?: unknown }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
};

/**
 * Servers that have no text completions answer 404 (no such route; OpenAI for a chat model: "This is a chat model and
 * not supported in the v1/completions endpoint"), 405 or 501, or 400 saying the operation is not supported (Azure's
 * OperationNotSupported). A 404 for an unknown model (`model_not_found`) is not that: the model is wrong, not the server.
 */
export function isCompletionsUnsupported(error: unknown): boolean {
  if (!(error instanceof OpenAI.APIError) || error.status === undefined) return false;
  const body = error.error as { code?: unknown; message?: unknown } | undefined;
  const code = error.code ?? body?.code;
  const message = typeof body?.message === "string" ? body.message : error.message;
  if (error.status === 404) return code !== "model_not_found";
  if (error.status === 405 || error.status === 501) return true;
  return (
    error.status === 400 &&
    (code === "OperationNotSupported" || /not supported in the v1\/completions|completion operation/i.test(message))
  );
}

export async function startCompletion({
  model,
  prompt,
  parameters,
  signal,
  timeouts,
}: {
  model: string;
  prompt: string;
  parameters: CompletionParameters;
  /** Aborting it stops the call (Stop, the browser gone). */
  signal: AbortSignal;
  timeouts: UpstreamTimeouts;
}): Promise<CompletionStart> {
  const timer = upstreamTimer(timeouts);
  const choices: CompletionChoice[] = Array.from({ length: parameters.n }, () => ({ text: "", finishReason: null }));
  const ended = (failure: unknown, usage?: CompletionOutcome["usage"]): CompletionOutcome => {
    timer.clear();
    const timeout = timer.fired();
    if (timeout) return { choices, ending: "timeout", timeout, wasRefused: false };
    if (signal.aborted) return { choices, ending: "stopped", wasRefused: false };
    if (failure !== undefined) return { choices, ending: "error", error: failure, wasRefused: isRefusal(failure) };
    return { choices, ending: "complete", usage, wasRefused: false };
  };
  let response: Response;
  try {
    response = await chatClient()
      .completions.create(
        {
          model,
          prompt,
          stream: true,
          stream_options: { include_usage: true },
          max_tokens: parameters.maxTokens,
          n: parameters.n,
          temperature: parameters.temperature,
          top_p: parameters.topP,
          ...(parameters.stop.length > 0 ? { stop: parameters.stop } : {}),
        },
        { signal: AbortSignal.any([signal, timer.signal]), maxRetries: 1 },
      )
      .asResponse();
  } catch (error) {
    return { isAccepted: false, outcome: ended(error) };
  }
  return {
    isAccepted: true,
    read: async (onText) => {
      let usage: CompletionOutcome["usage"];
      const onChunk = (chunk: CompletionChunk) => {
        if (chunk.error) {
          throw new UpstreamStreamError(typeof chunk.error.message === "string" ? chunk.error.message : "error event");
        }
        for (const choice of chunk.choices ?? []) {
          const index = count(choice.index) ?? 0;
          const into = choices[index];
          if (!into) continue; // A choice past those asked for: nothing to show it in (and not billed as ours).
          // NUL is dropped: PostgreSQL stores no text holding it (lib/input-rules.ts).
          const text = typeof choice.text === "string" ? choice.text.replaceAll("\0", "") : "";
          if (text) {
            timer.onText();
            into.text += text;
            onText(index, text);
          }
          if (typeof choice.finish_reason === "string") into.finishReason = choice.finish_reason;
        }
        const promptTokens = count(chunk.usage?.prompt_tokens);
        const completionTokens = count(chunk.usage?.completion_tokens);
        if (promptTokens !== undefined && completionTokens !== undefined) usage = { promptTokens, completionTokens };
      };
      try {
        if (!response.body) throw new UpstreamStreamError("empty response");
        await readEventStream(response.body, (chunk) => onChunk(chunk as CompletionChunk));
        return ended(undefined, usage);
      } catch (error) {
        return ended(error);
      }
    },
  };
}
