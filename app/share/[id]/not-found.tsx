// The same page for a link that never existed, one that was revoked and one whose conversation was deleted.
import { getTranslations } from "next-intl/server";

export default async function SharedConversationNotFound() {
  const t = await getTranslations("share");
  return (
    <main className="flex h-full flex-col items-center justify-center gap-3 p-8 text-center">
      <h1 className="text-xl font-semibold">{t("notFoundTitle")}</h1>
      <p className="text-sm text-zinc-600">{t("notFoundText")}</p>
    </main>
  );
}
