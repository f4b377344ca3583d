"use client";

import { useMemo } from "react";
import { describeContextOverflow } from "@/lib/billing/context-window";
import type { PromptContext } from "@/lib/billing/prompt-counter";
import type { ChatUIMessage } from "@/lib/chat/ui-message";
import { CostMeter } from "./cost-meter";
import { type Draft, useDraftText } from "./draft";
import { useOlderPrompt } from "./use-older-prompt";
import { promptHistory, usePromptEstimate } from "./use-prompt-estimate";

/** What the cost meter shows besides the next message's estimate. */
export type MeterFigures = Omit<
  React.ComponentProps<typeof CostMeter>,
  "nextPromptTokens" | "isCounting" | "isKnownEncoding" | "omittedMessages" | "overflow"
>;

export type EstimateInput = {
  conversationId: string;
  hasOlder: boolean;
  draft: Draft;
  messages: readonly ChatUIMessage[];
  context: PromptContext;
};

/**
 * The cost meter with the next message's estimate from the draft: it re-renders as the user types, the chat does not.
 * Loaded apart from the page (see chat.tsx): the token worker's client, the context-window rule and the older
 * messages' count are not needed before the user types.
 */
export function EstimatedCostMeter({
  conversationId,
  hasOlder,
  draft,
  messages,
  context,
  ...meter
}: EstimateInput & MeterFigures) {
  const text = useDraftText(draft);
  const history = useMemo(() => promptHistory(messages), [messages]);
  // The chat may hold only the latest messages: the prompt's older part is counted by the server.
  const whole = useOlderPrompt({
    conversationId,
    hasOlder,
    loaded: history,
    model: meter.model,
    isActive: text.trim() !== "",
  });
  const estimate = usePromptEstimate({ model: meter.model, history: whole, draft: text, context });
  return (
    <CostMeter
      {...meter}
      nextPromptTokens={estimate.promptTokens}
      isCounting={estimate.isCounting}
      isKnownEncoding={estimate.isKnownEncoding ?? true}
      omittedMessages={estimate.omitted ?? 0}
      overflow={
        estimate.overflow
          ? describeContextOverflow({
              model: meter.model,
              fit: estimate.overflow,
              isKeepLast: context.policy === "keep-last",
            })
          : null
      }
    />
  );
}
