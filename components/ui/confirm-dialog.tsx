"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef } from "react";
import { Button } from "./button";

type Props = {
  /** The dialog shows while this is set. */
  isOpen: boolean;
  title: string;
  description?: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
};

/** A modal question (the browser's <dialog>: focus kept inside, Esc cancels). */
export function ConfirmDialog({ isOpen, title, description, confirmLabel, onConfirm, onCancel }: Props) {
  const t = useTranslations("common");
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (isOpen && !element.open) element.showModal();
    if (!isOpen && element.open) element.close();
  }, [isOpen]);

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
      className="m-auto w-full max-w-[calc(100vw-2rem)] rounded-xl sm:max-w-sm border border-zinc-200 p-5 shadow-xl backdrop:bg-black/30"
    >
      <h2 id={titleId} className="text-base font-semibold text-zinc-900">
        {title}
      </h2>
      {description ? <p className="mt-2 text-sm text-zinc-600">{description}</p> : null}
      <div className="mt-5 flex justify-end gap-2">
        <Button variant="secondary" className="max-lg:min-h-11" onClick={onCancel}>
          {t("cancel")}
        </Button>
        <Button variant="danger" className="max-lg:min-h-11" onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
