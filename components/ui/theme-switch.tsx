"use client";

import { useTranslations } from "next-intl";
import { useTheme } from "next-themes";
import { useSyncExternalStore } from "react";

const THEMES = ["system", "light", "dark"] as const;

const subscribeToNothing = () => () => {};

/**
 * Light, dark or the system's: next-themes keeps the choice in localStorage and sets the `dark` class on <html>
 * (before the first paint on the next load). The server cannot know the choice, so the field shows it once hydrated.
 */
export function ThemeSwitch({ className }: { className?: string }) {
  const t = useTranslations("theme");
  const { theme, setTheme } = useTheme();
  const isHydrated = useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
  return (
    <select
      aria-label={t("label")}
      className={className}
      value={isHydrated ? (theme ?? "system") : "system"}
      disabled={!isHydrated}
      onChange={(event) => setTheme(event.target.value)}
    >
      {THEMES.map((option) => (
        <option key={option} value={option}>
          {t(option)}
        </option>
      ))}
    </select>
  );
}
