"use client";

import { useLocale, useTranslations } from "next-intl";
import { BudgetBar } from "@/components/usage/budget-bar";
import { Money } from "@/components/usage/money";
import { budgetPercent } from "@/lib/billing/budget";
import type { ExchangeRate } from "@/lib/billing/money";
import { formatUsd } from "@/lib/billing/money";
import type { MeterBudget, MeterChat } from "@/lib/chat/ui-message";
import { formatTokens } from "@/lib/utils";
import { AppLink } from "./app-link";

export type { MeterBudget, MeterChat } from "@/lib/chat/ui-message";

type Props = {
  budget: MeterBudget;
  chat: MeterChat | null;
  currency: ExchangeRate | null;
  /** What the next message may cost: its estimate (estimated-cost-meter.tsx), or what stands in until that loads. */
  nextMessage: React.ReactNode;
};

/** Beside every chat: this chat's tokens and cost, the month against the budget, and what the next message may cost. */
export function CostMeter({ budget, chat, currency, nextMessage }: Props) {
  const t = useTranslations("meter");
  const locale = useLocale();
  const usd = (micros: number) => formatUsd(micros, { locale });
  const committed = budget.spentMicros + budget.reservedMicros;
  const percent = budgetPercent(budget);
  const left = budget.limitMicros === null ? null : Math.max(0, budget.limitMicros - committed);

  return (
    <aside
      aria-label={t("label")}
      className="flex w-full shrink-0 flex-col gap-5 bg-white p-4 text-sm lg:w-72 lg:border-l lg:border-zinc-200"
    >
      <section aria-label={t("thisChat")}>
        <h2 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">{t("thisChat")}</h2>
        <p className="mt-1 text-lg font-semibold">
          {chat?.hasUnpriced && chat.costMicros === 0 ? (
            t("unpriced")
          ) : (
            <Money micros={chat?.costMicros ?? 0} currency={currency} />
          )}
          {chat?.hasEstimated ? (
            <span className="ml-1.5 text-xs font-normal text-zinc-500">{t("inclEstimated")}</span>
          ) : null}
        </p>
        <p className="text-zinc-600">
          {t("tokens", {
            input: formatTokens(chat?.promptTokens ?? 0, locale),
            output: formatTokens(chat?.completionTokens ?? 0, locale),
          })}
        </p>
        {chat?.hasUnpriced ? <p className="mt-1 text-xs text-amber-700">{t("includesUnpriced")}</p> : null}
      </section>

      <section aria-label={t("thisMonth")}>
        <h2 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">{t("thisMonth")}</h2>
        <p className="mt-1">
          <Money className="text-lg font-semibold" micros={committed} currency={currency} />
          <span className="text-zinc-500">
            {" "}
            {budget.limitMicros === null ? t("ofNoLimit") : t("ofBudget", { limit: usd(budget.limitMicros) })}
          </span>
        </p>
        {percent !== null ? <BudgetBar percent={percent} level={budget.level} className="mt-2" /> : null}
        {budget.reservedMicros > 0 ? (
          <p className="mt-1 text-xs text-zinc-500">{t("held", { amount: usd(budget.reservedMicros) })}</p>
        ) : null}
        {budget.level === "warning" ? (
          <p role="status" className="mt-2 rounded-md bg-amber-50 px-2 py-1.5 text-xs text-amber-900">
            {t("warning", { percent: percent ?? 0 })}{" "}
            {left !== null ? t("left", { amount: usd(left), date: budget.resetsOn }) : null}
          </p>
        ) : null}
        {budget.level === "exceeded" ? (
          <p role="status" className="mt-2 rounded-md bg-red-50 px-2 py-1.5 text-xs text-red-800">
            {t.rich("exceeded", {
              date: budget.resetsOn,
              raise: (chunks) => (
                <AppLink className="underline" href="/settings">
                  {chunks}
                </AppLink>
              ),
            })}
          </p>
        ) : null}
      </section>

      <section aria-label={t("nextMessage")}>
        <h2 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">{t("nextMessage")}</h2>
        {nextMessage}
      </section>

      <AppLink href="/usage" className="text-xs font-medium text-emerald-700 underline max-lg:py-3">
        {t("usageLink")}
      </AppLink>
    </aside>
  );
}
