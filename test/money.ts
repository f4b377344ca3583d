// Money fixtures shared by the tests of the money path.
import type { BudgetPolicy } from "@/lib/billing/budget";
import type { ModelPrice } from "@/lib/billing/prices";

/** gpt-5-mini as the price table has it: $0.25 / 1M input, $0.025 / 1M cached, $2.00 / 1M output (micro-USD). */
export const GPT5_MINI_PRICE: ModelPrice = {
  model: "gpt-5-mini",
  inputPer1M: 250_000,
  cachedInputPer1M: 25_000,
  outputPer1M: 2_000_000,
  effectiveFrom: "2025-08-07",
  source: "package",
};

/** No default, user or server-wide budget. */
export const NO_LIMITS: BudgetPolicy = { defaultMicros: null, maxUserMicros: null, globalMicros: null };
