import { useTranslations } from "next-intl";
import { PageSkeleton, Skeleton } from "@/components/ui/skeleton";

/** The tokenizer page's shape: the text box, the counts, the tokens, the costs. */
export default function TokenizerLoading() {
  const t = useTranslations("tokenizer");
  return (
    <PageSkeleton label={t("loading")} title={t("title")} width="wide">
      <Skeleton className="h-48" />
      {[1, 2, 3].map((card) => (
        <Skeleton key={card} className="h-32" />
      ))}
    </PageSkeleton>
  );
}
