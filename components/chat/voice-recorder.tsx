"use client";

import { useLocale, useTranslations } from "next-intl";
import { type RefObject, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { formatUsd } from "@/lib/billing/money";
import { AppError, type ErrorText } from "@/lib/errors";
import type { Draft } from "./draft";
import { sendsVoiceDirectly } from "./voice-settings";

// The voice input's work and its busy states (voice-input.tsx keeps the buttons and the state, in the page's first
// load): record with the microphone (MediaRecorder) or take an audio file, send it to POST /api/audio/transcriptions,
// and put the transcript in the composer at the cursor for the user to review (or, with "Send voice messages directly"
// on in Settings, send it at once). Loaded when the page is idle, or at the first press of a voice button.

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

export type VoiceState =
  | { kind: "idle" }
  | { kind: "recording"; startedAt: number }
  | { kind: "transcribing" }
  | { kind: "done"; result: Transcribed; seconds: number | null }
  | { kind: "failed"; message: string };

export type Recording = { recorder: MediaRecorder; stream: MediaStream; isCancelled: boolean };

/** What the voice input's work needs of the composer, as it is when the user starts. */
export type VoiceContext = {
  draft: Draft;
  textarea: RefObject<HTMLTextAreaElement | null>;
  /** The stored conversation the transcript is for (its meter counts the cost); null for a chat not yet stored. */
  conversationId: string | null;
  /** Sends a transcript at once (the "send directly" setting); absent while a reply is running. */
  onSend?: (text: string) => void;
  /** A transcription was charged: the meter reads its figures again. */
  onCharged?: () => void;
  setState: (state: VoiceState) => void;
  recorder: { current: Recording | null };
  locale: string;
  t: (key: "failed" | "unsupported" | "permissionDenied" | "noMicrophone") => string;
  errorText: (text: ErrorText) => string;
};

/** Ends a recording and releases the microphone; a cancelled one is discarded (its onstop sends nothing). */
export function stopRecording(current: Recording | null, { isCancelled }: { isCancelled: boolean }) {
  if (!current) return;
  current.isCancelled = isCancelled;
  if (current.recorder.state !== "inactive") current.recorder.stop();
  for (const track of current.stream.getTracks()) track.stop();
}

function insert({ draft, textarea }: VoiceContext, text: string) {
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
export async function transcribe(context: VoiceContext, file: Blob, name: string, recordedSeconds?: number) {
  const { setState, conversationId, onCharged, onSend, t, errorText } = context;
  // The setting as it is when the transcription starts.
  const sendDirectly = sendsVoiceDirectly();
  setState({ kind: "transcribing" });
  const form = new FormData();
  form.append("file", file, name);
  form.append("language", context.locale.split("-")[0] ?? "en");
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
    else if (text) insert(context, text);
  } catch {
    setState({ kind: "failed", message: t("failed") });
  }
}

export async function startRecording(context: VoiceContext) {
  const { setState, recorder, t } = context;
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
    void transcribe(
      context,
      new Blob(chunks, { type }),
      `recording.${extensionFor(type)}`,
      (Date.now() - startedAt) / 1000,
    );
  };
  media.start();
  setState({ kind: "recording", startedAt });
}

/** While recording: the time so far, Cancel and Stop (in place of the voice buttons). */
export function VoiceRecording({
  startedAt,
  onStop,
  buttonClassName,
}: {
  startedAt: number;
  onStop: (isCancelled: boolean) => void;
  buttonClassName: string;
}) {
  const t = useTranslations("voice");
  const [now, setNow] = useState(startedAt);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  return (
    <>
      <span
        role="timer"
        aria-label={t("recording")}
        className="inline-flex items-center gap-1 px-1 text-xs whitespace-nowrap text-red-700 tabular-nums"
      >
        <span aria-hidden className="inline-block size-2 animate-pulse rounded-full bg-red-600" />
        {formatClock((now - startedAt) / 1000)}
      </span>
      {/* On a phone the row is narrow: Cancel is a cross and Stop says "Stop", their names unchanged. */}
      <Button variant="ghost" className={buttonClassName} aria-label={t("cancel")} onClick={() => onStop(true)}>
        <span className="max-sm:hidden">{t("cancel")}</span>
        <span aria-hidden className="sm:hidden">
          ✕
        </span>
      </Button>
      <Button variant="secondary" className={buttonClassName} aria-label={t("stop")} onClick={() => onStop(false)}>
        <span className="max-sm:hidden">{t("stop")}</span>
        <span className="sm:hidden">{t("stopShort")}</span>
      </Button>
    </>
  );
}

/** What the status line says of a transcription: in progress, or its duration and cost. */
export function VoiceProgress({ state }: { state: VoiceState }) {
  const t = useTranslations("voice");
  const locale = useLocale();
  if (state.kind === "transcribing") return t("transcribing");
  if (state.kind !== "done") return null;
  return t("transcribed", {
    duration: state.seconds === null ? "none" : formatClock(Math.ceil(state.seconds)),
    cost: state.result.cost.isUnpriced ? t("unpriced") : formatUsd(state.result.cost.micros, { locale }),
    isEstimated: state.result.cost.isEstimated ? "yes" : "no",
  });
}
