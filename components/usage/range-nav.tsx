import { useTranslations } from "next-intl";
import { AppLink } from "@/components/chat/app-link";
import { type UsageRange, usageRangeSchema } from "@/lib/billing/report";
import { cn } from "@/lib/utils";

/** The range of the per-model chart, the ledger and the export, as links (?range=), so it works without script. */
export function RangeNav({ range }: { range: UsageRange }) {
  const t = useTranslations("usage");
  return (
    <nav aria-label={t("rangeNav")} className="inline-flex rounded-lg border border-zinc-300 p-0.5 text-sm">
      {usageRangeSchema.options.map((option) => (
        <AppLink
          key={option}
          href={`/usage?range=${option}`}
          aria-current={option === range ? "page" : undefined}
          className={cn(
            "rounded-md px-3 py-1",
            option === range ? "bg-zinc-900 font-medium text-white" : "text-zinc-700 hover:bg-zinc-100",
          )}
        >
          {t(`ranges.${option}`)}
        </AppLink>
      ))}
    </nav>
  );
}
