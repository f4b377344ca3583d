import type { ExchangeRate } from "@/lib/billing/money";
import { FlagBadge } from "./flag-badge";
import { Money } from "./money";
import { useExactAmountNote } from "./use-exact-amount-note";

/**
 * A total of spend with what it may hide: with unpriced calls the amount is a lower bound (their cost is unknown),
 * so it never shows as a bare $0.00; with estimated calls part of it was counted by us.
 */
export function SpendAmount({
  micros,
  hasEstimated,
  hasUnpriced,
  currency,
}: {
  micros: number;
  hasEstimated: boolean;
  hasUnpriced: boolean;
  currency: ExchangeRate | null;
}) {
  const exactAmountNote = useExactAmountNote();
  const onlyUnpriced = hasUnpriced && micros === 0;
  const hasFlags = hasUnpriced || hasEstimated;
  return (
    <span className="flex flex-col items-end gap-0.5 whitespace-nowrap">
      {onlyUnpriced ? null : <Money micros={micros} currency={currency} title={exactAmountNote(micros)} />}
      {hasFlags ? (
        <span className="flex items-center gap-1">
          {hasUnpriced && !onlyUnpriced ? <span className="text-xs text-zinc-500">+</span> : null}
          {hasUnpriced ? <FlagBadge flag="unpriced" /> : null}
          {hasEstimated ? <FlagBadge flag="estimated" /> : null}
        </span>
      ) : null}
    </span>
  );
}
