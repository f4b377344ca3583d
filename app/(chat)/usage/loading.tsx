import { useTranslations } from "next-intl";
import { PageSkeleton, Skeleton } from "@/components/ui/skeleton";

/**
 * The usage page's shape (this month and the monthly totals, the daily chart, the range bar, spend per model beside
 * spend by kind, the ledger).
 */
export default function UsageLoading() {
  const t = useTranslations("usage");
  return (
    <PageSkeleton label={t("loading")} title={t("title")} width="wide">
      <div className="grid gap-6 lg:grid-cols-2">
        <Skeleton className="h-40" />
        <Skeleton className="h-40" />
      </div>
      <Skeleton className="h-72" />
      <div className="flex items-center justify-between gap-3">
        <Skeleton className="h-8 w-72 rounded-lg" />
        <Skeleton className="h-8 w-28 rounded-lg" />
      </div>
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <Skeleton className="h-56" />
        <Skeleton className="h-56" />
      </div>
      <Skeleton className="h-96" />
    </PageSkeleton>
  );
}
