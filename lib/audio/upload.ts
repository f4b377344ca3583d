import busboy from "busboy";
import { appError } from "@/lib/i18n/errors";

// Reads an audio upload (multipart/form-data, the audio in field `file` as OpenAI's own endpoint takes it) from a
// web Request as a stream. The size limit is enforced while the body arrives: a declared Content-Length over it is
// refused before reading anything, and an undeclared or lying one is cut off at the first byte past the limit, so at
// most the limit is ever held in memory.

/** OpenAI's limit on a transcription's file: 25 MB (26,214,400 bytes); one byte more is refused. */
export const MAX_AUDIO_BYTES = 25 * 1024 * 1024;
export const MAX_AUDIO_MB = MAX_AUDIO_BYTES / (1024 * 1024);
/** Room in the whole body for the multipart framing and the small text fields beside the file. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
/** The text fields taken beside the file; any other is ignored. */
const FIELD_NAMES = ["conversationId", "language", "prompt"] as const;
type FieldName = (typeof FIELD_NAMES)[number];
const MAX_FIELD_BYTES = 2_048;

export type AudioUpload = {
  bytes: Buffer;
  /** The name the client gave the file (only a hint for the extension: the content decides the format). */
  fileName: string;
  declaredType: string;
  fields: Partial<Record<FieldName, string>>;
};

const tooLarge = () =>
  appError("payload_too_large", { key: "errors.audioTooLarge", params: { limitMb: MAX_AUDIO_MB } });
const badUpload = (reason: "notMultipart" | "noFile" | "twoFiles" | "empty" | "malformed") =>
  appError("bad_request", { key: "errors.audioBadUpload", params: { reason } });

export async function readAudioUpload(request: Request): Promise<AudioUpload> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) throw badUpload("notMultipart");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_AUDIO_BYTES + MULTIPART_OVERHEAD_BYTES) throw tooLarge();
  const reader = request.body?.getReader();
  if (!reader) throw badUpload("noFile");

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      // One byte past the limit is enough to know (busboy stops the file there and says so: "limit").
      limits: { fileSize: MAX_AUDIO_BYTES + 1, files: 2, fields: 10, fieldSize: MAX_FIELD_BYTES, parts: 12 },
    });
  } catch {
    throw badUpload("malformed");
  }

  const chunks: Buffer[] = [];
  const fields: AudioUpload["fields"] = {};
  let file: { fileName: string; declaredType: string } | null = null;
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure ??= error;
  };

  const done = new Promise<void>((resolve) => {
    parser.on("file", (name, stream, info) => {
      if (name !== "file") {
        stream.on("error", () => {});
        stream.resume();
        return;
      }
      if (file) {
        fail(badUpload("twoFiles"));
        stream.on("error", () => {});
        stream.resume();
        return;
      }
      file = { fileName: info.filename ?? "", declaredType: info.mimeType };
      let size = 0;
      stream.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_AUDIO_BYTES) fail(tooLarge());
        else chunks.push(chunk);
      });
      stream.on("limit", () => fail(tooLarge()));
      // A body cut short errors the file stream too; the parser's own error says so.
      stream.on("error", () => fail(badUpload("malformed")));
    });
    parser.on("field", (name, value, info) => {
      if (info.valueTruncated) fail(badUpload("malformed"));
      if ((FIELD_NAMES as readonly string[]).includes(name)) fields[name as FieldName] = value;
    });
    parser.on("filesLimit", () => fail(badUpload("twoFiles")));
    parser.on("error", () => {
      fail(badUpload("malformed"));
      resolve();
    });
    parser.on("close", () => resolve());
  });

  let received = 0;
  try {
    while (!failure) {
      const { done: ended, value } = await reader.read();
      if (ended) {
        parser.end();
        break;
      }
      received += value.byteLength;
      if (received > MAX_AUDIO_BYTES + MULTIPART_OVERHEAD_BYTES) fail(tooLarge());
      // Write and let busboy's events for this chunk run before reading the next, so a limit stops the reading.
      if (!parser.write(value)) await new Promise((resolve) => parser.once("drain", resolve));
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    if (failure) {
      await reader.cancel().catch(() => {});
      parser.destroy();
    }
  }
  if (!failure) await done;
  if (failure) throw failure;
  const uploaded = file as { fileName: string; declaredType: string } | null;
  if (!uploaded) throw badUpload("noFile");
  const bytes = Buffer.concat(chunks);
  if (bytes.length === 0) throw badUpload("empty");
  return { bytes, ...uploaded, fields };
}
