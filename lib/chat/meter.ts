import "server-only";
import { describePrice } from "@/lib/billing/prices";
import { budgetPolicy, displayCurrency, priceFor } from "@/lib/config";
import { getBudgetStatus, getConversationSpend } from "@/lib/db/ledger";
import { describeModelChoice } from "./model-choice";
import type { MeterState } from "./ui-message";

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
  const modelLabels = Object.fromEntries(
    models.map((model) => [model, describeModelChoice({ model, price: prices[model]?.price ?? null })]),
  );
  const { budget, chat: chatSpend } = await getMeterState({ userId, conversationId, now });
  return { prices, modelLabels, budget, chatSpend, currency: displayCurrency() };
}
