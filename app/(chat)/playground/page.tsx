import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Playground } from "@/components/playground/playground";
import { requirePageUserId } from "@/lib/auth";
import { displayCurrency, priceFor } from "@/lib/config";
import { HISTORY_PAGE, listPlaygroundRuns } from "@/lib/playground/history";
import { completionModels } from "@/lib/playground/run";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("pageTitles"))("playground") };
}
export const dynamic = "force-dynamic";

/** The Completions playground (docs/playground.md): a prompt, its parameters, the streamed choices and the history. */
export default async function PlaygroundPage() {
  const userId = await requirePageUserId();
  const history = await listPlaygroundRuns({ userId, limit: HISTORY_PAGE });
  const t = await getTranslations("playground");
  const models = completionModels().map((model) => {
    const price = priceFor(model);
    return { model, price: price && { inputPer1M: price.inputPer1M, outputPer1M: price.outputPer1M } };
  });
  return (
    <div className="flex-1 overflow-y-auto">
      <div className="mx-auto flex max-w-5xl flex-col gap-6 px-4 py-6 sm:px-6 sm:py-8">
        <div>
          <h1 className="text-2xl font-semibold">{t("title")}</h1>
          <p className="mt-1 text-sm text-zinc-600">{t("intro")}</p>
        </div>
        <Playground models={models} initialHistory={history} currency={displayCurrency()} />
      </div>
    </div>
  );
}
