import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { MAX_AUDIO_BYTES, readAudioUpload } from "./upload";

const BOUNDARY = "----chatledger-test-boundary";
const CHUNK = 64 * 1024;

type Part = { name: string; value: string } | { name: string; fileName: string; type: string; size: number };

function partHead(part: Part): string {
  return "fileName" in part
    ? `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.fileName}"\r\nContent-Type: ${part.type}\r\n\r\n`
    : `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}`;
}

/**
 * A multipart body produced as it is read (file parts are `size` bytes of 0x55, made a chunk at a time), counting
 * what the reader pulled: a test can tell whether the whole body was read.
 */
function streamedUpload(parts: Part[], { contentLength }: { contentLength?: number } = {}) {
  const encoder = new TextEncoder();
  const pieces: (Uint8Array | number)[] = [];
  for (const part of parts) {
    pieces.push(encoder.encode(partHead(part)));
    if ("fileName" in part) pieces.push(part.size);
    pieces.push(encoder.encode("\r\n"));
  }
  pieces.push(encoder.encode(`--${BOUNDARY}--\r\n`));
  const counter = { pulled: 0, cancelled: false };
  let index = 0;
  let leftOfFile = -1;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const piece = pieces[index];
        if (piece === undefined) return controller.close();
        if (typeof piece !== "number") {
          index++;
          counter.pulled += piece.length;
          return controller.enqueue(piece);
        }
        if (leftOfFile < 0) leftOfFile = piece;
        const size = Math.min(CHUNK, leftOfFile);
        leftOfFile -= size;
        if (leftOfFile === 0) {
          index++;
          leftOfFile = -1;
        }
        counter.pulled += size;
        controller.enqueue(new Uint8Array(size).fill(0x55));
      },
      cancel() {
        counter.cancelled = true;
      },
      // Nothing is pulled before the reader asks.
    },
    { highWaterMark: 0 },
  );
  const headers: Record<string, string> = { "content-type": `multipart/form-data; boundary=${BOUNDARY}` };
  if (contentLength !== undefined) headers["content-length"] = String(contentLength);
  const request = new Request("http://localhost/api/audio/transcriptions", {
    method: "POST",
    headers,
    body,
    duplex: "half",
  } as RequestInit);
  return { request, counter };
}

const audio = (size: number, name = "file"): Part => ({ name, fileName: "memo.webm", type: "audio/webm", size });

async function refusal(request: Request) {
  const error = await readAudioUpload(request).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("readAudioUpload", () => {
  it("reads the file from the field `file` and the small text fields beside it", async () => {
    const { request } = streamedUpload([
      { name: "conversationId", value: "c1" },
      audio(200_000),
      { name: "language", value: "zh" },
      { name: "other", value: "ignored" },
    ]);
    const upload = await readAudioUpload(request);
    expect(upload.bytes.length).toBe(200_000);
    expect(upload).toMatchObject({ fileName: "memo.webm", declaredType: "audio/webm" });
    expect(upload.fields).toEqual({ conversationId: "c1", language: "zh" });
  });

  it("accepts exactly 25 MB", async () => {
    const { request } = streamedUpload([audio(MAX_AUDIO_BYTES)]);
    expect((await readAudioUpload(request)).bytes.length).toBe(MAX_AUDIO_BYTES);
  });

  it("refuses 25 MB + 1 byte with 413, naming the limit", async () => {
    const { request } = streamedUpload([audio(MAX_AUDIO_BYTES + 1)]);
    const error = await refusal(request);
    expect(error.status).toBe(413);
    expect(error.code).toBe("payload_too_large");
    expect(error.message).toBe(
      "This audio file is larger than 25 MB, the most a transcription accepts. Send a shorter recording, or compress it (for example to mp3).",
    );
  });

  it("stops reading a streamed body at the limit: 100 MB without Content-Length is refused after ~25 MB", async () => {
    const { request, counter } = streamedUpload([audio(100 * 1024 * 1024)]);
    expect((await refusal(request)).status).toBe(413);
    expect(counter.pulled).toBeLessThanOrEqual(MAX_AUDIO_BYTES + 4 * CHUNK);
    expect(counter.cancelled).toBe(true);
  });

  it("refuses a declared Content-Length over the limit before reading a byte", async () => {
    const { request, counter } = streamedUpload([audio(1_000)], { contentLength: 200 * 1024 * 1024 });
    expect((await refusal(request)).status).toBe(413);
    expect(counter.pulled).toBe(0);
  });

  it("refuses an empty file, no file, two files and a body that is not multipart (400)", async () => {
    const reasons: Record<string, Part[]> = {
      empty: [audio(0)],
      noFile: [{ name: "language", value: "en" }],
      twoFiles: [audio(10), audio(10)],
    };
    for (const [reason, parts] of Object.entries(reasons)) {
      const error = await refusal(streamedUpload(parts).request);
      expect([error.status, error.text?.params?.reason]).toEqual([400, reason]);
    }
    const json = new Request("http://localhost/x", {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect((await refusal(json)).text?.params?.reason).toBe("notMultipart");
    const garbled = new Request("http://localhost/x", {
      method: "POST",
      body: "not multipart at all",
      headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    });
    expect((await refusal(garbled)).status).toBe(400);
  });
});
