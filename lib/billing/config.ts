import "server-only";
import { getEnv } from "@/lib/env";
import type { BudgetPolicy } from "./budget";
import { type ExchangeRate, parseExchangeRate } from "./cost";
import { findPrice, type ModelPrice, parseModelPricesEnv, parseUsdPer1M } from "./prices";

// The billing settings of this server, read from the validated environment.

export function priceFor(model: string, at: Date = new Date()): ModelPrice | null {
  return findPrice({ model, at, overrides: { env: parseModelPricesEnv(getEnv().MODEL_PRICES) } });
}

export function displayCurrency(): ExchangeRate | null {
  const value = getEnv().DISPLAY_CURRENCY;
  return value ? parseExchangeRate(value) : null;
}

/** micro-USD, or null for unlimited. */
export function defaultMonthlyBudgetMicros(): number | null {
  const value = getEnv().DEFAULT_MONTHLY_BUDGET_USD;
  return value.toLowerCase() === "unlimited" ? null : parseUsdPer1M(value);
}

function usdMicros(value: string | undefined): number | null {
  return value === undefined ? null : parseUsdPer1M(value);
}

/** The operator's budgets: the default for users, the most a user may choose, and all users together. */
export function budgetPolicy(): BudgetPolicy {
  const env = getEnv();
  return {
    defaultMicros: defaultMonthlyBudgetMicros(),
    maxUserMicros: usdMicros(env.MAX_USER_MONTHLY_BUDGET_USD),
    globalMicros: usdMicros(env.GLOBAL_MONTHLY_BUDGET_USD),
  };
}
