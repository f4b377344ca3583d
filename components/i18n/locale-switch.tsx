"use client";

import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useTransition } from "react";
import { setLocaleAction } from "@/lib/i18n/actions";
import { locales } from "@/lib/i18n/locales";

/**
 * The interface language: saved on the account (and in a cookie for this browser), then the page is rendered again
 * in it. Each language is named in itself, so anyone can find theirs.
 */
export function LocaleSwitch({ className }: { className?: string }) {
  const t = useTranslations("language");
  const locale = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <select
      aria-label={t("label")}
      className={className}
      value={locale}
      disabled={pending}
      onChange={(event) => {
        const next = event.target.value;
        startTransition(async () => {
          if ((await setLocaleAction(next)).ok) router.refresh();
        });
      }}
    >
      {locales.map((option) => (
        <option key={option} value={option} lang={option}>
          {t(option)}
        </option>
      ))}
    </select>
  );
}
