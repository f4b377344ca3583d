// Module Web Worker behind usePromptEstimate: counts the next request's prompt tokens off the main thread, so a long
// conversation never makes typing lag. The protocol and the counting are in prompt-counter.ts.
import {
  createPromptEstimator,
  type PromptEstimateResponse,
  preloadTokenizer,
  type TokenWorkerMessage,
} from "@/lib/billing/prompt-counter";

// The project compiles against the DOM lib, not "webworker"; this is the part of the worker's global scope used here.
const worker = globalThis as unknown as {
  addEventListener(type: "message", listener: (event: MessageEvent<TokenWorkerMessage>) => void): void;
  postMessage(message: PromptEstimateResponse): void;
};

const estimate = createPromptEstimator();

worker.addEventListener("message", (event) => {
  if ("preload" in event.data) return void preloadTokenizer(event.data.preload);
  void estimate(event.data).then((response) => {
    if (response) worker.postMessage(response);
  });
});
