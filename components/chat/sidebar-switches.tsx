"use client";

import { LocaleSwitch } from "@/components/i18n/locale-switch";
import { ThemeSwitch } from "@/components/ui/theme-switch";
import { cn } from "@/lib/utils";
import { TOUCH_TARGET } from "./touch";

/** The language and theme switches, side by side under the account. */
const SWITCH_CLASS =
  "min-w-0 flex-1 rounded-lg border border-zinc-300 bg-white px-2 py-1.5 text-sm text-zinc-700 hover:bg-zinc-100";

export function SidebarSwitches() {
  return (
    <div className="flex gap-2 px-4 pb-3">
      <LocaleSwitch className={cn(SWITCH_CLASS, TOUCH_TARGET)} />
      <ThemeSwitch className={cn(SWITCH_CLASS, TOUCH_TARGET)} />
    </div>
  );
}
