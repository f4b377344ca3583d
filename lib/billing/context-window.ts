// Which messages of a conversation fit the model's context window, and what the prompt then counts. One rule for the
// turn (lib/chat/turn.ts, what is sent and reserved) and the composer's estimate (the browser's worker, what the meter
// shows). Pure: token counts in, a decision out.
import type { ErrorText } from "@/lib/errors";
import { type CountedChatMessage, chatPromptTokensFromCounts } from "./tokens";

export type ContextPolicy = {
  /** "refuse" (default): a prompt that cannot fit is refused. "keep-last": the oldest messages are left out. */
  policy?: "refuse" | "keep-last";
  /** With "keep-last": send at most this many prompt tokens (still within the context window). */
  keepLastTokens?: number;
};

export type ContextFit =
  | {
      fits: true;
      /** Index of the first history message sent: the ones before it are left out. */
      firstSent: number;
      /** History messages left out. */
      omitted: number;
      /** Prompt tokens of what is sent (system prompt, kept history, the new message). */
      promptTokens: number;
    }
  | {
      fits: false;
      /** Prompt tokens of the smallest prompt the policy allows (all of it, or system prompt + new message). */
      promptTokens: number;
      contextWindow: number;
      maxOutputTokens: number;
    };

/**
 * Fits a prompt into `contextWindow` (null: unknown, nothing refused for it) with room for `maxOutputTokens`. The system
 * prompt and the new message are always sent; with "keep-last" the oldest history messages are dropped until the
 * prompt fits both the window and `keepLastTokens`.
 */
export function fitContext({
  system,
  history,
  last,
  contextWindow,
  maxOutputTokens,
  policy = {},
}: {
  /** The system prompt's message, when there is one. */
  system: CountedChatMessage | null;
  /** The conversation's messages before the new one, oldest first. */
  history: readonly CountedChatMessage[];
  /** The new user message (or, on a retry, the last one). */
  last: CountedChatMessage | null;
  contextWindow: number | null;
  maxOutputTokens: number;
  policy?: ContextPolicy;
}): ContextFit {
  const fixed = [...(system ? [system] : []), ...(last ? [last] : [])];
  const windowLimit = contextWindow === null ? Number.POSITIVE_INFINITY : contextWindow - maxOutputTokens;
  const isKeepLast = policy.policy === "keep-last";
  const limit = isKeepLast ? Math.min(windowLimit, policy.keepLastTokens ?? Number.POSITIVE_INFINITY) : windowLimit;

  let promptTokens = chatPromptTokensFromCounts([...fixed, ...history]);
  let firstSent = 0;
  if (isKeepLast) {
    // Each message's share of the total is its count alone minus the reply priming, which stays.
    const share = (message: CountedChatMessage) =>
      chatPromptTokensFromCounts([message]) - chatPromptTokensFromCounts([]);
    while (promptTokens > limit && firstSent < history.length) {
      promptTokens -= share(history[firstSent] as CountedChatMessage);
      firstSent += 1;
    }
  }
  if (promptTokens > windowLimit && contextWindow !== null) {
    return { fits: false, promptTokens, contextWindow, maxOutputTokens };
  }
  return { fits: true, firstSent, omitted: firstSent, promptTokens };
}

/** A refusal's message, with the counts: the same words in the meter and in the 400. */
export function describeContextOverflow({
  model,
  fit,
  isKeepLast,
}: {
  model: string;
  fit: Extract<ContextFit, { fits: false }>;
  isKeepLast: boolean;
}): ErrorText {
  return {
    key: "errors.contextOverflow",
    params: {
      isKeepLast: isKeepLast ? "yes" : "no",
      promptTokens: fit.promptTokens,
      model,
      contextWindow: fit.contextWindow,
      maxOutputTokens: fit.maxOutputTokens,
    },
  };
}
