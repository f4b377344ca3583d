"use client";

import { cn } from "@/lib/utils";
import { AppLink } from "./app-link";
import { TOUCH_TARGET } from "./touch";

type Props = {
  /** Each page's path and its name in the interface's language. */
  links: [href: string, label: string][];
  /** The page shown. */
  pathname: string;
};

/** The app's other pages (presets, usage, tokenizer, settings, admin), the one shown marked as current. */
export function PageLinks({ links, pathname }: Props) {
  return (
    <div className="flex flex-wrap gap-1 border-t border-zinc-200 px-2 pt-2">
      {links.map(([href, label]) => (
        <AppLink
          key={href}
          href={href}
          aria-current={pathname === href ? "page" : undefined}
          className={cn(
            "inline-flex items-center rounded-lg px-3 py-1.5 text-sm",
            TOUCH_TARGET,
            pathname === href ? "bg-zinc-200 font-medium" : "hover:bg-zinc-100",
          )}
        >
          {label}
        </AppLink>
      ))}
    </div>
  );
}
