import "server-only";
import { describeUpstreamError } from "@/lib/ai/errors";
import { upstreamTimeouts } from "@/lib/ai/provider";
import { failureOutcome, requestTranscription } from "@/lib/ai/transcription";
import type { BudgetPolicy } from "@/lib/billing/budget";
import type { CallSource } from "@/lib/billing/kinds";
import { billedSeconds, transcriptionCost, transcriptionWorstCase } from "@/lib/billing/media-cost";
import type { UnitRates } from "@/lib/billing/prices";
import { type Settlement, settleCall } from "@/lib/billing/settle";
import { countTextTokens, loadTokenizer } from "@/lib/billing/tokens";
import { registerTurn } from "@/lib/chat/active-turns";
import { ratesFor } from "@/lib/config";
import { getConversation } from "@/lib/db/conversations";
import { reserveCall, settleReservation } from "@/lib/db/ledger";
import { configuredSecrets, getEnv } from "@/lib/env";
import { appError } from "@/lib/i18n/errors";
import { readAudioDuration } from "./duration";
import { type AudioFormat, detectAudioFormat } from "./formats";
import { estimatedUsage, maxAudioSeconds } from "./limits";

// A transcription as a use case, shared by the web route and the bots: checked (format by content, duration, the
// model's limit, the conversation's owner) before anything is spent, then reserved at its worst case, sent through
// the official SDK with its lease renewed, and settled from the usage the response reports — or, without one, from
// the measured duration, labelled an estimate. The audio is never stored: it lives in memory for the call only.

const ENCODING = "o200k_base";

export type TranscriptionInput = {
  userId: string;
  /** The conversation the transcript is for (its meter counts it); null or absent outside one. */
  conversationId?: string | null;
  audio: { bytes: Buffer; fileName?: string };
  /** ISO-639-1 hint ("en", "zh"); the UI's language. */
  language?: string;
  /** Optional words to steer the transcript (names, terms), billed as text input by the token-priced models. */
  prompt?: string;
  policy: BudgetPolicy;
  now: Date;
  /** The transcription model; OPENAI_TRANSCRIBE_MODEL when absent. */
  model?: string;
  /** Where the call was asked for ("web" when absent): kept on its ledger entry. */
  source?: CallSource;
};

export type TranscriptionResult = {
  text: string;
  entryId: string;
  model: string;
  format: AudioFormat;
  /** The audio's duration in seconds (measured, or bounded from its size: `isDurationBounded`). */
  seconds: number;
  isDurationBounded: boolean;
  cost: { micros: number; isEstimated: boolean; isUnpriced: boolean };
};

/** A UI language as an ISO-639-1 transcription hint: "zh-CN" → "zh". */
export function languageHint(locale: string | undefined): string | undefined {
  const code = locale?.trim().toLowerCase().split(/[-_]/)[0];
  return code && /^[a-z]{2}$/.test(code) ? code : undefined;
}

