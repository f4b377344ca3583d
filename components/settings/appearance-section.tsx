import { useTranslations } from "next-intl";
import { ThemeSwitch } from "@/components/ui/theme-switch";

/** Settings' theme choice (the sidebar has the same switch); remembered by this browser. */
export function AppearanceSection() {
  const t = useTranslations("theme");
  return (
    <section className="flex flex-col gap-3 rounded-2xl border border-zinc-200 p-6">
      <h2 className="text-lg font-semibold">{t("title")}</h2>
      <p className="text-sm text-zinc-600">{t("description")}</p>
      <ThemeSwitch className="w-fit rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm" />
    </section>
  );
}
