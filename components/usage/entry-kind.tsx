import { useFormatter, useTranslations } from "next-intl";
import { Fragment } from "react";
import type { LedgerRow } from "@/lib/db/usage";

/** "0:12", "1:02:03": seconds of audio as a clock reads them, the same in every language. */
export function clockDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const [hours, minutes, rest] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  const pad = (value: number) => String(value).padStart(2, "0");
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(rest)}` : `${minutes}:${pad(rest)}`;
}

/**
 * A ledger entry's kind with the units it was billed in, in words: "chat"; "voice · 0:12 · 157 audio tokens";
 * "image · 2 × 1024x1024 high · 4,160 image tokens". Text tokens have their own columns; these are the others.
 * A call asked for through a messaging channel ends with the channel's name ("chat · Telegram").
 */
export function EntryKind({ entry }: { entry: LedgerRow }) {
  const t = useTranslations("usage.ledger");
  const format = useFormatter();
  const parts = [t("kindName", { kind: entry.kind })];
  if (entry.audioSeconds > 0) parts.push(clockDuration(entry.audioSeconds));
  if (entry.audioTokens > 0) parts.push(t("audioTokens", { count: entry.audioTokens }));
  if (entry.images > 0) {
    const [size = "", quality = ""] = (entry.imageVariant ?? "").split("/");
    parts.push(
      entry.imageVariant
        ? t("imageCount", { count: format.number(entry.images), size, quality: t("imageQuality", { quality }) })
        : t("imageCountOnly", { count: entry.images }),
    );
  }
  if (entry.imageInputTokens > 0) parts.push(t("imageInputTokens", { count: entry.imageInputTokens }));
  if (entry.imageOutputTokens > 0) parts.push(t("imageOutputTokens", { count: entry.imageOutputTokens }));
  if (entry.source !== "web") parts.push(t("sourceName", { source: entry.source }));
  // Lines break only between parts, so a narrow column shows "image ·" above "2 × 1024x1024 high ·", not a word a line.
  return parts.map((part, index) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: the parts are fixed in number and order for an entry.
    <Fragment key={index}>
      {index > 0 ? " · " : null}
      <span className="whitespace-nowrap">{part}</span>
    </Fragment>
  ));
}
