// Budget rules, pure. Amounts are integer micro-USD; a null limit means unlimited.

export type BudgetMode = "default" | "limited" | "unlimited";

/** Budgets are monthly in UTC: the month starts at 00:00 UTC on its first day. */
export function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export function nextMonthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
}

export function effectiveLimit({
  mode,
  monthlyBudgetMicros,
  defaultMicros,
}: {
  mode: string;
  monthlyBudgetMicros: number | null;
  defaultMicros: number | null;
}): number | null {
  if (mode === "unlimited") return null;
  if (mode === "limited" && monthlyBudgetMicros !== null) return monthlyBudgetMicros;
  return defaultMicros;
}

/** "ok" below 80%, "warning" from 80%, "exceeded" from 100% of the limit. */
export function budgetLevel({ spentMicros, limitMicros }: { spentMicros: number; limitMicros: number | null }) {
  if (limitMicros === null) return "ok" as const;
  if (spentMicros >= limitMicros) return "exceeded" as const;
  // Integer comparison: spent/limit >= 0.8  ⇔  5·spent >= 4·limit.
  return spentMicros * 5 >= limitMicros * 4 ? ("warning" as const) : ("ok" as const);
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
