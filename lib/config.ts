import "server-only";
import { getEnv } from "@/lib/env";
import type { BudgetPolicy } from "./billing/budget";
import { type ExchangeRate, parseExchangeRate, parseUsdPer1M } from "./billing/money";
import { findPrice, findRates, type ModelPrice, parseModelPricesEnv, type UnitRates } from "./billing/prices";
import type { Channel } from "./db/channels";

// The billing settings of this server, read from the validated environment.

export function priceFor(model: string, at: Date = new Date()): ModelPrice | null {
  return findPrice({ model, at, overrides: { env: parseModelPricesEnv(getEnv().MODEL_PRICES) } });
}

/** Every unit price of `model` on `at` (transcriptions, images), MODEL_PRICES first, as priceFor finds chat prices. */
export function ratesFor(model: string, at: Date = new Date()): UnitRates | null {
  return findRates({ model, at, overrides: { env: parseModelPricesEnv(getEnv().MODEL_PRICES) } });
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

/** MAX_USER_MONTHLY_BUDGET_USD in micro-USD: the most a user may choose for themselves; null: no cap. */
export function maxUserMonthlyBudgetMicros(): number | null {
  const value = getEnv().MAX_USER_MONTHLY_BUDGET_USD;
  return value === undefined ? null : parseUsdPer1M(value);
}

/** GLOBAL_MONTHLY_BUDGET_USD in micro-USD: all users' spend together per UTC month; null: no ceiling. */
export function globalMonthlyBudgetMicros(): number | null {
  const value = getEnv().GLOBAL_MONTHLY_BUDGET_USD;
  return value === undefined ? null : parseUsdPer1M(value);
}

/** The operator's budgets: the default for users, the most a user may choose, and all users together. */
export function budgetPolicy(): BudgetPolicy {
  return {
    defaultMicros: defaultMonthlyBudgetMicros(),
    maxUserMicros: maxUserMonthlyBudgetMicros(),
    globalMicros: globalMonthlyBudgetMicros(),
  };
}

/**
 * The monthly budget of each unlinked user of a messaging channel, in micro-USD (TELEGRAM_GUEST_MONTHLY_BUDGET_USD,
 * WECHAT_GUEST_MONTHLY_BUDGET_USD for the official account and WeCom); 0: they are refused.
 */
export function channelGuestBudgetMicros(channel: Channel): number {
  const env = getEnv();
  return parseUsdPer1M(
    channel === "telegram" ? env.TELEGRAM_GUEST_MONTHLY_BUDGET_USD : env.WECHAT_GUEST_MONTHLY_BUDGET_USD,
  );
}
