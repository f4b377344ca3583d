// Budget rules, pure. Amounts are integer micro-USD; a null limit means unlimited.
import type { ErrorText } from "@/lib/errors";
import { formatUsd, formatUsdPlain } from "./money";

export type BudgetMode = "default" | "limited" | "unlimited";

/** Budgets are monthly in UTC: the month starts at 00:00 UTC on its first day. */
export function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export function nextMonthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
}

/** The budget month a ledger entry counts in, "YYYY-MM" (UTC): the month it was created. */
export function budgetMonth(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** The operator's budget settings (micro-USD; null: none). */
export type BudgetPolicy = {
  /** For users who have not chosen a budget (DEFAULT_MONTHLY_BUDGET_USD; null: unlimited). */
  defaultMicros: number | null;
  /** The most a user may choose (MAX_USER_MONTHLY_BUDGET_USD). */
  maxUserMicros: number | null;
  /** All users together (GLOBAL_MONTHLY_BUDGET_USD). */
  globalMicros: number | null;
};

/**
 * The monthly limit that applies to a user, in micro-USD (null: unlimited). A budget the user chose themselves (or the
 * server default) is capped at the operator's `maxUserMicros` (MAX_USER_MONTHLY_BUDGET_USD), "unlimited" included; a
 * budget an administrator set applies as set.
 */
export function effectiveLimit({
  mode,
  monthlyBudgetMicros,
  defaultMicros,
  maxUserMicros = null,
  isSetByAdmin = false,
}: {
  mode: string;
  monthlyBudgetMicros: number | null;
  defaultMicros: number | null;
  maxUserMicros?: number | null;
  isSetByAdmin?: boolean;
}): number | null {
  const chosen =
    mode === "unlimited"
      ? null
      : mode === "limited" && monthlyBudgetMicros !== null
        ? monthlyBudgetMicros
        : defaultMicros;
  if (isSetByAdmin || maxUserMicros === null) return chosen;
  return chosen === null ? maxUserMicros : Math.min(chosen, maxUserMicros);
}

/** Where a user's budget comes from: the server default, their own choice, or an administrator. */
export type BudgetSource = "default" | "own" | "admin";

export function budgetSource({ mode, isSetByAdmin }: { mode: string; isSetByAdmin: boolean }): BudgetSource {
  if (isSetByAdmin) return "admin";
  return mode === "default" ? "default" : "own";
}

/**
 * Why a user may not choose this budget for themselves, or null when they may: above MAX_USER_MONTHLY_BUDGET_USD
 * (`maxUserMicros`), unlimited included, is for an administrator to grant.
 */
export function ownBudgetRefusal({
  mode,
  monthlyBudgetMicros,
  maxUserMicros,
}: {
  mode: BudgetMode;
  monthlyBudgetMicros: number | null;
  maxUserMicros: number | null;
}): ErrorText | null {
  if (maxUserMicros === null) return null;
  if (mode === "unlimited")
    return { key: "errors.budgetUnlimitedNotAllowed", params: { max: formatUsd(maxUserMicros) } };
  if (mode === "limited" && (monthlyBudgetMicros ?? 0) > maxUserMicros) {
    return { key: "errors.budgetAboveMax", params: { max: formatUsd(maxUserMicros) } };
  }
  return null;
}

export type BudgetLevel = "ok" | "warning" | "exceeded";

/** A month's spend against a limit, as the meter, the usage page and the settings show it. */
export type BudgetStanding = {
  /** micro-USD, or null for unlimited. */
  limitMicros: number | null;
  spentMicros: number;
  /** Held for replies in progress. */
  reservedMicros: number;
  level: BudgetLevel;
  /** YYYY-MM-DD (UTC) the month's spend starts again from zero. */
  resetsOn: string;
};

/** "ok" below 80%, "warning" from 80%, "exceeded" from 100% of the limit. */
export function budgetLevel({
  spentMicros,
  limitMicros,
}: {
  spentMicros: number;
  limitMicros: number | null;
}): BudgetLevel {
  if (limitMicros === null) return "ok";
  if (spentMicros >= limitMicros) return "exceeded";
  // Integer comparison: spent/limit >= 0.8  ⇔  5·spent >= 4·limit.
  return spentMicros * 5 >= limitMicros * 4 ? "warning" : "ok";
}

/** Whether a reservation of `reserveMicros` fits: spent + reserved + new ≤ limit. */
export function fitsBudget({
  limitMicros,
  committedMicros,
  reserveMicros,
}: {
  limitMicros: number | null;
  committedMicros: number;
  reserveMicros: number;
}): boolean {
  return limitMicros === null || committedMicros + reserveMicros <= limitMicros;
}

/**
 * How much of the limit spent + reserved take, in whole percent (floored, capped at 100); null when unlimited. A zero
 * limit is full from the start.
 */
export function budgetPercent({
  limitMicros,
  spentMicros,
  reservedMicros,
}: {
  limitMicros: number | null;
  spentMicros: number;
  reservedMicros: number;
}): number | null {
  if (limitMicros === null) return null;
  if (limitMicros === 0) return 100;
  return Math.min(100, Math.floor(((spentMicros + reservedMicros) * 100) / limitMicros));
}

/** What the budget form shows for a saved setting: the amount as exact plain text that lib/validations.ts's schema accepts. */
export type BudgetFormValues = { mode: string; amountUsd: string };

export function budgetFormValues(setting: {
  budgetMode: string;
  monthlyBudgetMicros: number | null;
  isBudgetSetByAdmin: boolean;
}): BudgetFormValues {
  if (setting.isBudgetSetByAdmin) return { mode: "admin", amountUsd: "" };
  return {
    mode: setting.budgetMode,
    amountUsd: setting.monthlyBudgetMicros === null ? "" : formatUsdPlain(setting.monthlyBudgetMicros),
  };
}
