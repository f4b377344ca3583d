import { useFormatter, useTranslations } from "next-intl";
import { AppLink } from "@/components/chat/app-link";
import { type BudgetStanding, budgetPercent } from "@/lib/billing/budget";
import { type ExchangeRate, formatUsd } from "@/lib/billing/money";
import { BudgetBar } from "./budget-bar";
import { Money } from "./money";
import { useExactAmountNote } from "./use-exact-amount-note";

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
  const t = useTranslations("usage.month");
  const format = useFormatter();
  const exactAmountNote = useExactAmountNote();
  const percent = budgetPercent(budget);
  return (
    <section
      aria-labelledby="this-month-title"
      className="flex min-w-0 flex-col gap-3 rounded-2xl border border-zinc-200 p-5"
    >
      <h2 id="this-month-title" className="text-base font-semibold">
        {t("title")}
      </h2>
      <p className="flex flex-wrap items-baseline gap-x-2">
        <Money
          className="text-3xl font-semibold tabular-nums"
          micros={budget.spentMicros}
          currency={currency}
          title={exactAmountNote(budget.spentMicros)}
        />{" "}
        <span className="text-zinc-600">
          {budget.limitMicros === null
            ? t("spentNoLimit", { month })
            : t("spentOfBudget", { month, limit: formatUsd(budget.limitMicros) })}
        </span>
      </p>
      {percent !== null ? <BudgetBar percent={percent} level={budget.level} /> : null}
      <p className="text-sm text-zinc-600">
        {budget.reservedMicros > 0 ? `${t("held", { amount: formatUsd(budget.reservedMicros) })} ` : null}
        {percent !== null
          ? `${t("percentUsed", { percent: format.number(percent), date: format.dateTime(new Date(budget.resetsOn), { dateStyle: "long" }) })} `
          : null}
        <AppLink href="/settings" className="font-medium text-emerald-700 underline">
          {t("changeBudget")}
        </AppLink>
      </p>
    </section>
  );
}
