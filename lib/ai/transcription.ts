import "server-only";
import OpenAI, { toFile } from "openai";
import { chatClient } from "./provider";

// One transcription request through the official `openai` SDK, which returns the response's `usage` whole (the AI
// SDK's transcribe drops it). No retries: each attempt may be billed, and the caller settles exactly one call.

/** The usage a transcription response reports: tokens (gpt-4o-transcribe models) or seconds (whisper-1). */
export type UpstreamTranscriptionUsage =
  | { type: "tokens"; textInputTokens: number; audioTokens: number; outputTokens: number }
  | { type: "duration"; seconds: number };

export type TranscriptionRequest = {
  bytes: Uint8Array;
  /** "audio.<extension>": the upstream reads the format from the name as well as the bytes. */
  fileName: string;
  mimeType: string;
  model: string;
  language?: string;
  prompt?: string;
  signal?: AbortSignal;
  timeoutMs: number;
};

/**
 * What a failed transcription call may have cost: "refused" when the upstream answered with an error status (it
 * transcribed, and billed, nothing); "unknown" when the request went out and no answer came (the connection dropped,
 * a timeout): the audio may have been transcribed and billed; "not-sent" when it failed before leaving.
 */
export function failureOutcome(error: unknown): "refused" | "unknown" | "not-sent" {
  if (error instanceof OpenAI.APIError && error.status !== undefined) return "refused";
  if (error instanceof OpenAI.APIConnectionError && isRefusedConnection(error)) return "not-sent";
  if (error instanceof OpenAI.APIError) return "unknown";
  return "not-sent";
}

/** The connection itself was refused (nothing listening, a wrong OPENAI_BASE_URL): the request never left. */
function isRefusedConnection(error: Error): boolean {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if ((cause as { code?: unknown }).code === "ECONNREFUSED") return true;
  }
  return false;
}

export async function requestTranscription(
  request: TranscriptionRequest,
): Promise<{ text: string; usage: UpstreamTranscriptionUsage | null }> {
  const client = chatClient();
  const file = await toFile(request.bytes, request.fileName, { type: request.mimeType });
  const response = await client.audio.transcriptions.create(
    {
      file,
      model: request.model,
      response_format: "json",
      ...(request.language ? { language: request.language } : {}),
      ...(request.prompt ? { prompt: request.prompt } : {}),
    },
    { maxRetries: 0, timeout: request.timeoutMs, signal: request.signal },
  );
  return { text: response.text, usage: readUsage((response as { usage?: unknown }).usage) };
}

const count = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null;

/**
 * The response's usage in either of OpenAI's shapes: `{ type: "tokens", input_tokens, input_token_details:
 * { text_tokens, audio_tokens }, output_tokens }` or `{ type: "duration", seconds }`; null when absent or unreadable
 * (an OpenAI-compatible server that reports none).
 */
export function readUsage(usage: unknown): UpstreamTranscriptionUsage | null {
  if (typeof usage !== "object" || usage === null) return null;
  const raw = usage as {
    type?: unknown;
    seconds?: unknown;
    input_tokens?: unknown;
    output_tokens?: unknown;
    input_token_details?: { text_tokens?: unknown; audio_tokens?: unknown };
  };
  if (raw.type === "duration") {
    const seconds = count(raw.seconds);
    return seconds === null ? null : { type: "duration", seconds };
  }
  const input = count(raw.input_tokens);
  const output = count(raw.output_tokens);
  if (input === null || output === null || !Number.isInteger(input) || !Number.isInteger(output)) return null;
  const audio = count(raw.input_token_details?.audio_tokens);
  const text = count(raw.input_token_details?.text_tokens);
  // Without details every input token is audio (the prompt is optional and small): the dearer reading.
  const audioTokens = audio ?? input - (text ?? 0);
  return { type: "tokens", textInputTokens: text ?? input - audioTokens, audioTokens, outputTokens: output };
}
