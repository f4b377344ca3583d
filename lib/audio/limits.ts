import type { TranscriptionUsage } from "@/lib/billing/media-cost";
import type { UnitRates } from "@/lib/billing/prices";

// Per-model rules of a transcription that are not money: how long the audio may be, and what a call that reported no
// usage is assumed to have used.

/** OpenAI refuses audio longer than this for the gpt-4o transcribe models (their 1500-second limit). */
export const GPT4O_TRANSCRIBE_MAX_SECONDS = 1_500;

/** The longest audio `model` accepts, in seconds; null when only the 25 MB file limit applies (whisper-1). */
export function maxAudioSeconds(model: string): number | null {
  return /^gpt-4o(-mini)?-transcribe\b/.test(model) ? GPT4O_TRANSCRIBE_MAX_SECONDS : null;
}

/**
 * Audio tokens a second of audio typically brings (OpenAI bills user audio at about one token per 100 ms), and the
 * transcript tokens a second of speech brings (people speak 2–3 words a second). Used only for an estimate, labelled
 * as one, never for a reservation (which uses the bounds in lib/billing/media-cost.ts).
 */
const AUDIO_TOKENS_PER_SECOND = 10;
const TRANSCRIPT_TOKENS_PER_SECOND = 4;

/**
 * The usage to charge when the upstream reported none: by the measured duration when the model is priced per
 * minute; otherwise by tokens, the audio's from its duration, the transcript's counted when it arrived (else from the
 * duration).
 */
export function estimatedUsage({
  seconds,
  promptTokens,
  transcriptTokens,
  rates,
}: {
  seconds: number;
  promptTokens: number;
  transcriptTokens: number | null;
  rates: UnitRates | null;
}): TranscriptionUsage {
  if (rates?.audioPerMinute !== undefined || rates?.audioInputPer1M === undefined) return { type: "duration", seconds };
  const whole = Math.ceil(seconds);
  return {
    type: "tokens",
    textInputTokens: promptTokens,
    audioTokens: whole * AUDIO_TOKENS_PER_SECOND,
    outputTokens: transcriptTokens ?? whole * TRANSCRIPT_TOKENS_PER_SECOND,
  };
}
