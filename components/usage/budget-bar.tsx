import { useTranslations } from "next-intl";
import type { BudgetLevel } from "@/lib/billing/budget";
import { cn } from "@/lib/utils";

/** The month's budget as a progress bar: green, amber from 80%, red at 100% (the level decides, not the width). */
export function BudgetBar({ percent, level, className }: { percent: number; level: BudgetLevel; className?: string }) {
  const t = useTranslations("usage.month");
  return (
    <div
      role="progressbar"
      aria-label={t("budgetUsed")}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={`${percent}%`}
      className={cn("h-2 overflow-hidden rounded-full bg-zinc-100", className)}
    >
      <div
        className={cn(
          "h-full rounded-full",
          level === "exceeded" ? "bg-red-600" : level === "warning" ? "bg-amber-500" : "bg-emerald-600",
        )}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}
