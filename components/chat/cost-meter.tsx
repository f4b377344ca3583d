"use client";

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
  const committed = budget.spentMicros + budget.reservedMicros;
  const percent = budgetPercent(budget);
  const left = budget.limitMicros === null ? null : Math.max(0, budget.limitMicros - committed);

  return (
    <aside
      aria-label="Cost meter"
      className="flex w-72 shrink-0 flex-col gap-5 border-l border-zinc-200 bg-white p-4 text-sm"
    >
      <section aria-label="This chat">
        <h2 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">This chat</h2>
        <p className="mt-1 text-lg font-semibold">
          {chat?.hasUnpriced && chat.costMicros === 0 ? (
            "unpriced"
          ) : (
            <Money micros={chat?.costMicros ?? 0} currency={currency} />
          )}
          {chat?.hasEstimated ? (
            <span className="ml-1.5 text-xs font-normal text-zinc-500">incl. estimated</span>
          ) : null}
        </p>
        <p className="text-zinc-600">
          {formatTokens(chat?.promptTokens ?? 0)} in / {formatTokens(chat?.completionTokens ?? 0)} out tokens
        </p>
        {chat?.hasUnpriced ? (
          <p className="mt-1 text-xs text-amber-700">Includes replies from unpriced models.</p>
        ) : null}
      </section>

      <section aria-label="This month">
        <h2 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">This month</h2>
        <p className="mt-1">
          <Money className="text-lg font-semibold" micros={committed} currency={currency} />
          <span className="text-zinc-500">
            {" "}
            of {budget.limitMicros === null ? "no limit" : `${formatUsd(budget.limitMicros)} budget`}
          </span>
        </p>
        {percent !== null ? <BudgetBar percent={percent} level={budget.level} className="mt-2" /> : null}
        {budget.reservedMicros > 0 ? (
          <p className="mt-1 text-xs text-zinc-500">{formatUsd(budget.reservedMicros)} held for replies in progress</p>
        ) : null}
        {budget.level === "warning" ? (
          <p role="status" className="mt-2 rounded-md bg-amber-50 px-2 py-1.5 text-xs text-amber-900">
            {percent}% of your monthly budget is used.{" "}
            {left !== null ? `${formatUsd(left)} left until ${budget.resetsOn}.` : null}
          </p>
        ) : null}
        {budget.level === "exceeded" ? (
          <p role="status" className="mt-2 rounded-md bg-red-50 px-2 py-1.5 text-xs text-red-800">
            Your monthly budget is used up. New messages are refused until {budget.resetsOn}, or{" "}
            <AppLink className="underline" href="/settings">
              raise it
            </AppLink>
            .
          </p>
        ) : null}
      </section>

      <section aria-label="Next message">
        <h2 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">Next message</h2>
        {nextMessage}
      </section>

      <AppLink href="/usage" className="text-xs font-medium text-emerald-700 underline">
        Usage and ledger
      </AppLink>
    </aside>
  );
}
