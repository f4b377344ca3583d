"use client";

import { useLocale, useTranslations } from "next-intl";
import { useMemo } from "react";
import { useErrorText } from "@/components/i18n/use-error-text";
import { Money } from "@/components/usage/money";
import { effectiveMaxOutputTokens, modelCapabilities } from "@/lib/ai/models";
import { describeContextOverflow } from "@/lib/billing/context-window";
import { worstCaseCost } from "@/lib/billing/cost";
import type { ExchangeRate } from "@/lib/billing/money";
import type { ModelPrice } from "@/lib/billing/prices";
import type { PromptContext } from "@/lib/billing/prompt-counter";
import { type ChatSettings, settingsForModel } from "@/lib/chat/settings";
import type { ChatUIMessage, MessageFile } from "@/lib/chat/ui-message";
import { cn, formatTokens } from "@/lib/utils";
import { ImageTokens, loadedImageTokens } from "./attachment-tokens";
import { CostMeter } from "./cost-meter";
import { type Draft, useDraftTextInTransition } from "./draft";
import { useOlderPrompt } from "./use-older-prompt";
import { type PromptEstimate, promptHistory, usePromptEstimate } from "./use-prompt-estimate";

/** What the cost meter shows besides the next message's estimate. */
export type MeterFigures = Omit<React.ComponentProps<typeof CostMeter>, "nextMessage"> & {
  model: string;
  price: ModelPrice | null;
  /** The price's tooltip text. */
  priceLabel: string | null;
};

export type EstimateInput = {
  conversationId: string;
  hasOlder: boolean;
  draft: Draft;
  messages: readonly ChatUIMessage[];
  /** The conversation's parameters, as stored: the model takes some of them. */
  settings: ChatSettings;
  /** Images attached to the draft (uploaded), and whether the model takes images (docs/vision.md). */
  attached?: readonly MessageFile[];
  isVision?: boolean;
};

/**
 * The cost meter with the next message's estimate from the draft: it re-renders as the user types, the chat does not,
 * and only after each key's own task (a transition), so a key shows in the box without waiting for the meter.
 * Loaded apart from the page (see chat.tsx): the token worker's client, the model's limits and the parameters it
 * takes, the context-window rule, the older messages' count and the estimate's wording are not needed before the user
 * types.
 */
export function EstimatedCostMeter({
  conversationId,
  hasOlder,
  draft,
  messages,
  settings,
  attached = [],
  isVision = false,
  model,
  price,
  priceLabel,
  ...meter
}: EstimateInput & MeterFigures) {
  // What the server fits the prompt by: the parameters the model takes (lib/chat/settings.ts), its context window.
  const { context, maxOutputTokens } = useMemo(() => {
    const sent = settingsForModel({ settings, model });
    const maxOutputTokens = effectiveMaxOutputTokens({ model, maxOutputTokens: sent.maxOutputTokens });
    const context: PromptContext = {
      systemPrompt: sent.systemPrompt,
      contextWindow: modelCapabilities(model).contextWindow,
      maxOutputTokens,
      policy: sent.contextPolicy,
      keepLastTokens: sent.keepLastTokens,
    };
    return { context, maxOutputTokens };
  }, [settings, model]);
  const text = useDraftTextInTransition(draft);
  const history = useMemo(() => promptHistory(messages), [messages]);
  // The chat may hold only the latest messages: the prompt's older part is counted by the server.
  const whole = useOlderPrompt({ conversationId, hasOlder, loaded: history, model, isActive: text.trim() !== "" });
  const counted = usePromptEstimate({ model, history: whole, draft: text, context });
  // The images' tokens are added to the worker's count of the text (the older part's come counted by the server).
  const imageTokens = useMemo(
    () => (isVision ? loadedImageTokens({ model, messages, attached }) : 0),
    [isVision, model, messages, attached],
  );
  const estimate =
    imageTokens > 0 && counted.promptTokens !== null
      ? { ...counted, promptTokens: counted.promptTokens + imageTokens }
      : counted;
  return (
    <CostMeter
      {...meter}
      nextMessage={
        <NextMessage
          estimate={estimate}
          model={model}
          price={price}
          priceLabel={priceLabel}
          maxOutputTokens={maxOutputTokens}
          currency={meter.currency}
          isKeepLast={context.policy === "keep-last"}
          imageTokens={imageTokens}
        />
      }
    />
  );
}

/** The next request's prompt tokens, what it may cost at most, and what the context window leaves out or refuses. */
function NextMessage({
  estimate,
  model,
  price,
  priceLabel,
  maxOutputTokens,
  currency,
  isKeepLast,
  imageTokens,
}: {
  imageTokens: number;
  estimate: PromptEstimate;
  model: string;
  price: ModelPrice | null;
  priceLabel: string | null;
  maxOutputTokens: number;
  currency: ExchangeRate | null;
  isKeepLast: boolean;
}) {
  const t = useTranslations("meter");
  const locale = useLocale();
  const errorText = useErrorText();
  const { promptTokens, isCounting, overflow } = estimate;
  const omitted = estimate.omitted ?? 0;
  const worstCase = price && promptTokens !== null ? worstCaseCost({ promptTokens, maxOutputTokens }, price) : null;
  return (
    <>
      <p className="mt-1 text-zinc-700">
        {promptTokens === null ? (
          <span className="text-zinc-400">{isCounting ? t("counting") : t("typeToEstimate")}</span>
        ) : (
          t.rich("promptTokens", {
            tokens: formatTokens(promptTokens, locale),
            figure: (chunks) => <span className={cn(isCounting && "text-zinc-400")}>{chunks}</span>,
          })
        )}
        {promptTokens !== null && imageTokens > 0 ? <ImageTokens tokens={imageTokens} /> : null}
      </p>
      <p className="text-zinc-600">
        {price === null ? (
          <span className="text-amber-700">{t("modelUnpriced", { model })}</span>
        ) : worstCase === null ? null : (
          t.rich("upTo", {
            amount: () => <Money micros={worstCase} currency={currency} title={priceLabel ?? undefined} />,
          })
        )}
      </p>
      {overflow ? (
        <p role="status" className="mt-1 rounded-md bg-red-50 px-2 py-1.5 text-xs text-red-800">
          {errorText(describeContextOverflow({ model, fit: overflow, isKeepLast }))}
        </p>
      ) : omitted > 0 ? (
        <p className="mt-1 text-xs text-zinc-600">{t("omitted", { count: omitted })}</p>
      ) : null}
      <p className="mt-1 text-xs text-zinc-400">
        {t((estimate.isKnownEncoding ?? true) ? "estimateKnown" : "estimateApproximate", {
          model,
          maxOutput: formatTokens(maxOutputTokens, locale),
        })}
      </p>
    </>
  );
}
