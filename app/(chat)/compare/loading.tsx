import { useTranslations } from "next-intl";
import { PageSkeleton, Skeleton } from "@/components/ui/skeleton";

/** The compare page's shape: the prompt, the model picker, the button. */
export default function CompareLoading() {
  const t = useTranslations("compare");
  return (
    <PageSkeleton label={t("loading")} title={t("title")} width="wide">
      <Skeleton className="h-28" />
      <Skeleton className="h-16" />
      <Skeleton className="h-24" />
      <Skeleton className="h-11 w-28 rounded-lg" />
    </PageSkeleton>
  );
}
