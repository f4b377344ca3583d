import { useTranslations } from "next-intl";
import { PageSkeleton, Skeleton } from "@/components/ui/skeleton";

/** The presets page's shape: the New preset button, then a card per preset. */
export default function PresetsLoading() {
  const t = useTranslations("presets");
  return (
    <PageSkeleton label={t("loading")} title={t("title")} width="medium">
      <Skeleton className="h-9 w-28 rounded-lg" />
      {[1, 2, 3].map((card) => (
        <Skeleton key={card} className="h-36" />
      ))}
    </PageSkeleton>
  );
}
