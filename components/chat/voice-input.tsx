"use client";

import { useLocale, useTranslations } from "next-intl";
import { type ReactNode, type RefObject, useEffect, useRef, useState } from "react";
import { useErrorText } from "@/components/i18n/use-error-text";
import { Button } from "@/components/ui/button";
import { formatUsd } from "@/lib/billing/money";
import { AppError } from "@/lib/errors";
import { cn } from "@/lib/utils";
import type { Draft } from "./draft";
import { TOUCH_TARGET } from "./touch";
import { useSendVoiceDirectly } from "./voice-settings";

// The composer's voice input: record with the microphone (MediaRecorder) or pick an audio file, send it to
// POST /api/audio/transcriptions, and put the transcript in the composer at the cursor for the user to review (or,
// with "Send voice messages directly" on in Settings, send it at once). What it cost is shown, and the meter reloads.

/** Containers the browser may record into, best first: Chrome and Firefox record WebM/Opus, Safari MP4/AAC. */
const RECORDING_TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/mp4;codecs=mp4a.40.2", "audio/mp4"];

/** The file extension matching a recording's real container type. */
function extensionFor(type: string): string {
  return type.startsWith("audio/mp4") || type.startsWith("video/mp4") ? "mp4" : "webm";
}

function pickRecordingType(): string | undefined {
  return RECORDING_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
}

/** Seconds as m:ss ("0:07", "12:30"). */
export function formatClock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

type Transcribed = {
  text: string;
  seconds: number;
  /** The file did not state its duration (a browser's WebM): `seconds` is only the most it can hold. */
  isDurationBounded: boolean;
  cost: { micros: number; isEstimated: boolean; isUnpriced: boolean };
};

type State =
  | { kind: "idle" }
  | { kind: "recording"; startedAt: number }
  | { kind: "transcribing" }
  | { kind: "done"; result: Transcribed; seconds: number | null }
  | { kind: "failed"; message: string };

type Recording = { recorder: MediaRecorder; stream: MediaStream; isCancelled: boolean };

