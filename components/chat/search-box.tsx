"use client";

import type { Ref } from "react";

type SearchBoxProps = {
  value: string;
  onChange: (value: string) => void;
  onFocus?: () => void;
  ref: Ref<HTMLInputElement>;
};

/** The search field; Esc clears it (and leaves it when already empty). */
export function SearchBox({ value, onChange, onFocus, ref }: SearchBoxProps) {
  return (
    <input
      ref={ref}
      type="search"
      aria-label="Search conversations"
      aria-keyshortcuts="Control+K Meta+K"
      placeholder="Search (Ctrl+K)"
      value={value}
      onChange={(event) => onChange(event.target.value)}
      onFocus={onFocus}
      onKeyDown={(event) => {
        if (event.key !== "Escape") return;
        event.preventDefault();
        if (value) onChange("");
        else event.currentTarget.blur();
      }}
      className="w-full rounded-lg border border-zinc-300 bg-white px-3 py-1.5 text-sm focus:border-emerald-600 focus:ring-2 focus:ring-emerald-600/20"
    />
  );
}
