import "server-only";
import { MAX_OUTPUT_TOKENS } from "@/lib/ai/models";
import { budgetPolicy, displayCurrency, priceFor } from "@/lib/billing/config";
import { describePrice } from "@/lib/billing/prices";
import { getBudgetStatus, getConversationSpend } from "@/lib/db/ledger";

/** What the chat screen's cost meter starts from: today's prices of the offered models, the budget, the chat's spend. */
export async function getMeterProps({
  userId,
  conversationId,
  models,
}: {
  userId: string;
  /** Only for a conversation of this user that exists. */
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
  const [budget, chatSpend] = await Promise.all([
    getBudgetStatus({ userId, policy: budgetPolicy(), now }),
    conversationId ? getConversationSpend({ userId, conversationId }) : null,
  ]);
  return { prices, budget, chatSpend, currency: displayCurrency(), maxOutputTokens: MAX_OUTPUT_TOKENS };
}
