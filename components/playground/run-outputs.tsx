"use client";

import { useLocale, useTranslations } from "next-intl";
import { useErrorText } from "@/components/i18n/use-error-text";
import { FlagBadge } from "@/components/usage/flag-badge";
import { type ExchangeRate, formatMoney, formatUsd } from "@/lib/billing/money";
import type { CompletionOutput, CompletionRunView } from "@/lib/db/completion-runs";
import { cn } from "@/lib/utils";

/** The run's choices side by side (one column on a phone), each with how it ended once it has (its finish reason). */
export function RunOutputs({ outputs, isStreaming }: { outputs: CompletionOutput[]; isStreaming: boolean }) {
  const t = useTranslations("playground");
  return (
    <ol className={cn("grid gap-3", outputs.length > 1 && "md:grid-cols-2")}>
      {outputs.map((output, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a run's choices are fixed in number and order.
        <li key={index} className="flex min-w-0 flex-col gap-2 rounded-2xl border border-zinc-200 p-4">
          <h3 className="text-sm font-medium">{t("output", { number: index + 1 })}</h3>
          <pre
            aria-busy={isStreaming}
            className="min-h-12 font-mono text-sm break-words whitespace-pre-wrap text-zinc-900"
          >
            {output.text || (isStreaming ? t("waiting") : t("empty"))}
          </pre>
          {output.finishReason ? (
            <p className="text-xs text-zinc-600">{t("finish", { reason: output.finishReason })}</p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** A run's usage and exact cost (flagged estimated or unpriced), or, while it streams, the worst case held. */
export function RunUsage({
  run,
  reservedMicros,
  currency,
}: {
  run?: CompletionRunView;
  reservedMicros?: number;
  currency: ExchangeRate | null;
}) {
  const t = useTranslations("playground");
  const locale = useLocale();
  const errorText = useErrorText();
  if (!run) {
    return reservedMicros ? (
      <p className="text-sm text-zinc-600">{t("reserved", { amount: formatUsd(reservedMicros, { locale }) })}</p>
    ) : null;
  }
  return (
    <div className="flex flex-col items-end gap-1 text-sm">
      <p className="flex flex-wrap items-center justify-end gap-x-2 gap-y-1 tabular-nums">
        <span>{t("tokens", { prompt: run.promptTokens, completion: run.completionTokens })}</span>
        <span aria-hidden="true">·</span>
        <RunCost run={run} currency={currency} />
      </p>
      {run.status !== "complete" ? (
        <p className={run.status === "error" ? "text-red-800" : "text-zinc-600"}>
          {t("status", { status: run.status })}
          {run.error ? `: ${errorText(run.error)}` : ""}
        </p>
      ) : null}
    </div>
  );
}

/** "Cost $0.000021", with its flags; a second currency beside it when one is configured. */
export function RunCost({ run, currency }: { run: CompletionRunView; currency: ExchangeRate | null }) {
  const t = useTranslations("playground");
  const locale = useLocale();
  if (run.isUnpriced) return <FlagBadge flag="unpriced" />;
  const amount = formatUsd(run.costMicros, { locale });
  return (
    <span className="inline-flex items-center gap-1.5">
      <span>
        {t("cost", { amount })}
        {currency ? (
          <span className="text-zinc-600"> ({formatMoney(run.costMicros, { ...currency, locale })})</span>
        ) : null}
      </span>
      {run.isEstimated ? <FlagBadge flag="estimated" /> : null}
    </span>
  );
}
