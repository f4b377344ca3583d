"use client";

import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import type { MessageFile } from "@/lib/chat/ui-message";
import { cn } from "@/lib/utils";
import { fileUrl } from "./file-url";
import { TOUCH_TARGET } from "./touch";

/**
 * A message's images (a reply's generated images, a user's attachments) as thumbnails; one clicked opens enlarged in
 * a modal <dialog> (Esc closes) with a download link. Served by GET /api/files/<id>, to their owner only.
 */
export function MessageImages({ files, alt, className }: { files: MessageFile[]; alt: string; className?: string }) {
  const t = useTranslations("message");
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState<MessageFile | null>(null);
  const images = files.filter((file) => file.mimeType.startsWith("image/"));
  if (images.length === 0) return null;
  const show = (file: MessageFile) => {
    setOpen(file);
    dialog.current?.showModal();
  };
  return (
    <>
      <ul aria-label={t("images", { count: images.length })} className={cn("flex flex-wrap gap-2", className)}>
        {images.map((file, index) => (
          <li key={file.id}>
            <button
              type="button"
              className="block overflow-hidden rounded-lg border border-zinc-200 hover:border-zinc-400"
              aria-label={t("enlargeImage", { index: index + 1, count: images.length })}
              onClick={() => show(file)}
            >
              {/* biome-ignore lint/performance/noImgElement: owner-only files from our own route, not optimizable */}
              <img
                src={fileUrl(file.id)}
                alt={alt}
                width={file.width ?? undefined}
                height={file.height ?? undefined}
                loading="lazy"
                className="h-40 w-auto max-w-full object-contain"
              />
            </button>
          </li>
        ))}
      </ul>
      <dialog
        ref={dialog}
        aria-label={t("imageDialog")}
        onClose={() => setOpen(null)}
        className="m-auto max-h-[calc(100dvh-2rem)] max-w-[calc(100vw-2rem)] rounded-xl border border-zinc-200 bg-white p-3 shadow-xl backdrop:bg-black/60"
      >
        {open ? (
          <figure className="flex flex-col gap-2">
            {/* biome-ignore lint/performance/noImgElement: owner-only files from our own route, not optimizable */}
            <img src={fileUrl(open.id)} alt={alt} className="max-h-[calc(100dvh-8rem)] w-auto object-contain" />
            <figcaption className="flex justify-end gap-2 text-sm">
              <a
                href={`${fileUrl(open.id)}?download=1`}
                download
                className={cn("rounded px-2 py-1 text-zinc-700 hover:bg-zinc-100", TOUCH_TARGET)}
              >
                {t("downloadImage")}
              </a>
              <button
                type="button"
                className={cn("rounded px-2 py-1 text-zinc-700 hover:bg-zinc-100", TOUCH_TARGET)}
                onClick={() => dialog.current?.close()}
              >
                {t("closeImage")}
              </button>
            </figcaption>
          </figure>
        ) : null}
      </dialog>
    </>
  );
}
