"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ATTACHMENT_ACCEPT, ATTACHMENT_TYPES, MAX_ATTACHMENTS } from "@/lib/chat/attachment-rules";
import type { MessageFile } from "@/lib/chat/ui-message";
import { AppError } from "@/lib/errors";
import { cn } from "@/lib/utils";
import { fileUrl } from "./message-images";
import { TOUCH_TARGET } from "./touch";

// Images attached in the composer (docs/vision.md): each is uploaded as soon as it is chosen, pasted or dropped
// (POST /api/files), shown as a thumbnail with its progress and a remove button, and sent as ids with the message.
// Removing one deletes the upload; one never sent is deleted by the server after a day.

type Entry = {
  key: string;
  /** The browser's own copy for the thumbnail while it uploads. */
  preview: string;
  /** Set once uploaded. */
  file?: MessageFile;
};

export type Attachments = ReturnType<typeof useAttachments>;

/** The composer's attached images; `canAttach` is false for a model without vision. */
export function useAttachments({ canAttach }: { canAttach: boolean }) {
  const t = useTranslations("attachments");
  const [entries, setEntries] = useState<Entry[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const counter = useRef(0);
  const latest = useRef(entries);
  latest.current = entries;

  // Thumbnails' object URLs go with the component.
  useEffect(
    () => () => {
      for (const entry of latest.current) URL.revokeObjectURL(entry.preview);
    },
    [],
  );

  async function upload(entry: Entry, blob: Blob) {
    const form = new FormData();
    form.append("file", blob, blob instanceof File ? blob.name : "pasted-image");
    let reason: string;
    try {
      const response = await fetch("/api/files", { method: "POST", body: form });
      const body = await response.text();
      if (response.ok) {
        const { id, mimeType, width, height } = JSON.parse(body) as MessageFile;
        const stillThere = latest.current.some((other) => other.key === entry.key);
        // Removed while it uploaded: the upload goes too.
        if (!stillThere) return void fetch(fileUrl(id), { method: "DELETE" });
        setEntries((list) =>
          list.map((other) => (other.key === entry.key ? { ...other, file: { id, mimeType, width, height } } : other)),
        );
        return;
      }
      reason = AppError.fromText(body)?.message ?? String(response.status);
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    URL.revokeObjectURL(entry.preview);
    setEntries((list) => list.filter((other) => other.key !== entry.key));
    setProblem(t("failed", { reason }));
  }

  function add(blobs: Blob[]) {
    if (!canAttach || blobs.length === 0) return;
    const room = MAX_ATTACHMENTS - latest.current.length;
    setProblem(blobs.length > room ? t("tooMany", { max: MAX_ATTACHMENTS }) : null);
    const added = blobs.slice(0, Math.max(0, room)).map((blob) => {
      counter.current += 1;
      return { entry: { key: String(counter.current), preview: URL.createObjectURL(blob) }, blob };
    });
    if (added.length === 0) return;
    const next = [...latest.current, ...added.map(({ entry }) => entry)];
    latest.current = next;
    setEntries(next);
    for (const { entry, blob } of added) void upload(entry, blob);
  }

  function remove(key: string) {
    const entry = latest.current.find((other) => other.key === key);
    if (!entry) return;
    URL.revokeObjectURL(entry.preview);
    if (entry.file) void fetch(fileUrl(entry.file.id), { method: "DELETE" });
    setEntries((list) => list.filter((other) => other.key !== key));
    setProblem(null);
  }

  const files = entries.flatMap((entry) => entry.file ?? []);
  return {
    entries,
    problem,
    /** The uploaded images, in the order attached. */
    files,
    isUploading: entries.some((entry) => !entry.file),
    canAttach,
    add,
    remove,
    /** Sending: the images go with the message and leave the composer (`restore` puts them back on a refusal). */
    take(): MessageFile[] {
      for (const entry of latest.current) URL.revokeObjectURL(entry.preview);
      latest.current = [];
      setEntries([]);
      setProblem(null);
      return files;
    },
    restore(sent: MessageFile[]) {
      const back = sent.map((file) => {
        counter.current += 1;
        return { key: String(counter.current), preview: fileUrl(file.id), file };
      });
      latest.current = back;
      setEntries(back);
    },
  };
}

/** Images among a paste's or a drop's items. */
function imagesOf(data: DataTransfer | null): File[] {
  return [...(data?.files ?? [])].filter((file) => (ATTACHMENT_TYPES as readonly string[]).includes(file.type));
}

/** Paste and drop of images onto the composer (spread on its form). */
export function attachmentDropProps(attachments: Attachments): React.HTMLAttributes<HTMLElement> {
  return {
    onPaste: (event) => {
      const images = imagesOf(event.clipboardData);
      if (images.length === 0) return;
      event.preventDefault();
      attachments.add(images);
    },
    onDragOver: (event) => {
      if (attachments.canAttach && [...event.dataTransfer.types].includes("Files")) event.preventDefault();
    },
    onDrop: (event) => {
      const images = imagesOf(event.dataTransfer);
      if (images.length === 0) return;
      event.preventDefault();
      attachments.add(images);
    },
  };
}

/** The attach button beside the model picker: a file picker for images, disabled (and saying why) without vision. */
export function AttachButton({ attachments, model }: { attachments: Attachments; model: string }) {
  const t = useTranslations("attachments");
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const isFull = attachments.entries.length >= MAX_ATTACHMENTS;
  const hint = attachments.canAttach ? t("attachHint", { max: MAX_ATTACHMENTS }) : t("noVision", { model });
  return (
    <>
      <input
        ref={input}
        type="file"
        accept={ATTACHMENT_ACCEPT}
        multiple
        hidden
        tabIndex={-1}
        aria-label={t("attach")}
        onChange={(event) => {
          attachments.add([...(event.target.files ?? [])]);
          event.target.value = "";
        }}
      />
      <Button
        variant="ghost"
        aria-label={t("attach")}
        aria-describedby={hintId}
        title={hint}
        // aria-disabled rather than disabled: the button stays focusable, so the reason can be read.
        aria-disabled={!attachments.canAttach || isFull ? true : undefined}
        onClick={() => {
          if (attachments.canAttach && !isFull) input.current?.click();
        }}
        className={cn(
          "shrink-0 px-2 py-1 text-base leading-none",
          TOUCH_TARGET,
          (!attachments.canAttach || isFull) && "cursor-not-allowed text-zinc-400 hover:bg-transparent",
        )}
      >
        <span aria-hidden="true">📎</span>
      </Button>
      <span id={hintId} className="sr-only">
        {hint}
      </span>
    </>
  );
}

/** The attached images above the text box: thumbnails, busy while uploading, each with a remove button; the limit. */
export function AttachmentList({ attachments, model }: { attachments: Attachments; model: string }) {
  const t = useTranslations("attachments");
  const { entries, problem, canAttach } = attachments;
  return (
    <div className="px-3 pt-2 empty:hidden" aria-live="polite">
      {entries.length > 0 ? (
        <>
          <ul aria-label={t("list")} className="flex flex-wrap gap-2">
            {entries.map((entry, index) => (
              <li key={entry.key} className="relative" aria-busy={entry.file ? undefined : true}>
                {/* biome-ignore lint/performance/noImgElement: a local preview or an owner-only file, not optimizable */}
                <img
                  src={entry.preview}
                  alt={entry.file ? t("image", { index: index + 1 }) : t("uploading", { index: index + 1 })}
                  className={cn(
                    "h-16 w-16 rounded-lg border border-zinc-200 object-cover",
                    !entry.file && "animate-pulse opacity-50",
                  )}
                />
                <button
                  type="button"
                  aria-label={t("remove", { index: index + 1 })}
                  onClick={() => attachments.remove(entry.key)}
                  className={cn(
                    "absolute -top-2 -right-2 flex h-6 w-6 items-center justify-center rounded-full border border-zinc-300 bg-white text-xs text-zinc-700 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-emerald-600",
                    TOUCH_TARGET,
                  )}
                >
                  <span aria-hidden="true">✕</span>
                </button>
              </li>
            ))}
          </ul>
          <p className="mt-1 text-xs text-zinc-500">
            {t("limit", { count: entries.length, max: MAX_ATTACHMENTS })}
            {attachments.isUploading ? ` · ${t("waitForUploads")}` : null}
          </p>
          {canAttach ? null : <p className="mt-1 text-xs text-amber-700">{t("noVision", { model })}</p>}
        </>
      ) : null}
      {problem ? (
        <p role="alert" className="mt-1 text-xs text-red-700">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
