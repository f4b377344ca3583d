"use client";

import { useTranslations } from "next-intl";
import { useSendVoiceDirectly } from "@/components/chat/voice-settings";

/** Settings' voice input choice: send a transcript at once, or put it in the composer to review (the default). */
export function VoiceSection() {
  const t = useTranslations("voice");
  const [sendDirectly, setSendDirectly] = useSendVoiceDirectly();
  return (
    <section className="flex flex-col gap-3 rounded-2xl border border-zinc-200 p-6">
      <h2 className="text-lg font-semibold">{t("settingsTitle")}</h2>
      <p className="text-sm text-zinc-600">{t("settingsDescription")}</p>
      <label className="flex min-h-11 items-center gap-3 text-sm">
        <input
          type="checkbox"
          className="size-4 accent-emerald-600"
          checked={sendDirectly}
          onChange={(event) => setSendDirectly(event.target.checked)}
        />
        {t("sendDirectly")}
      </label>
      <p className="text-xs text-zinc-500">{t("sendDirectlyNote")}</p>
    </section>
  );
}
