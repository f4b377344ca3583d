"use client";

import { useTranslations } from "next-intl";
import type { Ref } from "react";
import { cn } from "@/lib/utils";
import { SHORTCUT_TARGET } from "./shortcuts";
import { TOUCH_TARGET } from "./touch";

type SearchBoxProps = {
  value: string;
  onChange: (value: string) => void;
  onFocus?: () => void;
  ref?: Ref<HTMLInputElement>;
};

/** The search field; Esc clears it (and leaves it when already empty). */
export function SearchBox({ value, onChange, onFocus, ref }: SearchBoxProps) {
  const t = useTranslations("search");
  return (
    <input
      ref={ref}
      type="search"
      data-shortcut={SHORTCUT_TARGET.search}
      aria-label={t("label")}
      aria-keyshortcuts="Control+K Meta+K"
      placeholder={t("placeholder")}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      onFocus={onFocus}
      onKeyDown={(event) => {
        if (event.key !== "Escape") return;
        // Esc clears the search; with nothing to clear it leaves the field, and the page has it too (the drawer
        // closes).
        if (!value) return event.currentTarget.blur();
        event.preventDefault();
        onChange("");
      }}
      className={cn(
        TOUCH_TARGET,
        "w-full rounded-lg border border-zinc-300 bg-white px-3 py-1.5 text-sm focus:border-emerald-600 focus:ring-2 focus:ring-emerald-600/20",
      )}
    />
  );
}
