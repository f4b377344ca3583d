// How the model picker describes a model: its context window and its prices today. Safe on the client.
import { modelCapabilities } from "@/lib/ai/models";
import { formatUsdPer1M } from "@/lib/billing/money";
import type { ModelPrice } from "@/lib/billing/prices";
import { formatTokens } from "@/lib/utils";

/** The picker's words in the interface's language (the caller's messages: `composer.modelChoice`). */
export type ModelChoiceWords = {
  /** "context 128,000" */
  context: (tokens: string) => string;
  contextUnknown: string;
  /** "in $2.50 · cached $1.25 · out $10.00 per 1M" */
  prices: (prices: { input: string; cached: string; output: string }) => string;
  unpriced: string;
};

export const ENGLISH_MODEL_CHOICE_WORDS: ModelChoiceWords = {
  context: (tokens) => `context ${tokens}`,
  contextUnknown: "context unknown",
  prices: ({ input, cached, output }) => `in ${input} · cached ${cached} · out ${output} per 1M`,
  unpriced: "unpriced",
};

/** "gpt-4o — context 128,000 · in $2.50 · cached $1.25 · out $10.00 per 1M"; unknown and unpriced said as such. */
export function describeModelChoice({
  model,
  price,
  words = ENGLISH_MODEL_CHOICE_WORDS,
  locale = "en",
}: {
  model: string;
  price: ModelPrice | null;
  words?: ModelChoiceWords;
  locale?: string;
}): string {
  const { contextWindow } = modelCapabilities(model);
  const context = contextWindow === null ? words.contextUnknown : words.context(formatTokens(contextWindow, locale));
  const usd = (micros: number) => formatUsdPer1M(micros, { locale });
  const prices = price
    ? words.prices({
        input: usd(price.inputPer1M),
        cached: usd(price.cachedInputPer1M),
        output: usd(price.outputPer1M),
      })
    : words.unpriced;
  return `${model} — ${context} · ${prices}`;
}
