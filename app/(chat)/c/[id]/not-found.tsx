import { getTranslations } from "next-intl/server";

export default async function ConversationNotFound() {
  const t = await getTranslations("chat");
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-3 p-8 text-center">
      <h1 className="text-xl font-semibold">{t("notFoundTitle")}</h1>
      <p className="text-sm text-zinc-600">{t("notFoundText")}</p>
      {/* A full load, as the sidebar's New chat: a fresh page mints a fresh conversation id. (next/link here would also
          put its ~3 KiB in every conversation page's first load.) */}
      <a href="/" className="text-sm font-medium text-emerald-700 underline">
        {t("startNewChat")}
      </a>
    </div>
  );
}
