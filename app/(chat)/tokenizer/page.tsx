import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import type { TokenizerModel } from "@/components/tokenizer/model-costs";
import { Tokenizer } from "@/components/tokenizer/tokenizer";
import { availableModels } from "@/lib/ai/provider";
import { requirePageUserId } from "@/lib/auth";
import { UNDATED } from "@/lib/billing/package-prices";
import { encodingForModel, hasKnownEncoding } from "@/lib/billing/tokens";
import { displayCurrency, priceFor } from "@/lib/config";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("pageTitles"))("tokenizer") };
}
export const dynamic = "force-dynamic";

/** Signed-in users only: it shows the configured models and their prices. */
export default async function TokenizerPage() {
  await requirePageUserId();
  const now = new Date();
  const models: TokenizerModel[] = (await availableModels()).map((model) => {
    const price = priceFor(model, now);
    return {
      model,
      encoding: encodingForModel(model),
      isKnownEncoding: hasKnownEncoding(model),
      price: price && {
        inputPer1M: price.inputPer1M,
        cachedInputPer1M: price.cachedInputPer1M,
        outputPer1M: price.outputPer1M,
        listedAs: price.model,
        since: price.effectiveFrom === UNDATED ? null : price.effectiveFrom,
      },
    };
  });
  return <Tokenizer models={models} today={now.toISOString().slice(0, 10)} currency={displayCurrency()} />;
}
