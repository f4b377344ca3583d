"use client";

import { useCallback, useEffect, useRef, useState } from "react";
// Types only: the tokenizer and its multi-megabyte encodings load inside the worker, never on the main thread.
import type {
  HistoryChange,
  PromptContext,
  PromptCount,
  PromptEstimateRequest,
  PromptEstimateResponse,
  PromptMessage,
  TokenWorkerMessage,
} from "@/lib/billing/prompt-counter";
import { isSentUpstream } from "@/lib/chat/history";
import { type ChatUIMessage, messageText } from "@/lib/chat/ui-message";
import { whenIdle } from "./when-idle";

export type { PromptMessage } from "@/lib/billing/prompt-counter";

export type PromptEstimate = {
  /** Prompt tokens of the next request (history + draft), or null while there is none yet or counting is off. */
  promptTokens: number | null;
  /** A newer draft, history or model is waiting to be counted; `promptTokens` is the previous answer until then. */
  isCounting: boolean;
  encoding?: string;
  /** False when the model's tokenizer is unknown and o200k_base stood in: the count is then a rougher estimate. */
  isKnownEncoding?: boolean;
  /** Older messages the context policy will leave out. */
  omitted?: number;
  /** The server will refuse this prompt: it cannot fit the model's context window. */
  overflow?: PromptCount["overflow"];
};

const IDLE: PromptEstimate = { promptTokens: null, isCounting: false };
const DEBOUNCE_MS = 150;
// A streaming reply changes the history more often than the debounce; this bounds how long an estimate can lag.
const MAX_WAIT_MS = 1000;

/**
 * The messages the server will send upstream before the next user message, by the server's own rule
 * (lib/chat/history.ts: failed replies and empty ones left out). Memoize on `messages`, so typing does not compare the
 * history again.
 */
export function promptHistory(messages: readonly ChatUIMessage[]): PromptMessage[] {
  const history: PromptMessage[] = [];
  for (const message of messages) {
    const content = messageText(message);
    if (isSentUpstream({ role: message.role, content, status: message.metadata?.status })) {
      history.push({ id: message.id, role: message.role, content });
    }
  }
  return history;
}

/**
 * Live prompt-token estimate of the next request: `history` plus `draft` as the new user message, counted with the
 * model's real tokenizer in a Web Worker. The worker starts, and fetches the model's encoding, when the page is first
 * idle (and again on idle after a change of model), so the first keystroke waits for no download. Only the draft is
 * re-tokenized while typing. Without Web Workers (or if the worker fails) the estimate stays null; nothing is counted
 * on the main thread.
 */
export function usePromptEstimate({
  model,
  history,
  draft,
  context,
}: {
  model: string;
  /** Null while part of it is on its way (the older messages' counts): the estimate waits for it. */
  history: readonly PromptMessage[] | null;
  draft: string;
  /** The system prompt, the context window and policy, the output limit: what the server fits the prompt by. */
  context: PromptContext;
}): PromptEstimate {
  // Compared by value: callers build it afresh on each render.
  const contextKey = JSON.stringify(context);
  const [estimate, setEstimate] = useState<PromptEstimate>(IDLE);
  // A render may build an equal history anew (unmemoized `promptHistory`); only a real change schedules a count,
  // otherwise each answer's re-render would schedule the next one.
  const [stableHistory, setStableHistory] = useState(history);
  if (history !== stableHistory && !isSameHistory(history, stableHistory)) setStableHistory(history);
  const client = useRef<TokenWorkerClient | null>(null);
  const isUnavailable = useRef(false);
  /** When the oldest change not yet sent to the worker happened (performance.now()), or null when none waits. */
  const waitingSince = useRef<number | null>(null);
  // Nothing to estimate until there is something to send (the composer's Send button has the same rule).
  const isActive = draft.trim() !== "";

  /** The worker's client, started on first use; null once the worker proved unavailable. */
  const connect = useCallback(() => {
    if (isUnavailable.current) return null;
    client.current ??= createTokenWorkerClient({
      onEstimate: (response) => {
        const isCounting = waitingSince.current !== null;
        if ("error" in response) {
          console.error(`[prompt estimate] ${response.error}`);
          setEstimate({ promptTokens: null, isCounting });
        } else {
          const { promptTokens, encoding, isKnownEncoding, omitted, overflow } = response;
          setEstimate({ promptTokens, isCounting, encoding, isKnownEncoding, omitted, overflow });
        }
      },
      onUnavailable: () => {
        isUnavailable.current = true;
        client.current = null;
        setEstimate(IDLE);
      },
    });
    return client.current;
  }, []);

  useEffect(() => whenIdle(() => connect()?.preload(model)), [connect, model]);

  useEffect(() => {
    if (!isActive || isUnavailable.current) {
      waitingSince.current = null;
      client.current?.forgetPending();
      setEstimate(IDLE);
      return;
    }
    if (stableHistory === null) {
      client.current?.forgetPending();
      setEstimate((current) => (current.isCounting ? current : { ...current, isCounting: true }));
      return;
    }
    const now = performance.now();
    waitingSince.current ??= now;
    const delay = Math.min(DEBOUNCE_MS, Math.max(0, waitingSince.current + MAX_WAIT_MS - now));
    setEstimate((current) => (current.isCounting ? current : { ...current, isCounting: true }));

    const timer = setTimeout(() => {
      waitingSince.current = null;
      connect()?.request({ model, history: stableHistory, draft, context: JSON.parse(contextKey) });
    }, delay);
    return () => clearTimeout(timer);
  }, [connect, isActive, model, stableHistory, draft, contextKey]);

  useEffect(
    () => () => {
      client.current?.terminate();
      client.current = null;
    },
    [],
  );

  return estimate;
}

