// A conversation row's look, shared by the row (conversation-row.tsx) and the server-rendered rows that stand in for it
// until the list's code has loaded (sidebar.tsx).
import { cn } from "@/lib/utils";
import { TOUCH_TARGET } from "./touch";

/** A row's link (conversation-row.tsx, and its stand-in before the list's code loads). */
export function rowLinkClass(isActive: boolean): string {
  return cn(
    "block truncate rounded-lg py-2 pr-8 pl-3 text-sm max-lg:py-3 max-lg:pr-12",
    isActive ? "bg-zinc-200 font-medium" : "hover:bg-zinc-100",
  );
}

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
