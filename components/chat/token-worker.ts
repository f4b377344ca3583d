// Module Web Worker behind usePromptEstimate: counts the next request's prompt tokens off the main thread, so a long
// conversation never makes typing lag. The protocol and the counting are in prompt-counter.ts.
import {
  createPromptEstimator,
  type PromptEstimateRequest,
  type PromptEstimateResponse,
} from "@/lib/billing/prompt-counter";

// The project compiles against the DOM lib, not "webworker"; this is the part of the worker's global scope used here.
const worker = globalThis as unknown as {
  addEventListener(type: "message", listener: (event: MessageEvent<PromptEstimateRequest>) => void): void;
  postMessage(message: PromptEstimateResponse): void;
};

const estimate = createPromptEstimator();

worker.addEventListener("message", (event) => {
  void estimate(event.data).then((response) => {
    if (response) worker.postMessage(response);
  });
});
