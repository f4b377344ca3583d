"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { cn } from "@/lib/utils";

/** How long "Copied" shows (ms). */
const FEEDBACK_MS = 2_000;

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No async clipboard outside a secure context (a self-hosted server on plain http): the older command still works.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const isCopied = document.execCommand("copy");
    area.remove();
    return isCopied;
  }
}

/** Copies `text` and says so for a moment. `label` names it for assistive technology ("Copy code"). */
export function CopyButton({
  text,
  label,
  showsLabel = false,
  className,
}: {
  text: string;
  label: string;
  /** Show "Copy" beside the icon (else the icon alone, with a tooltip). */
  showsLabel?: boolean;
  className?: string;
}) {
  const t = useTranslations("message");
  const [result, setResult] = useState<"copied" | "failed" | null>(null);
  useEffect(() => {
    if (!result) return;
    const timer = setTimeout(() => setResult(null), FEEDBACK_MS);
    return () => clearTimeout(timer);
  }, [result]);

  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={async () => setResult((await copyText(text)) ? "copied" : "failed")}
      className={cn(
        "inline-flex items-center gap-1 rounded-md px-1.5 py-1 text-xs text-zinc-500 hover:bg-zinc-200/70 hover:text-zinc-800",
        "focus-visible:outline-2 focus-visible:outline-emerald-600",
        className,
      )}
    >
      {result === "copied" ? <CheckIcon /> : <CopyIcon />}
      {result === "copied" ? t("copied") : result === "failed" ? t("copyFailed") : showsLabel ? t("copyShort") : null}
    </button>
  );
}

function CopyIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="2">
      <rect x="9" y="9" width="13" height="13" rx="2" />
      <path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1" />
    </svg>
  );
}

function CheckIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="M20 6 9 17l-5-5" />
    </svg>
  );
}
