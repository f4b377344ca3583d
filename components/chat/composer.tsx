"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef } from "react";
import { useErrorText } from "@/components/i18n/use-error-text";
import { Button } from "@/components/ui/button";
import { messageLengthProblem } from "@/lib/message-rules";
import { cn } from "@/lib/utils";
import { type Draft, useDraftText } from "./draft";
import { SHORTCUT_TARGET } from "./shortcuts";
import { TOUCH_TARGET } from "./touch";
import { useVoiceInput } from "./voice-input";

type Props = {
  /** The text box's id (an example prompt focuses it). */
  id?: string;
  className?: string;
  draft: Draft;
  /** Called with the draft's text; the caller clears the draft. */
  onSend: (text: string) => void;
  onStop: () => void;
  isBusy: boolean;
  models: string[];
  /** What the picker says of each model (context window, prices); the id alone when absent. */
  modelLabels?: Record<string, string>;
  model: string;
  onModelChange: (model: string) => void;
  /** Voice input: the stored conversation a transcript is for (null: not stored yet), and the meter to reload. */
  voice?: { conversationId: string | null; onCharged: () => void };
  /** Attached images (attachments.tsx): the list above the text box, the button beside the picker, paste and drop. */
  attachments?: { list: React.ReactNode; button: React.ReactNode; formProps: React.HTMLAttributes<HTMLElement> };
  /** Sending waits (images still uploading, or attached for a model without vision). */
  isSendBlocked?: boolean;
  /** Another kind of message than chat (Image, image-mode.tsx): its switch beside Send, its options above the bar. */
  modeToggle?: React.ReactNode;
  modeOptions?: React.ReactNode;
  /** The box's placeholder in that mode. */
  placeholder?: string;
};

let sizedByBrowser: boolean | undefined;
const isSizedByBrowser = () => (sizedByBrowser ??= CSS.supports("field-sizing", "content"));

export function Composer({
  id,
  className,
  draft,
  onSend,
  onStop,
  isBusy,
  models,
  modelLabels = {},
  model,
  onModelChange,
  voice,
  attachments,
  isSendBlocked = false,
  modeToggle,
  modeOptions,
  placeholder,
}: Props) {
  const t = useTranslations("composer");
  const value = useDraftText(draft);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const problemId = useId();
  // No maxLength: it would cut a long paste silently. The whole text stays, and the limit is shown instead.
  const errorText = useErrorText();
  const lengthProblem = messageLengthProblem(value);
  const canSend = !isBusy && !isSendBlocked && value.trim() !== "" && lengthProblem === null;
  const voiceInput = useVoiceInput({
    draft,
    textarea,
    conversationId: voice?.conversationId ?? null,
    onCharged: voice?.onCharged,
    onSend: isBusy ? undefined : onSend,
  });

  // Grow with the draft up to a limit (max-h-60), like ChatGPT's box. The browser does it itself where it can
  // (`field-sizing: content`); measuring here instead lays the page out inside each key's own task.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure whenever the draft changes.
  useEffect(() => {
    const element = textarea.current;
    if (!element || isSizedByBrowser()) return;
    element.style.height = "auto";
    element.style.height = `${Math.min(element.scrollHeight, 240)}px`;
  }, [value]);

  function onKeyDown(event: React.KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter is a newline; Enter that confirms an IME candidate (Chinese, Japanese…) does neither.
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    if (canSend) onSend(value);
  }

  return (
    <form
      {...attachments?.formProps}
      className={cn("mx-auto w-full max-w-3xl px-4 pb-4 max-lg:px-2 max-lg:pb-2", className)}
      onSubmit={(event) => {
        event.preventDefault();
        if (canSend) onSend(value);
      }}
    >
      {/* The field's focus ring is drawn around the whole box (the field itself has none). */}
      <div className="rounded-2xl border border-zinc-300 bg-white shadow-sm focus-within:border-zinc-400 has-[textarea:focus-visible]:outline-2 has-[textarea:focus-visible]:outline-offset-2 has-[textarea:focus-visible]:outline-emerald-600">
        {attachments?.list}
        <textarea
          ref={textarea}
          id={id}
          data-shortcut={SHORTCUT_TARGET.composer}
          aria-keyshortcuts="Shift+Escape /"
          aria-label={t("message")}
          placeholder={placeholder ?? t("placeholder")}
          rows={1}
          value={value}
          aria-invalid={lengthProblem ? true : undefined}
          aria-describedby={lengthProblem ? problemId : undefined}
          onChange={(event) => draft.set(event.target.value)}
          onKeyDown={onKeyDown}
          autoFocus
          className="block max-h-60 w-full resize-none field-sizing-content rounded-2xl bg-transparent px-4 pt-3 pb-1 outline-none"
        />
        {modeOptions}
        <div className="flex items-center justify-between gap-2 px-3 pb-2">
          {attachments?.button}
          <label className="mr-auto flex min-w-0 items-center gap-2 text-xs text-zinc-500">
            <span className="sr-only">{t("model")}</span>
            <select
              aria-label={t("model")}
              value={model}
              onChange={(event) => onModelChange(event.target.value)}
              disabled={isBusy}
              className={cn(
                "max-w-full min-w-0 rounded-md border border-zinc-300 bg-zinc-50 px-2 py-1 text-xs text-zinc-700 sm:max-w-[70%]",
                TOUCH_TARGET,
              )}
            >
              {models.map((name) => (
                <option key={name} value={name}>
                  {modelLabels[name] ?? name}
                </option>
              ))}
            </select>
          </label>
          {voice ? voiceInput.controls : null}
          {modeToggle}
          {/* Distinct keys: Stop ends the stream during its own click, and a reused <button> would turn into the
              submit button before the click's default action runs, sending the draft. */}
          {isBusy ? (
            <Button
              key="stop"
              variant="secondary"
              onClick={onStop}
              data-shortcut={SHORTCUT_TARGET.stop}
              aria-keyshortcuts="Escape"
              className={cn("shrink-0 py-1.5", TOUCH_TARGET)}
            >
              {t("stop")}
            </Button>
          ) : (
            <Button
              key="send"
              type="submit"
              disabled={!value.trim() || lengthProblem !== null || isSendBlocked}
              className={cn("shrink-0 py-1.5", TOUCH_TARGET)}
            >
              {t("send")}
            </Button>
          )}
        </div>
      </div>
      {voice ? voiceInput.status : null}
      {/* Always mounted, so screen readers announce the limit when it appears. */}
      <p id={problemId} aria-live="polite" className="mt-1.5 text-center text-xs text-red-700 empty:hidden">
        {lengthProblem && errorText(lengthProblem)}
      </p>
      {lengthProblem ? null : (
        // A phone's keyboard has no Shift+Enter: the hint is for a hardware keyboard.
        <p className="mt-1.5 text-center text-xs text-zinc-400 max-lg:hidden">{t("hint")}</p>
      )}
    </form>
  );
}
