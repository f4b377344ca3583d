// POST /v1/audio/transcriptions for the fake upstream (server.ts dispatches here): multipart/form-data read with
// busboy, the bearer key checked like the chat endpoint, `{ text, usage }` answered in OpenAI's two usage shapes —
// tokens for the gpt-4o transcribe models, duration for whisper-1 — with the audio's seconds read from the file by
// music-metadata. Scripted by markers in the request's `prompt` field (the app passes a caller's prompt through):
//   [[transcript:some text]]   answer exactly this text (default "Transcript of audio.<ext> (<language>)")
//   [[usage:T/A/O]]            tokens usage: text_tokens T, audio_tokens A, output_tokens O
//   [[seconds:N]]              the audio's duration (whisper-1's usage, and the default audio tokens) is N seconds
//   [[no-usage]]               answer without `usage` (an OpenAI-compatible server that reports none)
//   [[status:CODE]]            answer with CODE and OpenAI's error body for it (400: the invalid-file error)
//   [[cut]]                    read the request, then destroy the socket: the client never learns the outcome
// Each request is recorded (body: TranscriptionRecord) so tests can assert what was sent, what was answered, and
// that nothing was.

import type http from "node:http";
import busboy from "busboy";
import { parseBuffer } from "music-metadata";
import { type RecordedRequest, recordOf } from "./server";

/** What the log keeps of a transcription request (the audio itself is summarised, not kept). */
export interface TranscriptionRecord {
  model: string | null;
  language: string | null;
  prompt: string | null;
  fileName: string | null;
  fileType: string | null;
  fileBytes: number;
  /** The response body sent (success or error), null for a cut connection. */
  response: unknown;
}

type Send = (res: http.ServerResponse, record: RecordedRequest | null, status: number, body: unknown) => void;
type OpenAIErrorBody = { message: string; type: string; param: string | null; code: string | number | null };

export type TranscriptionContext = {
  log: RecordedRequest[];
  sendJson: Send;
  errorFor: (status: number, context: { model?: string; apiKey?: string }) => OpenAIErrorBody;
};

const MARKER = /\[\[(transcript|usage|seconds|no-usage|status|cut)(?::([\s\S]*?))?\]\]/g;
/** OpenAI's limit for the gpt-4o transcribe models. */
const MAX_GPT4O_SECONDS = 1_500;
/** The fake's audio tokens per second (OpenAI's are about one per 100 ms). */
export const FAKE_AUDIO_TOKENS_PER_SECOND = 10;

/** The fake's usage for a transcript: deterministic, so tests compute the exact cost from what was recorded. */
export function fakeTranscriptionUsage({
  model,
  seconds,
  prompt,
  text,
}: {
  model: string;
  seconds: number;
  prompt: string;
  text: string;
}) {
  if (model === "whisper-1") return { type: "duration", seconds: Math.ceil(seconds) };
  const textTokens = Math.ceil([...prompt].length / 4);
  const audioTokens = Math.ceil(seconds * FAKE_AUDIO_TOKENS_PER_SECOND);
  const outputTokens = text.split(/\s+/).filter(Boolean).length;
  return {
    type: "tokens",
    input_tokens: textTokens + audioTokens,
    input_token_details: { text_tokens: textTokens, audio_tokens: audioTokens },
    output_tokens: outputTokens,
    total_tokens: textTokens + audioTokens + outputTokens,
  };
}

function readMultipart(req: http.IncomingMessage) {
  return new Promise<{ fields: Record<string, string>; file: { name: string; type: string; bytes: Buffer } | null }>(
    (resolve, reject) => {
      const fields: Record<string, string> = {};
      let file: { name: string; type: string; bytes: Buffer } | null = null;
      const parser = busboy({ headers: req.headers });
      parser.on("field", (name, value) => {
        fields[name] = value;
      });
      parser.on("file", (name, stream, info) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          if (name === "file") file = { name: info.filename ?? "", type: info.mimeType, bytes: Buffer.concat(chunks) };
        });
      });
      parser.on("close", () => resolve({ fields, file }));
      parser.on("error", reject);
      req.pipe(parser);
    },
  );
}

