import "server-only";
import { getLocale, getTranslations } from "next-intl/server";
import { describePrice } from "@/lib/billing/prices";
import { budgetPolicy, displayCurrency, priceFor } from "@/lib/config";
import { getBudgetStatus, getConversationSpend } from "@/lib/db/ledger";
import { describeModelChoice, type ModelChoiceWords } from "./model-choice";
import type { MeterState } from "./ui-message";
import { visionModelsOf } from "./vision-models";

/** The meter's figures now: the month against the budget and, for a stored chat of this user, its totals. */
export async function getMeterState({
  userId,
  conversationId,
  now = new Date(),
}: {
  userId: string;
  /** A conversation of this user (another user's, or none, sums to nothing: the caller then answers not found). */
  conversationId?: string;
  now?: Date;
}): Promise<MeterState> {
  const [budget, chat] = await Promise.all([
    getBudgetStatus({ userId, policy: budgetPolicy(), now }),
    conversationId ? getConversationSpend({ userId, conversationId }) : null,
  ]);
  return { budget, chat };
}

/**
 * What the chat screen's cost meter and model picker start from: today's prices of the offered models and how the
 * picker describes them, the budget, the chat's spend.
 */
export async function getMeterProps({
  userId,
  conversationId,
  models,
}: {
  userId: string;
  /** A conversation of this user (another user's, or none, sums to nothing: the caller then answers not found). */
  conversationId?: string;
  models: string[];
}) {
  const now = new Date();
  const prices = Object.fromEntries(
    models.map((model) => {
      const price = priceFor(model, now);
      return [model, { price, label: price ? describePrice(price) : null }];
    }),
  );
  // The picker's text in the request's interface language.
  const [t, locale] = await Promise.all([getTranslations("composer.modelChoice"), getLocale()]);
  const words: ModelChoiceWords = {
    context: (tokens) => t("context", { tokens }),
    contextUnknown: t("contextUnknown"),
    prices: (values) => t("prices", values),
    unpriced: t("unpriced"),
  };
  const modelLabels = Object.fromEntries(
    models.map((model) => [model, describeModelChoice({ model, price: prices[model]?.price ?? null, words, locale })]),
  );
  const { budget, chat: chatSpend } = await getMeterState({ userId, conversationId, now });
  return { prices, modelLabels, visionModels: visionModelsOf(models), budget, chatSpend, currency: displayCurrency() };
}
