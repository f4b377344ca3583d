"use client";

import { useTranslations } from "next-intl";
import { type RefObject, useEffect, useId, useRef, useState } from "react";
import { useErrorText } from "@/components/i18n/use-error-text";
import { conversationTitleProblem } from "@/lib/input-rules";
import { cn } from "@/lib/utils";
import { TOUCH_TARGET } from "./touch";

/** A sidebar row's menu: rename, pin, delete. Closes on a choice, Escape, or a click elsewhere. */
export function RowMenu({
  title,
  isPinned,
  menuButton,
  onClose,
  onRename,
  onTogglePin,
  onDelete,
}: {
  title: string;
  isPinned: boolean;
  /** The button that opened it: a click on it toggles the menu, so it does not count as a click elsewhere. */
  menuButton: RefObject<HTMLButtonElement | null>;
  onClose: () => void;
  onRename: () => void;
  onTogglePin: () => void;
  onDelete: () => void;
}) {
  const t = useTranslations("sidebar");
  const menu = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    menu.current?.querySelector<HTMLButtonElement>("[role=menuitem]")?.focus();
    const closeOutside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !menuButton.current?.contains(target)) close.current();
    };
    document.addEventListener("pointerdown", closeOutside);
    return () => document.removeEventListener("pointerdown", closeOutside);
  }, [menuButton]);

  function choose(action: () => void) {
    onClose();
    action();
  }

  return (
    <div
      ref={menu}
      role="menu"
      aria-label={t("options", { title })}
      onKeyDown={(event) => {
        if (event.key !== "Escape") return;
        // The menu's own Esc: not the drawer's too.
        event.preventDefault();
        onClose();
        menuButton.current?.focus();
      }}
      className="absolute top-9 right-1 z-20 flex w-40 flex-col max-lg:top-11 rounded-lg border border-zinc-200 bg-white py-1 text-sm shadow-lg"
    >
      <MenuItem onClick={() => choose(onRename)}>{t("rename")}</MenuItem>
      <MenuItem onClick={() => choose(onTogglePin)}>{isPinned ? t("unpin") : t("pin")}</MenuItem>
      <MenuItem onClick={() => choose(onDelete)} className="text-red-700">
        {t("delete")}
      </MenuItem>
    </div>
  );
}

function MenuItem({ className, ...props }: React.ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      type="button"
      role="menuitem"
      className={cn(
        "px-3 py-1.5 text-left hover:bg-zinc-100 focus:bg-zinc-100 focus-visible:-outline-offset-2",
        TOUCH_TARGET,
        className,
      )}
      {...props}
    />
  );
}

/** The title in an input: Enter saves, Esc cancels, leaving the field saves a valid change. */
export function RenameField({
  title,
  onSave,
  onDone,
}: {
  title: string;
  onSave: (title: string) => Promise<string | null>;
  onDone: () => void;
}) {
  const [value, setValue] = useState(title);
  const [problem, setProblem] = useState<string | null>(null);
  const errorText = useErrorText();
  const isSaving = useRef(false);
  // Set once the edit ends: the field then goes, and the blur that may come with that must not save.
  const isDone = useRef(false);
  const problemId = useId();
  const t = useTranslations("sidebar");

  function finish() {
    isDone.current = true;
    onDone();
  }

  async function save({ isLeaving }: { isLeaving: boolean }) {
    if (isSaving.current || isDone.current) return;
    // The server's rule (conversationTitleSchema applies it to the trimmed title).
    const newTitle = value.trim();
    const problem = conversationTitleProblem(newTitle);
    if (problem || newTitle === title) {
      // Leaving the field with nothing worth saving just ends the edit.
      if (isLeaving || !problem) finish();
      else setProblem(errorText(problem));
      return;
    }
    isSaving.current = true;
    const refusal = await onSave(newTitle);
    isSaving.current = false;
    if (refusal === null) finish();
    else setProblem(refusal);
  }

  return (
    <div className="px-1 py-0.5">
      <input
        autoFocus
        aria-label={t("titleLabel")}
        aria-invalid={problem !== null}
        aria-describedby={problem ? problemId : undefined}
        value={value}
        onFocus={(event) => event.currentTarget.select()}
        onChange={(event) => {
          setValue(event.target.value);
          setProblem(null);
        }}
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.nativeEvent.isComposing) {
            event.preventDefault();
            void save({ isLeaving: false });
          } else if (event.key === "Escape") {
            event.preventDefault();
            finish();
          }
        }}
        onBlur={() => void save({ isLeaving: true })}
        className={cn(
          "w-full rounded-lg border bg-white px-2 py-1.5 text-sm focus:ring-2",
          TOUCH_TARGET,
          problem ? "border-red-500 focus:ring-red-500/20" : "border-emerald-600 focus:ring-emerald-600/20",
        )}
      />
      {problem ? (
        <p id={problemId} role="alert" className="px-1 pt-1 text-xs text-red-700">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
