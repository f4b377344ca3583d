"use client";

import Link from "next/link";
import { BudgetBar } from "@/components/usage/budget-bar";
import { Money } from "@/components/usage/money";
import { budgetPercent } from "@/lib/billing/budget";
import { worstCaseCost } from "@/lib/billing/cost";
import type { ExchangeRate } from "@/lib/billing/money";
import { formatUsd } from "@/lib/billing/money";
import type { ModelPrice } from "@/lib/billing/prices";
import type { MeterBudget, MeterChat } from "@/lib/chat/ui-message";
import { cn, formatTokens } from "@/lib/utils";

export type { MeterBudget, MeterChat } from "@/lib/chat/ui-message";

type Props = {
  budget: MeterBudget;
  chat: MeterChat | null;
  model: string;
  price: ModelPrice | null;
  priceLabel: string | null;
  /** Live count of the next request's prompt (history + draft) with the model's tokenizer; null while unknown. */
  nextPromptTokens: number | null;
  isCounting: boolean;
  /** False when the model's tokenizer is unknown and o200k_base stood in. */
  isKnownEncoding: boolean;
  /** The reply's output limit: the conversation's, or the default. */
  maxOutputTokens: number;
  /** Older messages the context policy will leave out of the next request. */
  omittedMessages: number;
  /** Why the next request will be refused for the context window, or null. */
  overflow: string | null;
  currency: ExchangeRate | null;
};

/** Beside every chat: this chat's tokens and cost, the month against the budget, and what the next message may cost. */
export function CostMeter({
  budget,
  chat,
  model,
  price,
  priceLabel,
  nextPromptTokens,
  isCounting,
  isKnownEncoding,
  maxOutputTokens,
  omittedMessages,
  overflow,
  currency,
}: Props) {
  const committed = budget.spentMicros + budget.reservedMicros;
  const percent = budgetPercent(budget);
  const worstCase =
    price && nextPromptTokens !== null
      ? worstCaseCost({ promptTokens: nextPromptTokens, maxOutputTokens }, price)
      : null;
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
            <Link className="underline" href="/settings">
              raise it
            </Link>
            .
          </p>
        ) : null}
      </section>

      <section aria-label="Next message">
        <h2 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">Next message</h2>
        <p className="mt-1 text-zinc-700">
          {nextPromptTokens === null ? (
            <span className="text-zinc-400">{isCounting ? "counting…" : "Type a message to see its estimate."}</span>
          ) : (
            <>
              <span className={cn(isCounting && "text-zinc-400")}>{formatTokens(nextPromptTokens)}</span> prompt tokens
            </>
          )}
        </p>
        <p className="text-zinc-600">
          {price === null ? (
            <span className="text-amber-700">{model} is unpriced</span>
          ) : worstCase === null ? null : (
            <>
              up to <Money micros={worstCase} currency={currency} title={priceLabel ?? undefined} />
            </>
          )}
        </p>
        {overflow ? (
          <p role="status" className="mt-1 rounded-md bg-red-50 px-2 py-1.5 text-xs text-red-800">
            {overflow}
          </p>
        ) : omittedMessages > 0 ? (
          <p className="mt-1 text-xs text-zinc-600">
            {omittedMessages === 1 ? "1 older message" : `${omittedMessages} older messages`} will be left out to keep
            within the context limit.
          </p>
        ) : null}
        <p className="mt-1 text-xs text-zinc-400">
          Estimate:{" "}
          {isKnownEncoding
            ? `counted with ${model}'s tokenizer`
            : `approximate (${model}'s tokenizer is unknown; counted with o200k_base)`}
          , plus up to {formatTokens(maxOutputTokens)} output tokens. What you are charged comes from the
          provider&apos;s reported usage.
        </p>
      </section>

      <Link href="/usage" className="text-xs font-medium text-emerald-700 underline">
        Usage and ledger
      </Link>
    </aside>
  );
}
