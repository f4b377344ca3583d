"use client";

import { useTranslations } from "next-intl";
import { MAX_ATTACHMENTS } from "@/lib/chat/attachment-rules";
import type { MessageFile } from "@/lib/chat/ui-message";
import { AppError } from "@/lib/errors";
import { cn } from "@/lib/utils";
import type { Attachments, AttachmentsState, Entry } from "./attachments";
import { fileUrl } from "./file-url";
import { TOUCH_TARGET } from "./touch";

// What attaching does (attachments.tsx keeps the state and the attach button, in the page's first load): upload each
// image (POST /api/files), remove one (deleting its upload), and the thumbnails above the text box. Loaded when the
// page is idle, or at the first sign of intent (a pointer on the attach button, a paste or a drop of images).

async function upload(state: AttachmentsState, entry: Entry, blob: Blob) {
  const { latest, setEntries, setProblem, t } = state;
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

/** Attaches `blobs` (as many as there is room for) and uploads each. */
export function addAttachments(state: AttachmentsState, blobs: Blob[]) {
  const { latest, counter, setEntries, setProblem, t } = state;
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
  for (const { entry, blob } of added) void upload(state, entry, blob);
}

export function removeAttachment({ latest, setEntries, setProblem }: AttachmentsState, key: string) {
  const entry = latest.current.find((other) => other.key === key);
  if (!entry) return;
  URL.revokeObjectURL(entry.preview);
  if (entry.file) void fetch(fileUrl(entry.file.id), { method: "DELETE" });
  setEntries((list) => list.filter((other) => other.key !== key));
  setProblem(null);
}

/** The attached images: thumbnails, busy while uploading, each with a remove button; the limit; the last problem. */
export function AttachmentItems({ attachments, model }: { attachments: Attachments; model: string }) {
  const t = useTranslations("attachments");
  const { entries, problem, canAttach } = attachments;
  return (
    <>
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
    </>
  );
}
