import { useTranslations } from "next-intl";
import { PageSkeleton, Skeleton } from "@/components/ui/skeleton";

/** The settings page's shape: budget, language, your data, currency. */
export default function SettingsLoading() {
  const t = useTranslations("settings");
  return (
    <PageSkeleton label={t("loading")} title={t("title")} width="narrow">
      <Skeleton className="h-80" />
      <Skeleton className="h-32" />
      <Skeleton className="h-56" />
      <Skeleton className="h-24" />
    </PageSkeleton>
  );
}
