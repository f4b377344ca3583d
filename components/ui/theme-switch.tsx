"use client";

import { useTranslations } from "next-intl";
import { useSyncExternalStore } from "react";
import { setTheme, storedTheme, subscribeToTheme, THEMES, type Theme } from "./theme";

/**
 * Light, dark or the system's (components/ui/theme.ts keeps the choice in localStorage and sets the class on <html>,
 * before the first paint on the next load). The server cannot know the choice, so the field shows it once hydrated.
 */
export function ThemeSwitch({ className }: { className?: string }) {
  const t = useTranslations("theme");
  const theme = useSyncExternalStore(subscribeToTheme, storedTheme, () => null);
  return (
    <select
      aria-label={t("label")}
      className={className}
      value={theme ?? "system"}
      disabled={theme === null}
      onChange={(event) => setTheme(event.target.value as Theme)}
    >
      {THEMES.map((option) => (
        <option key={option} value={option}>
          {t(option)}
        </option>
      ))}
    </select>
  );
}
