// How the model picker describes a model: its context window and its prices today. Safe on the client.
import { modelCapabilities } from "@/lib/ai/models";
import { formatUsdPer1M } from "@/lib/billing/money";
import type { ModelPrice } from "@/lib/billing/prices";

/** "gpt-4o — context 128,000 · in $2.50 · cached $1.25 · out $10.00 per 1M"; unknown and unpriced said as such. */
export function describeModelChoice({ model, price }: { model: string; price: ModelPrice | null }): string {
  const { contextWindow } = modelCapabilities(model);
  const context = contextWindow === null ? "context unknown" : `context ${contextWindow.toLocaleString("en-US")}`;
  const prices = price
    ? `in ${formatUsdPer1M(price.inputPer1M)} · cached ${formatUsdPer1M(price.cachedInputPer1M)} · ` +
      `out ${formatUsdPer1M(price.outputPer1M)} per 1M`
    : "unpriced";
  return `${model} — ${context} · ${prices}`;
}
