"use client";

import { useLocale, useTranslations } from "next-intl";
import type { ImageUnits } from "@/lib/chat/ui-message";
import { formatTokens } from "@/lib/utils";

/**
 * An image reply's billed units in its usage line: "2 images · 1024x1024 · High · 12 text tokens in · 8,320 image
 * tokens out" (gpt-image models, billed by tokens), or the images and their variant, priced per image (DALL·E).
 */
export function ImageUnitsUsage({ image }: { image: ImageUnits }) {
  const t = useTranslations("images");
  const locale = useLocale();
  const n = (count: number) => formatTokens(count, locale);
  const [size, quality] = image.variant?.split("/") ?? [];
  const isByTokens = image.imageOutputTokens > 0 || image.imageInputTokens > 0;
  return (
    <>
      <span>{t("imageCount", { count: image.count })}</span>
      {size ? <span>{size}</span> : null}
      {quality ? <span>{t("qualityName", { quality })}</span> : null}
      {isByTokens ? (
        <>
          <span>{t("textTokens", { tokens: n(image.textTokens) })}</span>
          {image.imageInputTokens ? <span>{t("imageInputTokens", { tokens: n(image.imageInputTokens) })}</span> : null}
          <span>{t("imageOutputTokens", { tokens: n(image.imageOutputTokens) })}</span>
        </>
      ) : (
        <span>{t("perImage")}</span>
      )}
    </>
  );
}
