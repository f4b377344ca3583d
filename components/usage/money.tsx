import { useTranslations } from "next-intl";
import { type ExchangeRate, formatMoney, formatUsd } from "@/lib/billing/money";

/** An amount in USD (the currency everything is charged in) and, when configured, a second currency beside it. */
export function Money({
  micros,
  currency,
  title,
  className,
}: {
  micros: number;
  currency: ExchangeRate | null;
  /** Tooltip, e.g. the price the amount was computed at. */
  title?: string;
  className?: string;
}) {
  const t = useTranslations("usage");
  const rate = currency
    ? t("rate", { currency: currency.currency, rate: currency.ratePerUsd, date: currency.effectiveFrom })
    : "";
  const tooltip = [title, rate].filter(Boolean).join("\n") || undefined;
  return (
    <span className={className} title={tooltip}>
      {formatUsd(micros)}
      {currency ? <span className="text-zinc-400"> ({formatMoney(micros, currency)})</span> : null}
    </span>
  );
}
