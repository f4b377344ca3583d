// Module Web Worker behind usePromptEstimate and the tokenizer page (useTextTokens): counts the next request's prompt
// tokens, or splits a text into tokens, off the main thread, so a long conversation or a pasted book never makes
// typing lag. The protocols and the counting are in lib/billing/prompt-counter.ts and lib/billing/token-spans.ts.
import {
  createPromptEstimator,
  preloadTokenizer,
  type TokenWorkerMessage,
  type TokenWorkerResponse,
} from "@/lib/billing/prompt-counter";
import { createTextTokenizer } from "@/lib/billing/token-spans";

// The project compiles against the DOM lib, not "webworker"; this is the part of the worker's global scope used here.
const worker = globalThis as unknown as {
  addEventListener(type: "message", listener: (event: MessageEvent<TokenWorkerMessage>) => void): void;
  postMessage(message: TokenWorkerResponse, transfer?: Transferable[]): void;
};

const estimate = createPromptEstimator();
const tokenize = createTextTokenizer();

worker.addEventListener("message", (event) => {
  const message = event.data;
  if ("preload" in message) return void preloadTokenizer(message.preload);
  if ("tokenize" in message) {
    return void tokenize(message).then((response) => {
      if (!response) return;
      // The typed arrays move to the main thread rather than being copied (a 100,000-character text's are ~1 MB).
      const { tokenized } = response;
      const transfer =
        "spans" in tokenized ? [tokenized.spans.ids, tokenized.spans.spanEnds, tokenized.spans.spanIdEnds] : [];
      worker.postMessage(
        response,
        transfer.map((array) => array.buffer),
      );
    });
  }
  void estimate(message).then((response) => {
    if (response) worker.postMessage(response);
  });
});
