"use client";

import { useTranslations } from "next-intl";
import { type Dispatch, lazy, type SetStateAction, Suspense, useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ATTACHMENT_ACCEPT, ATTACHMENT_TYPES, MAX_ATTACHMENTS } from "@/lib/chat/attachment-rules";
import type { MessageFile } from "@/lib/chat/ui-message";
import { cn } from "@/lib/utils";
import { fileUrl } from "./file-url";
import { TOUCH_TARGET } from "./touch";
import { whenLoadedAndIdle } from "./when-idle";

// Images attached in the composer (docs/vision.md): each is uploaded as soon as it is chosen, pasted or dropped
// (POST /api/files), shown as a thumbnail with its progress and a remove button, and sent as ids with the message.
// Removing one deletes the upload; one never sent is deleted by the server after a day. The uploads and thumbnails
// are in attachment-list.tsx, out of the page's first load: this file keeps the state, the button, paste and drop.

export type Entry = {
  key: string;
  /** The browser's own copy for the thumbnail while it uploads. */
  preview: string;
  /** Set once uploaded. */
  file?: MessageFile;
};

export type Attachments = ReturnType<typeof useAttachments>;

/** The attachments' state, for what attachment-list.tsx does with it. */
export type AttachmentsState = {
  latest: { current: Entry[] };
  counter: { current: number };
  setEntries: Dispatch<SetStateAction<Entry[]>>;
  setProblem: (problem: string | null) => void;
  t: ReturnType<typeof useTranslations<"attachments">>;
};

let loading: Promise<typeof import("./attachment-list")> | undefined;
const loadAttachmentList = () => (loading ??= import("./attachment-list"));
const preload = () => void loadAttachmentList();

// The thumbnails: with attaching's work, loaded when the page is idle or at the first sign of intent.
const AttachmentItems = lazy(() => loadAttachmentList().then((module) => ({ default: module.AttachmentItems })));

/** The composer's attached images; `canAttach` is false for a model without vision. */
export function useAttachments({ canAttach }: { canAttach: boolean }) {
  const t = useTranslations("attachments");
  const [entries, setEntries] = useState<Entry[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const counter = useRef(0);
  const latest = useRef(entries);
  latest.current = entries;
  const state: AttachmentsState = { latest, counter, setEntries, setProblem, t };

  useEffect(() => whenLoadedAndIdle(preload), []);

  // Thumbnails' object URLs go with the component.
  useEffect(
    () => () => {
      for (const entry of latest.current) URL.revokeObjectURL(entry.preview);
    },
    [],
  );

  const files = entries.flatMap((entry) => entry.file ?? []);
  return {
    entries,
    problem,
    /** The uploaded images, in the order attached. */
    files,
    isUploading: entries.some((entry) => !entry.file),
    canAttach,
    add(blobs: Blob[]) {
      if (!canAttach || blobs.length === 0) return;
      void loadAttachmentList().then((module) => module.addAttachments(state, blobs));
    },
    remove(key: string) {
      void loadAttachmentList().then((module) => module.removeAttachment(state, key));
    },
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
        onPointerEnter={preload}
        onPointerDown={preload}
        onFocus={preload}
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
  // The region is always there, so what appears in it is announced.
  return (
    <div className="px-3 pt-2 empty:hidden" aria-live="polite">
      {attachments.entries.length > 0 || attachments.problem ? (
        <Suspense fallback={null}>
          <AttachmentItems attachments={attachments} model={model} />
        </Suspense>
      ) : null}
    </div>
  );
}
