import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { CompareView } from "@/components/compare/compare-view";
import { availableModels } from "@/lib/ai/provider";
import { requirePageUserId } from "@/lib/auth";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("pageTitles"))("compare") };
}
export const dynamic = "force-dynamic";

export default async function ComparePage() {
  await requirePageUserId();
  const t = await getTranslations("compare");
  return (
    <div className="flex-1 overflow-y-auto">
      <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-8 sm:px-6">
        <div>
          <h1 className="text-2xl font-semibold">{t("title")}</h1>
          <p className="mt-1 max-w-3xl text-sm text-zinc-600">{t("intro")}</p>
        </div>
        <CompareView models={await availableModels()} />
      </div>
    </div>
  );
}
