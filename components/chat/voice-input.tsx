"use client";

import { useLocale, useTranslations } from "next-intl";
import { type ReactNode, type RefObject, useEffect, useRef, useState } from "react";
import { useErrorText } from "@/components/i18n/use-error-text";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import type { Draft } from "./draft";
import { TOUCH_TARGET } from "./touch";
import type { Recording, VoiceContext, VoiceState } from "./voice-recorder";
import { whenLoadedAndIdle } from "./when-idle";

// The composer's voice input: the microphone and upload buttons, and what the line below the composer says. The
// recording, the upload and the busy states are in voice-recorder.tsx, left out of the page's first load: fetched when
// the page has loaded and is idle, or at the first sign of intent (a pointer on a voice button, or its focus).

type VoiceModule = typeof import("./voice-recorder");
let loading: Promise<VoiceModule> | undefined;
const loadVoiceRecorder = () => (loading ??= import("./voice-recorder"));
const preload = () => void loadVoiceRecorder();

type Props = {
  draft: Draft;
  textarea: RefObject<HTMLTextAreaElement | null>;
  /** The stored conversation the transcript is for (its meter counts the cost); null for a chat not yet stored. */
  conversationId: string | null;
  /** Sends a transcript at once (the "send directly" setting); absent while a reply is running. */
  onSend?: (text: string) => void;
  /** A transcription was charged: the meter reads its figures again. */
  onCharged?: () => void;
  disabled?: boolean;
};

/**
 * The voice input's buttons (`controls`, for the composer's row of controls) and what it says (`status`: recording
 * time aside, the transcription's progress, cost or failure, a line of its own below the composer).
 */
export function useVoiceInput({ draft, textarea, conversationId, onSend, onCharged, disabled = false }: Props) {
  const t = useTranslations("voice");
  const locale = useLocale();
  const errorText = useErrorText();
  const [state, setState] = useState<VoiceState>({ kind: "idle" });
  // Set once voice-recorder.tsx has loaded (it is, before anything makes the state other than idle).
  const [voice, setVoice] = useState<VoiceModule | null>(null);
  const recorder = useRef<Recording | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => whenLoadedAndIdle(preload), []);
  // Leaving the page mid-recording releases the microphone and sends nothing.
  useEffect(
    () => () => void loading?.then((module) => module.stopRecording(recorder.current, { isCancelled: true })),
    [],
  );

  /** Runs `task` with voice-recorder.tsx and what it needs of this render (as the handlers did when they were here). */
  function withRecorder(task: (module: VoiceModule, context: VoiceContext) => void) {
    const context: VoiceContext = {
      draft,
      textarea,
      conversationId,
      onSend,
      onCharged,
      setState,
      recorder,
      locale,
      t,
      errorText,
    };
    void loadVoiceRecorder().then((module) => {
      setVoice(module);
      task(module, context);
    });
  }

  const stopTracks = (isCancelled: boolean) => {
    voice?.stopRecording(recorder.current, { isCancelled });
    // Stopped: the recording is uploaded next (onstop); cancelled: nothing more happens.
    setState(isCancelled ? { kind: "idle" } : { kind: "transcribing" });
  };

  function onFile(event: React.ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file) withRecorder((module, context) => void module.transcribe(context, file, file.name));
  }

  const isTranscribing = state.kind === "transcribing";
  const button = cn("shrink-0 px-2 py-1.5", TOUCH_TARGET);
  const intent = { onPointerEnter: preload, onPointerDown: preload, onFocus: preload };

  const controls: ReactNode = (
    <div className="ml-auto flex shrink-0 items-center gap-1">
      {state.kind === "recording" && voice ? (
        <voice.VoiceRecording startedAt={state.startedAt} onStop={stopTracks} buttonClassName={button} />
      ) : (
        <>
          <Button
            variant="ghost"
            className={button}
            aria-label={t("record")}
            title={t("record")}
            disabled={disabled || isTranscribing}
            onClick={() => withRecorder((module, context) => void module.startRecording(context))}
            {...intent}
          >
            <MicrophoneIcon />
          </Button>
          <Button
            variant="ghost"
            className={button}
            aria-label={t("upload")}
            title={t("upload")}
            disabled={disabled || isTranscribing}
            onClick={() => fileInput.current?.click()}
            {...intent}
          >
            <UploadIcon />
          </Button>
          <input
            ref={fileInput}
            type="file"
            accept="audio/*,.mp3,.mp4,.mpeg,.mpga,.m4a,.wav,.webm,.ogg,.oga,.opus"
            className="hidden"
            tabIndex={-1}
            aria-hidden
            onChange={onFile}
          />
        </>
      )}
    </div>
  );

  const status: ReactNode = (
    <>
      {/* Always mounted, so screen readers announce what it says. */}
      <p role="status" aria-live="polite" className="mt-1.5 text-center text-xs text-zinc-500 empty:hidden">
        {voice ? <voice.VoiceProgress state={state} /> : null}
      </p>
      {state.kind === "failed" ? (
        <p role="alert" className="mt-1.5 text-center text-xs text-red-700">
          {state.message}
        </p>
      ) : null}
    </>
  );

  return { controls, status };
}

function MicrophoneIcon() {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth="2">
      <rect x="9" y="3" width="6" height="11" rx="3" />
      <path d="M5 11a7 7 0 0 0 14 0M12 18v3" strokeLinecap="round" />
    </svg>
  );
}

function UploadIcon() {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="M12 16V4m0 0-4 4m4-4 4 4M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3" strokeLinecap="round" />
    </svg>
  );
}