async function audioSeconds(file: { type: string; bytes: Buffer }): Promise<number | null> {
  try {
    const { format } = await parseBuffer(
      file.bytes,
      { mimeType: file.type, size: file.bytes.length },
      { duration: true },
    );
    return format.duration ?? null;
  } catch {
    return null;
  }
}

export async function audioTranscriptions(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  { log, sendJson, errorFor }: TranscriptionContext,
) {
  const body: TranscriptionRecord = {
    model: null,
    language: null,
    prompt: null,
    fileName: null,
    fileType: null,
    fileBytes: 0,
    response: null,
  };
  const record = recordOf(req, "/v1/audio/transcriptions", body);
  log.push(record);
  const answer = (status: number, response: unknown) => {
    body.response = response;
    sendJson(res, record, status, response);
  };
  const fail = (status: number, error: OpenAIErrorBody) => answer(status, { error });

  let parsed: Awaited<ReturnType<typeof readMultipart>>;
  try {
    parsed = await readMultipart(req);
  } catch {
    return fail(400, {
      message: "Could not parse multipart form",
      type: "invalid_request_error",
      param: null,
      code: null,
    });
  }
  const { fields, file } = parsed;
  Object.assign(body, {
    model: fields.model ?? null,
    language: fields.language ?? null,
    prompt: fields.prompt ?? null,
    fileName: file?.name ?? null,
    fileType: file?.type ?? null,
    fileBytes: file?.bytes.length ?? 0,
  });

  const apiKey = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim();
  if (!apiKey || apiKey === "sk-bad") return fail(401, errorFor(401, { apiKey }));
  const model = fields.model;
  if (!model) {
    return fail(400, {
      message: "you must provide a model parameter",
      type: "invalid_request_error",
      param: null,
      code: null,
    });
  }
  if (model !== "whisper-1" && !/^gpt-4o(-mini)?-transcribe/.test(model)) return fail(404, errorFor(404, { model }));
  if (!file || file.bytes.length === 0) {
    return fail(400, {
      message: "Missing required parameter: 'file'.",
      type: "invalid_request_error",
      param: "file",
      code: "missing_required_parameter",
    });
  }

  const prompt = fields.prompt ?? "";
  const script = { transcript: null as string | null, usage: null as number[] | null, seconds: null as number | null };
  let noUsage = false;
  for (const [, name, arg = ""] of prompt.matchAll(MARKER)) {
    const numbers = arg.split("/").map((n) => Number(n.trim()) || 0);
    if (name === "transcript") script.transcript = arg;
    else if (name === "usage") script.usage = numbers;
    else if (name === "seconds") script.seconds = numbers[0] ?? 0;
    else if (name === "no-usage") noUsage = true;
    else if (name === "status") {
      const status = numbers[0] || 500;
      return fail(status, status === 400 ? invalidFile() : errorFor(status, { model, apiKey }));
    } else if (name === "cut") {
      res.destroy();
      return;
    }
  }
  // Without a duration in the file (a browser's WebM recording), the fake assumes one second.
  const seconds = script.seconds ?? (await audioSeconds(file)) ?? 1;
  if (model !== "whisper-1" && seconds > MAX_GPT4O_SECONDS) {
    return fail(400, {
      message: `audio duration ${seconds.toFixed(1)} seconds is longer than ${MAX_GPT4O_SECONDS} seconds which is the maximum for this model`,
      type: "invalid_request_error",
      param: null,
      code: "invalid_value",
    });
  }
  const text = script.transcript ?? `Transcript of ${file.name} (${fields.language ?? "auto"})`;
  const [textTokens = 0, audioTokens = 0, outputTokens = 0] = script.usage ?? [];
  const usage = script.usage
    ? {
        type: "tokens",
        input_tokens: textTokens + audioTokens,
        input_token_details: { text_tokens: textTokens, audio_tokens: audioTokens },
        output_tokens: outputTokens,
        total_tokens: textTokens + audioTokens + outputTokens,
      }
    : fakeTranscriptionUsage({ model, seconds, prompt, text });
  answer(200, noUsage ? { text } : { text, usage });
}

/** OpenAI's answer to a file it cannot decode. */
function invalidFile(): OpenAIErrorBody {
  return {
    message:
      "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']",
    type: "invalid_request_error",
    param: null,
    code: null,
  };
}
