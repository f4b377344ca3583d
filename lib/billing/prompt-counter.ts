// The counting core of the composer's live prompt estimate: run by token-worker.ts off the main thread, and by
// scripts/bench.ts in Node, so the benchmark measures the code the browser runs.
import { type ContextFit, type ContextPolicy, fitContext } from "@/lib/billing/context-window";
import {
  chatPromptTokensFromCounts,
  countChatPromptTokens,
  type Encoding,
  encodingForModel,
  hasKnownEncoding,
  loadTokenizer,
} from "@/lib/billing/tokens";
import type { TokenizeRequest, TokenizeResponse } from "./token-spans";

/**
 * A message as it will be sent upstream; `id` is stable across renders (the chat message id). `contentTokens`: its
 * content counted already, in the model's encoding (by the server, for messages the chat has not loaded; `content` is
 * then not needed).
 */
export type PromptMessage = { id: string; role: string; content: string; contentTokens?: number };

export type PromptCount = {
  /** Of what will be sent: the system prompt, the history that fits, the draft. */
  promptTokens: number;
  encoding: Encoding;
  isKnownEncoding: boolean;
  /** History messages the context policy leaves out. */
  omitted: number;
  /** Set when even the smallest prompt allowed cannot fit the context window: the server will refuse it. */
  overflow?: Extract<ContextFit, { fits: false }>;
};

/** What decides how much of the conversation is sent, beside the messages (lib/billing/context-window.ts). */
export type PromptContext = ContextPolicy & {
  systemPrompt?: string;
  contextWindow: number | null;
  maxOutputTokens: number;
};

/** Main thread → worker. */
export type PromptEstimateRequest = {
  /** Increases with every request; only the answer to the newest one is used. */
  requestId: number;
  model: string;
  /**
   * How the history changed since the previous request: keep the worker's first `keep` messages, then `append`.
   * Omitted when unchanged, so typing posts only the draft, and a streaming reply posts only itself.
   */
  history?: HistoryChange;
  draft: string;
  /** Omitted: no system prompt, an unknown context window. */
  context?: PromptContext;
};

export type HistoryChange = { keep: number; append: PromptMessage[] };

/**
 * Main thread → worker: load `model`'s encoding now. Sent when the chat page is first idle, so the ranks (o200k_base is
 * about 1 MB gzip) are fetched before the user types rather than on the first keystroke.
 */
export type TokenizerPreload = { preload: string };

/** Everything the token worker is sent: the composer's estimates, and the tokenizer page's texts (token-spans.ts). */
export type TokenWorkerMessage = PromptEstimateRequest | TokenizerPreload | TokenizeRequest;

/** Worker → main thread. Superseded requests get no answer. */
export type PromptEstimateResponse = ({ requestId: number } & PromptCount) | { requestId: number; error: string };

/** Everything the token worker answers. */
export type TokenWorkerResponse = PromptEstimateResponse | TokenizeResponse;

type CountedMessage = { role: string; content: string; contentTokens?: number; tokens: number };

/**
 * Counts what `countChatPromptTokens([system, ...history, { role: "user", content: draft }], model)` counts for the
 * messages the context policy sends (`fitContext`, the server's rule), remembering each history message's tokens by id
 * and encoding, so while the user types only the draft is tokenized again. A message whose role or content differs
 * from what was counted under its id (a reply that streamed on) is counted afresh. Needs the model's encoding loaded
 * (`loadTokenizer`).
 */
export function createPromptCounter() {
  const countedByEncoding = new Map<Encoding, Map<string, CountedMessage>>();

  let system = { text: "", encoding: "" as Encoding | "", tokens: 0 };

  return function countPrompt({
    model,
    history,
    draft,
    context = { contextWindow: null, maxOutputTokens: 0 },
  }: {
    model: string;
    history: readonly PromptMessage[];
    draft: string;
    context?: PromptContext;
  }): PromptCount {
    const encoding = encodingForModel(model);
    // countChatPromptTokens is a constant (reply priming) plus a sum over messages, so a message's share is its
    // count alone minus that constant: the framing rules stay in lib/billing/tokens.ts, in one place.
    const primingTokens = countChatPromptTokens([], model);
    const messageTokens = (role: string, content: string) =>
      countChatPromptTokens([{ role, content }], model) - primingTokens;

    const previous = countedByEncoding.get(encoding);
    // Rebuilt from the current history, so messages of another conversation are forgotten.
    const counted = new Map<string, CountedMessage>();
    // fitContext frames counts itself: a message's content tokens are its share minus the role's framing.
    const framing = (role: string) =>
      chatPromptTokensFromCounts([{ role, contentTokens: 0 }]) - chatPromptTokensFromCounts([]);
    const historyCounts = history.map(({ id, role, content, contentTokens }) => {
      let entry = counted.get(id) ?? previous?.get(id);
      if (!entry || entry.role !== role || entry.content !== content || entry.contentTokens !== contentTokens) {
        const tokens = contentTokens === undefined ? messageTokens(role, content) : contentTokens + framing(role);
        entry = { role, content, contentTokens, tokens };
      }
      counted.set(id, entry);
      return entry;
    });
    countedByEncoding.set(encoding, counted);

    const systemPrompt = context.systemPrompt?.trim() ? context.systemPrompt : undefined;
    if (systemPrompt !== undefined && (system.text !== systemPrompt || system.encoding !== encoding)) {
      system = { text: systemPrompt, encoding, tokens: messageTokens("system", systemPrompt) };
    }
    const content = (role: string, tokens: number) => ({ role, contentTokens: tokens - framing(role) });
    const fit = fitContext({
      system: systemPrompt === undefined ? null : content("system", system.tokens),
      history: historyCounts.map((entry) => content(entry.role, entry.tokens)),
      last: content("user", messageTokens("user", draft)),
      contextWindow: context.contextWindow,
      maxOutputTokens: context.maxOutputTokens,
      policy: context,
    });
    const base = { promptTokens: fit.promptTokens, encoding, isKnownEncoding: hasKnownEncoding(model) };
    return fit.fits ? { ...base, omitted: fit.omitted } : { ...base, omitted: 0, overflow: fit };
  };
}

/**
 * The worker's side of the protocol: keeps the history it was sent, loads the model's encoding on first use,
 * and answers only requests no newer one has superseded meanwhile. Never rejects: failures become `{ error }`.
 */
export function createPromptEstimator() {
  const countPrompt = createPromptCounter();
  let history: readonly PromptMessage[] = [];
  let newestRequestId = Number.NEGATIVE_INFINITY;

  return async function estimate(request: PromptEstimateRequest): Promise<PromptEstimateResponse | null> {
    const { requestId, model, draft, context } = request;
    if (request.history) history = [...history.slice(0, request.history.keep), ...request.history.append];
    // Taken now: by the time the encoding has loaded, a later request may have replaced the history.
    const requestHistory = history;
    newestRequestId = requestId;
    try {
      await loadTokenizer(encodingForModel(model));
      if (requestId !== newestRequestId) return null;
      return { requestId, ...countPrompt({ model, history: requestHistory, draft, context }) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { requestId, error: `Counting the prompt for ${model} failed: ${reason}` };
    }
  };
}

/**
 * Loads `model`'s encoding ahead of the first request. A failure is left to that request, which loads it again and
 * answers with the error.
 */
export function preloadTokenizer(model: string): Promise<void> {
  return loadTokenizer(encodingForModel(model)).then(
    () => undefined,
    () => undefined,
  );
}
