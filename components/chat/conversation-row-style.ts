// A conversation row's look, shared by the row (conversation-row.tsx) and the server-rendered rows that stand in for it
// until the list's code has loaded (sidebar.tsx).
import { cn } from "@/lib/utils";
import { TOUCH_TARGET } from "./touch";

/**
 * A row's link (conversation-row.tsx, and its stand-in before the list's code loads). `hasSourceMark`: the row shows
 * where the conversation is held (SourceMark) over the link's left padding, which makes room for it.
 */
export function rowLinkClass(isActive: boolean, hasSourceMark = false): string {
  return cn(
    "block truncate rounded-lg py-2 pr-8 text-sm max-lg:py-3 max-lg:pr-12",
    hasSourceMark ? "pl-7" : "pl-3",
    isActive ? "bg-zinc-200 font-medium" : "hover:bg-zinc-100",
  );
}

/** Where a row's SourceMark sits: over its link's left padding, letting clicks through to the link. */
export const rowSourceMarkClass = "pointer-events-none absolute inset-y-0 left-2.5 flex items-center";

/** A row's ⋯ button, which opens its menu (rename, pin, delete). */
export function rowMenuButtonClass(isHighlighted: boolean): string {
  return cn(
    "absolute top-1.5 right-1.5 rounded px-1.5 leading-6 text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900",
    // Shown on hover and while the row has focus; always where there is no hover (touch screens) and on a phone,
    // there as large as a finger needs.
    "opacity-0 group-focus-within:opacity-100 group-hover:opacity-100 [@media(hover:none)]:opacity-100",
    "max-lg:top-0 max-lg:right-0 max-lg:opacity-100",
    TOUCH_TARGET,
    isHighlighted && "opacity-100",
  );
}
