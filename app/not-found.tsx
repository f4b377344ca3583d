import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("pageTitles"))("notFound") };
}

/** Any address that matches no page (a conversation or share of its own has its own not-found). */
export default async function NotFound() {
  const t = await getTranslations("notFound");
  return (
    <main className="flex min-h-full flex-col items-center justify-center gap-3 px-6 py-16 text-center">
      <p className="text-sm font-semibold text-emerald-700">404</p>
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="max-w-md text-sm text-zinc-600">{t("body")}</p>
      {/* A plain link, a full load as the sidebar's New chat: this page is every page's not-found fallback, so next/link
          here would put its ~3 KiB in every page's first load. */}
      <a href="/" className="mt-2 font-medium text-emerald-700 underline">
        {t("home")}
      </a>
    </main>
  );
}
