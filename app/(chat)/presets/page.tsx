import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PresetList } from "@/components/presets/preset-list";
import { Toaster } from "@/components/ui/toaster";
import { availableModels, defaultModel } from "@/lib/ai/provider";
import { requirePageUserId } from "@/lib/auth";
import { listPresets } from "@/lib/chat/presets";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("pageTitles"))("presets") };
}
export const dynamic = "force-dynamic";

export default async function PresetsPage() {
  const userId = await requirePageUserId();
  const presets = await listPresets({ userId });
  const t = await getTranslations("presets");
  return (
    <div className="flex-1 overflow-y-auto">
      <Toaster />
      <div className="mx-auto flex max-w-3xl flex-col gap-6 px-6 py-8">
        <div>
          <h1 className="text-2xl font-semibold">{t("title")}</h1>
          <p className="mt-1 text-sm text-zinc-600">{t("intro")}</p>
        </div>
        <PresetList
          initialPresets={presets.map(({ id, name, model, settings }) => ({ id, name, model, settings }))}
          models={await availableModels()}
          defaultModel={defaultModel()}
        />
      </div>
    </div>
  );
}
