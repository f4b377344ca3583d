import { useTranslations } from "next-intl";
import { PageSkeleton, Skeleton } from "@/components/ui/skeleton";

/** The admin page's shape: this server's figures, the users, the invites. */
export default function AdminLoading() {
  const t = useTranslations("admin");
  return (
    <PageSkeleton label={t("loading")} title={t("title")} width="wide">
      <Skeleton className="h-36" />
      <Skeleton className="h-72" />
      <Skeleton className="h-56" />
    </PageSkeleton>
  );
}
