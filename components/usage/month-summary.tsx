import Link from "next/link";
import { type BudgetStanding, budgetPercent } from "@/lib/billing/budget";
import { type ExchangeRate, formatUsd } from "@/lib/billing/money";
import { BudgetBar } from "./budget-bar";
import { exactAmountNote } from "./format";
import { Money } from "./money";

/** This UTC month's spend against the budget; the bar counts what is still reserved too, as the budget check does. */
export function MonthSummary({
  month,
  budget,
  currency,
}: {
  /** "2026-11" */
  month: string;
  budget: BudgetStanding;
  currency: ExchangeRate | null;
}) {
  const percent = budgetPercent(budget);
  return (
    <section
      aria-labelledby="this-month-title"
      className="flex min-w-0 flex-col gap-3 rounded-2xl border border-zinc-200 p-5"
    >
      <h2 id="this-month-title" className="text-base font-semibold">
        This month
      </h2>
      <p className="flex flex-wrap items-baseline gap-x-2">
        <Money
          className="text-3xl font-semibold tabular-nums"
          micros={budget.spentMicros}
          currency={currency}
          title={exactAmountNote(budget.spentMicros)}
        />{" "}
        <span className="text-zinc-600">
          spent in {month} (UTC) of{" "}
          {budget.limitMicros === null ? "no budget limit" : `a ${formatUsd(budget.limitMicros)} budget`}
        </span>
      </p>
      {percent !== null ? <BudgetBar percent={percent} level={budget.level} /> : null}
      <p className="text-sm text-zinc-600">
        {budget.reservedMicros > 0 ? `${formatUsd(budget.reservedMicros)} is held for replies in progress. ` : null}
        {percent !== null ? `${percent}% of the budget is used; it resets on ${budget.resetsOn}. ` : null}
        <Link href="/settings" className="font-medium text-emerald-700 underline">
          Change budget
        </Link>
      </p>
    </section>
  );
}