/** Ends a recording and releases the microphone; a cancelled one is discarded (its onstop sends nothing). */
function stopRecording(current: Recording | null, { isCancelled }: { isCancelled: boolean }) {
  if (!current) return;
  current.isCancelled = isCancelled;
  if (current.recorder.state !== "inactive") current.recorder.stop();
  for (const track of current.stream.getTracks()) track.stop();
}

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
  const [sendDirectly] = useSendVoiceDirectly();
  const [state, setState] = useState<State>({ kind: "idle" });
  const [now, setNow] = useState(0);
  const recorder = useRef<Recording | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (state.kind !== "recording") return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [state.kind]);

  // Leaving the page mid-recording releases the microphone and sends nothing.
  useEffect(() => () => stopRecording(recorder.current, { isCancelled: true }), []);
  const stopTracks = (isCancelled: boolean) => {
    stopRecording(recorder.current, { isCancelled });
    // Stopped: the recording is uploaded next (onstop); cancelled: nothing more happens.
    setState(isCancelled ? { kind: "idle" } : { kind: "transcribing" });
  };

  function insert(text: string) {
    const element = textarea.current;
    const value = draft.get();
    const start = element?.selectionStart ?? value.length;
    const end = element?.selectionEnd ?? value.length;
    const before = value.slice(0, start);
    const after = value.slice(end);
    const joined = `${before}${before && !/\s$/.test(before) ? " " : ""}${text}${after && !/^\s/.test(after) ? " " : ""}`;
    draft.set(joined + after);
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(joined.length, joined.length);
    });
  }

  /** `recordedSeconds`: how long a recording made here lasted (its WebM may not say). */
  async function transcribe(file: Blob, name: string, recordedSeconds?: number) {
    setState({ kind: "transcribing" });
    const form = new FormData();
    form.append("file", file, name);
    form.append("language", locale.split("-")[0] ?? "en");
    if (conversationId) form.append("conversationId", conversationId);
    try {
      const response = await fetch("/api/audio/transcriptions", { method: "POST", body: form });
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) {
        const error = AppError.fromBody(body);
        // Anything reserved was settled (or released) before the answer: the meter shows what it came to.
        onCharged?.();
        setState({ kind: "failed", message: error?.text ? errorText(error.text) : (error?.message ?? t("failed")) });
        return;
      }
      const result = body as Transcribed;
      onCharged?.();
      const seconds = result.isDurationBounded ? (recordedSeconds ?? null) : result.seconds;
      setState({ kind: "done", result, seconds });
      const text = result.text.trim();
      if (text && sendDirectly && onSend) onSend(text);
      else if (text) insert(text);
    } catch {
      setState({ kind: "failed", message: t("failed") });
    }
  }

  async function start() {
    if (typeof MediaRecorder === "undefined" || !navigator.mediaDevices?.getUserMedia) {
      setState({ kind: "failed", message: t("unsupported") });
      return;
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      const name = error instanceof DOMException ? error.name : "";
      const key = name === "NotAllowedError" || name === "SecurityError" ? "permissionDenied" : "noMicrophone";
      setState({ kind: "failed", message: t(key) });
      return;
    }
    const mimeType = pickRecordingType();
    const media = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    const chunks: Blob[] = [];
    const current: Recording = { recorder: media, stream, isCancelled: false };
    recorder.current = current;
    media.ondataavailable = (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    };
    const startedAt = Date.now();
    media.onstop = () => {
      recorder.current = null;
      if (current.isCancelled) return;
      // The container the browser really wrote (it may differ from what was asked), with a matching extension.
      const type = (media.mimeType || chunks[0]?.type || "audio/webm").split(";")[0] ?? "audio/webm";
      void transcribe(new Blob(chunks, { type }), `recording.${extensionFor(type)}`, (Date.now() - startedAt) / 1000);
    };
    media.start();
    setNow(startedAt);
    setState({ kind: "recording", startedAt });
  }

  function onFile(event: React.ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file) void transcribe(file, file.name);
  }

  const isRecording = state.kind === "recording";
  const isTranscribing = state.kind === "transcribing";
  const button = cn("shrink-0 px-2 py-1.5", TOUCH_TARGET);

  const controls: ReactNode = (
    <div className="ml-auto flex shrink-0 items-center gap-1">
      {isRecording ? (
        <>
          <span
            role="timer"
            aria-label={t("recording")}
            className="inline-flex items-center gap-1 px-1 text-xs whitespace-nowrap text-red-700 tabular-nums"
          >
            <span aria-hidden className="inline-block size-2 animate-pulse rounded-full bg-red-600" />
            {formatClock((now - state.startedAt) / 1000)}
          </span>
          {/* On a phone the row is narrow: Cancel is a cross and Stop says "Stop", their names unchanged. */}
          <Button variant="ghost" className={button} aria-label={t("cancel")} onClick={() => stopTracks(true)}>
            <span className="max-sm:hidden">{t("cancel")}</span>
            <span aria-hidden className="sm:hidden">
              ✕
            </span>
          </Button>
          <Button variant="secondary" className={button} aria-label={t("stop")} onClick={() => stopTracks(false)}>
            <span className="max-sm:hidden">{t("stop")}</span>
            <span className="sm:hidden">{t("stopShort")}</span>
          </Button>
        </>
      ) : (
        <>
          <Button
            variant="ghost"
            className={button}
            aria-label={t("record")}
            title={t("record")}
            disabled={disabled || isTranscribing}
            onClick={() => void start()}
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
          >
            <UploadIcon />
          </Button>
          <input
            ref={fileInput}
            type="file"
            accept="audio/*,.mp3,.mp4,.mpeg,.mpga,.m4a,.wav,.webm"
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
        {isTranscribing ? t("transcribing") : null}
        {state.kind === "done"
          ? t("transcribed", {
              duration: state.seconds === null ? "none" : formatClock(Math.ceil(state.seconds)),
              cost: state.result.cost.isUnpriced ? t("unpriced") : formatUsd(state.result.cost.micros, { locale }),
              isEstimated: state.result.cost.isEstimated ? "yes" : "no",
            })
          : null}
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
