import "server-only";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import OpenAI from "openai";
import { UpstreamStreamError } from "./errors";

// What every streamed upstream call shares (a chat reply, lib/ai/chat-stream.ts; a playground completion,
// lib/ai/completions.ts): the timeouts that cut off a provider that never answers, stalls or never ends, and the SSE
// body read chunk by chunk with eventsource-parser (one JSON.parse per chunk, docs/performance.md).

export type UpstreamTimeouts = {
  /** Until the first text arrives (reasoning models think first). */
  firstTokenMs: number;
  /** Between two chunks of text once it flows. */
  idleMs: number;
  /** For the whole reply. */
  totalMs: number;
};

export type TimeoutKind = "first-token" | "idle" | "total";

class UpstreamTimeoutError extends Error {
  constructor(
    readonly kind: TimeoutKind,
    readonly seconds: number,
  ) {
    super(`upstream ${kind} timeout of ${seconds} s`);
    this.name = "UpstreamTimeoutError";
  }
}

/**
 * The three timers of one call: `signal` aborts when one fires; `onText` when text arrives (the first-token timer
 * becomes the idle one, and restarts); `fired` says which fired, if one did; `clear` once the call ended.
 */
export function upstreamTimer(timeouts: UpstreamTimeouts) {
  const timer = new AbortController();
  const fire = (kind: TimeoutKind, ms: number) => () =>
    timer.abort(new UpstreamTimeoutError(kind, Math.round(ms / 1000)));
  const total = setTimeout(fire("total", timeouts.totalMs), timeouts.totalMs);
  let idle = setTimeout(fire("first-token", timeouts.firstTokenMs), timeouts.firstTokenMs);
  return {
    signal: timer.signal,
    onText() {
      clearTimeout(idle);
      idle = setTimeout(fire("idle", timeouts.idleMs), timeouts.idleMs);
    },
    fired(): { kind: TimeoutKind; seconds: number } | undefined {
      if (!timer.signal.aborted) return undefined;
      const { kind, seconds } = timer.signal.reason as UpstreamTimeoutError;
      return { kind, seconds };
    },
    clear() {
      clearTimeout(total);
      clearTimeout(idle);
    },
  };
}

/** The upstream answered with an error status (so it generated, and billed, nothing). */
export function isRefusal(error: unknown): boolean {
  return error instanceof OpenAI.APIError && error.status !== undefined && error.status >= 400;
}

/**
 * Reads an SSE body to its end, handing each event's parsed JSON to `onChunk` (`data: [DONE]` ends nothing early; it
 * is skipped). A chunk that is not JSON, an UpstreamStreamError thrown by `onChunk` (an error event) or a dropped
 * connection rejects with an UpstreamStreamError once what came before it was handed over.
 */
export async function readEventStream(body: ReadableStream<Uint8Array>, onChunk: (chunk: unknown) => void) {
  let parseFailure: unknown;
  const parser = createParser({
    onEvent: ({ data }: EventSourceMessage) => {
      if (parseFailure !== undefined || data === "[DONE]") return;
      try {
        onChunk(JSON.parse(data));
      } catch (error) {
        parseFailure = error instanceof UpstreamStreamError ? error : new UpstreamStreamError("a chunk is not JSON");
      }
    },
  });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
      if (parseFailure !== undefined) {
        await reader.cancel().catch(() => {});
        throw parseFailure;
      }
    }
  } catch (error) {
    // The fetch's own words for a dropped connection ("terminated"), as the reason shown.
    throw error instanceof UpstreamStreamError
      ? error
      : new UpstreamStreamError(error instanceof Error ? error.message : String(error));
  }
}
