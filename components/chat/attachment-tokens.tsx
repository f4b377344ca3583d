"use client";

import { useLocale, useTranslations } from "next-intl";
import { imagesInputTokens } from "@/lib/billing/image-tokens";
import type { ChatUIMessage, MessageFile } from "@/lib/chat/ui-message";
import { formatTokens } from "@/lib/utils";

/**
 * Input tokens of the images the next request sends with the loaded messages and the draft, by OpenAI's rules for
 * `model` (lib/billing/image-tokens.ts): what the server reserves for them. The chat's older part, not loaded, comes
 * counted with its images by the server.
 */
export function loadedImageTokens({
  model,
  messages,
  attached,
}: {
  model: string;
  messages: readonly ChatUIMessage[];
  attached: readonly MessageFile[];
}): number {
  const sent = messages.flatMap((message) => (message.role === "user" ? (message.metadata?.files ?? []) : []));
  return imagesInputTokens(model, [...sent, ...attached]);
}

/** " (incl. ~1,105 image tokens)" after the estimate's prompt tokens. */
export function ImageTokens({ tokens }: { tokens: number }) {
  const t = useTranslations("attachments");
  const locale = useLocale();
  return <span className="text-zinc-500"> {t("imageTokens", { tokens: formatTokens(tokens, locale) })}</span>;
}
