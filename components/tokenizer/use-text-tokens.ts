"use client";

import { useEffect, useRef, useState } from "react";
import type { TokenWorkerMessage } from "@/lib/billing/prompt-counter";
// Types only: the tokenizer and its multi-megabyte encodings load inside the worker, never on the main thread.
import type { TextTokens, TokenizeResponse } from "@/lib/billing/token-spans";
import type { Encoding } from "@/lib/billing/tokens";

/** What the worker answered for `text`, the text it was asked about (the spans are offsets into it). */
export type TokenizedText = TextTokens & { text: string };

export type TextTokensState = {
  /** The newest answer; while a newer text is counted, the previous one (isCounting says so). Null for no text. */
  result: TokenizedText | null;
  isCounting: boolean;
  error: string | null;
};

// Typing waits this long for a pause; a paste or an example is counted at once.
const DEBOUNCE_MS = 150;

/**
 * `text` split into tokens in `encoding` and counted in every encoding, by the chat's token worker
 * (components/chat/token-worker.ts), debounced while typing. Answers to requests a newer one superseded are dropped,
 * in the worker when it can and here otherwise. Without Web Workers the result stays null and `error` says why:
 * nothing is tokenized on the main thread, which 100,000 characters would freeze.
 */
export function useTextTokens({
  text,
  encoding,
  isImmediate,
}: {
  text: string;
  encoding: Encoding;
  /** Count this text without waiting for a pause (a paste, an example, a change of encoding). */
  isImmediate: boolean;
}): TextTokensState {
  const [state, setState] = useState<TextTokensState>({ result: null, isCounting: false, error: null });
  const worker = useRef<Worker | null>(null);
  const newest = useRef<{ requestId: number; text: string }>({ requestId: 0, text: "" });

  useEffect(() => {
    let started: Worker;
    try {
      // This exact form is what Turbopack/webpack recognise to bundle the worker and its imports as their own chunks.
      started = new Worker(new URL("../chat/token-worker.ts", import.meta.url), { type: "module" });
    } catch (error) {
      console.warn("[tokenizer] the token worker could not start.", error);
      setState({ result: null, isCounting: false, error: String(error) });
      return;
    }
    started.addEventListener("message", (event: MessageEvent<TokenizeResponse>) => {
      const answer = event.data.tokenized;
      if (!answer || answer.requestId !== newest.current.requestId) return;
      if ("error" in answer) {
        console.error(`[tokenizer] ${answer.error}`);
        setState((current) => ({ ...current, isCounting: false, error: answer.error }));
      } else {
        const { counts, codePoints, spans } = answer;
        setState({ result: { counts, codePoints, spans, text: newest.current.text }, isCounting: false, error: null });
      }
    });
    started.addEventListener("error", (event) => {
      console.error("[tokenizer] the token worker failed.", event.message);
      setState({ result: null, isCounting: false, error: event.message || "The token worker failed." });
    });
    worker.current = started;
    return () => {
      started.terminate();
      worker.current = null;
    };
  }, []);

  useEffect(() => {
    const requestId = newest.current.requestId + 1;
    newest.current = { requestId, text };
    if (text === "") {
      setState({ result: null, isCounting: false, error: null });
      return;
    }
    setState((current) => (current.isCounting ? current : { ...current, isCounting: true }));
    const send = () =>
      worker.current?.postMessage({ tokenize: { requestId, text, encoding } } satisfies TokenWorkerMessage);
    if (isImmediate) {
      send();
      return;
    }
    const timer = setTimeout(send, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, encoding, isImmediate]);

  return state;
}