type TokenWorkerClient = {
  request(input: { model: string; history: readonly PromptMessage[]; draft: string; context: PromptContext }): void;
  /** Have the worker load `model`'s encoding now. */
  preload(model: string): void;
  /** Answers to requests already sent are ignored from now on. */
  forgetPending(): void;
  terminate(): void;
};

function createTokenWorkerClient({
  onEstimate,
  onUnavailable,
}: {
  /** Called only with the answer to the newest request. */
  onEstimate: (response: PromptEstimateResponse) => void;
  /** Called once, when Web Workers are missing or the worker failed; the client is then unusable. */
  onUnavailable: () => void;
}): TokenWorkerClient {
  const unavailable: TokenWorkerClient = { request: onUnavailable, preload() {}, forgetPending() {}, terminate() {} };
  if (typeof Worker === "undefined") {
    console.warn("[prompt estimate] Web Workers are unavailable; no token estimate is shown.");
    return unavailable;
  }
  let worker: Worker;
  try {
    // This exact form is what Turbopack/webpack recognise to bundle the worker and its imports as their own chunks.
    worker = new Worker(new URL("./token-worker.ts", import.meta.url), { type: "module" });
  } catch (error) {
    console.warn("[prompt estimate] the token worker could not start; no token estimate is shown.", error);
    return unavailable;
  }

  let newestRequestId = 0;
  let isTerminated = false;
  /** The history the worker holds, so a request carries only how it changed. */
  let sentHistory: readonly PromptMessage[] = [];

  worker.addEventListener("message", (event: MessageEvent<PromptEstimateResponse>) => {
    if (!isTerminated && event.data.requestId === newestRequestId) onEstimate(event.data);
  });
  worker.addEventListener("error", (event) => {
    console.error("[prompt estimate] the token worker failed; no token estimate is shown.", event.message);
    terminate();
    onUnavailable();
  });

  function terminate() {
    isTerminated = true;
    worker.terminate();
  }

  return {
    request({ model, history, draft, context }) {
      if (isTerminated) return;
      newestRequestId += 1;
      const message: PromptEstimateRequest = { requestId: newestRequestId, model, draft, context };
      if (history !== sentHistory) {
        const change = historyChange(sentHistory, history);
        if (change) message.history = change;
        sentHistory = history;
      }
      worker.postMessage(message);
    },
    preload(model) {
      if (!isTerminated) worker.postMessage({ preload: model } satisfies TokenWorkerMessage);
    },
    forgetPending() {
      newestRequestId += 1;
    },
    terminate,
  };
}

function isSameMessage(a: PromptMessage | undefined, b: PromptMessage | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    a.id === b.id &&
    a.role === b.role &&
    a.content === b.content &&
    a.contentTokens === b.contentTokens
  );
}

// Unchanged contents are usually the same string objects from render to render, which compare in O(1).
function isSameHistory(a: readonly PromptMessage[] | null, b: readonly PromptMessage[] | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return a.length === b.length && a.every((message, index) => isSameMessage(message, b[index]));
}

/**
 * `to` as a change of `from` (the common start kept, the rest sent), or null when they are equal. Everything posted
 * is copied on the main thread (~13–23 ms for a 200k-token history in Chromium), so only the changed tail is sent.
 */
export function historyChange(from: readonly PromptMessage[], to: readonly PromptMessage[]): HistoryChange | null {
  let keep = 0;
  while (keep < from.length && keep < to.length && isSameMessage(from[keep], to[keep])) keep += 1;
  if (keep === from.length && keep === to.length) return null;
  // Only the fields the worker needs: callers' messages may carry more.
  return {
    keep,
    append: to
      .slice(keep)
      .map(({ id, role, content, contentTokens }) =>
        contentTokens === undefined ? { id, role, content } : { id, role, content, contentTokens },
      ),
  };
}