export async function transcribeAudio(input: TranscriptionInput): Promise<TranscriptionResult> {
  const { userId, now, policy } = input;
  const conversationId = input.conversationId ?? null;
  if (input.language !== undefined && !/^[a-z]{2}$/.test(input.language)) {
    throw appError("bad_request", { key: "errors.audioBadField", params: { field: "language" } });
  }
  if (conversationId !== null && !(await getConversation({ id: conversationId, userId }))) {
    throw appError("not_found", "errors.conversationNotFound");
  }
  const format = await detectAudioFormat(input.audio.bytes, input.audio.fileName);
  const duration = await readAudioDuration(input.audio.bytes, format);
  const model = input.model ?? getEnv().OPENAI_TRANSCRIBE_MODEL;
  const maxSeconds = maxAudioSeconds(model);
  if (maxSeconds !== null && !duration.isBounded && duration.seconds > maxSeconds) {
    throw appError("bad_request", {
      key: "errors.audioTooLong",
      params: { model, minutes: Math.ceil(duration.seconds / 60), limitMinutes: maxSeconds / 60 },
    });
  }
  // A bounded duration may be far above the real one: the upstream refuses audio past the model's limit (and bills
  // nothing), so no more than the limit can be billed.
  const reservedSeconds = maxSeconds === null ? duration.seconds : Math.min(duration.seconds, maxSeconds);
  const counter = await loadTokenizer(ENCODING);
  const prompt = input.prompt?.trim() || undefined;
  const promptTokens = prompt ? countTextTokens(prompt, ENCODING) : 0;
  const found = ratesFor(model, now);
  const worstCase = found && transcriptionWorstCase({ seconds: reservedSeconds, promptTokens }, found);
  // A model lacking a unit its bill needs is unpriced, exactly as a chat model without a price.
  const rates = worstCase === null ? null : found;
  const { id: entryId } = await reserveCall({
    userId,
    conversationId,
    quote: {
      model,
      price: null,
      promptTokens,
      maxOutputTokens: 0,
      reserveMicros: worstCase ?? 0,
      media: { kind: "transcription", rates, audioSeconds: billedSeconds(reservedSeconds) },
    },
    policy,
    now,
    source: input.source,
  });

  const handle = registerTurn({ entryId, userId, conversationId, encoding: counter.encoding });
  const settle = async (settlement: Settlement) => {
    await settleReservation({ entryId, settlement });
    return { micros: settlement.costMicros, isEstimated: settlement.isEstimated, isUnpriced: rates === null };
  };
  const estimate = (transcript: string | null) => {
    const usage = estimatedUsage({
      seconds: duration.seconds,
      promptTokens,
      transcriptTokens: transcript === null ? null : countTextTokens(transcript, ENCODING),
      rates,
    });
    return settlement({ usage, promptTokens, seconds: duration.seconds, rates, isEstimated: true });
  };
  let response: Awaited<ReturnType<typeof requestTranscription>>;
  try {
    response = await requestTranscription({
      bytes: input.audio.bytes,
      fileName: `audio.${format.extension}`,
      mimeType: format.mimeType,
      model,
      language: input.language,
      prompt,
      signal: handle.signal,
      timeoutMs: upstreamTimeouts().totalMs,
    });
  } catch (error) {
    const outcome = failureOutcome(error);
    // Refused (an error status) or never sent: nothing was transcribed, nothing is charged. Sent without an answer:
    // the audio may have been transcribed and billed, so it is charged as an estimate at its measured duration.
    await settleReservation({ entryId, settlement: outcome === "unknown" ? estimate(null) : RELEASED });
    if (outcome === "not-sent") throw error;
    throw appError("upstream", describeUpstreamError(error, { secrets: configuredSecrets() }));
  } finally {
    // Settling follows at once; should it fail even after its retries, the lease lapses and the sweep charges the
    // reserved worst case as an estimate, so the call is never left unrecorded.
    handle.end();
  }
  const cost = await settle(
    response.usage
      ? settlement({ usage: response.usage, promptTokens, seconds: duration.seconds, rates, isEstimated: false })
      : estimate(response.text),
  );
  return {
    text: response.text,
    entryId,
    model,
    format,
    seconds: duration.seconds,
    isDurationBounded: duration.isBounded,
    cost,
  };
}

const RELEASED = settleCall({ price: null, promptTokensEstimate: 0, completionTokensEstimate: 0, wasRefused: true });

/** A settled transcription's ledger figures from its (reported or estimated) usage. */
function settlement({
  usage,
  promptTokens,
  seconds,
  rates,
  isEstimated,
}: {
  usage: Parameters<typeof transcriptionCost>[0];
  promptTokens: number;
  seconds: number;
  rates: UnitRates | null;
  isEstimated: boolean;
}): Settlement {
  const cost = rates && transcriptionCost(usage, rates);
  const isTokens = usage.type === "tokens";
  return {
    status: "settled",
    promptTokens: isTokens ? usage.textInputTokens : promptTokens,
    cachedTokens: 0,
    completionTokens: isTokens ? usage.outputTokens : 0,
    reasoningTokens: 0,
    costMicros: cost ?? 0,
    isEstimated,
    audioSeconds: billedSeconds(usage.type === "duration" ? usage.seconds : seconds),
    audioTokens: isTokens ? usage.audioTokens : 0,
  };
}
