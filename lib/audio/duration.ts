import { parseBuffer } from "music-metadata";
import { appError } from "@/lib/i18n/errors";
import type { AudioFormat } from "./formats";

// How long an audio file lasts, read from the file itself (music-metadata) before anything is reserved: the
// reservation's worst case and the per-model limit are computed from it.

export type AudioDuration = {
  seconds: number;
  /**
   * false: measured from the file. true: the parser could not time it (a browser's MediaRecorder writes WebM with no
   * Duration element, since it cannot seek back to fill it in), so `seconds` is the most the file's size can hold.
   */
  isBounded: boolean;
};

/**
 * The lowest bitrate, in bits a second, audio in a compressed container can have: Opus, what browsers record into
 * WebM (and Safari may into MP4), goes down to 6 kbit/s (RFC 6716 §2.1.1); MPEG layer III (MPEG-2.5) to 8 kbit/s,
 * AAC no lower than Opus in practice. At this rate a file of N bytes lasts at most N × 8 / 6000 seconds, so a duration
 * bounded by it is a true worst case for the reservation, never an underestimate. WAV always states its duration.
 */
export const LOWEST_AUDIO_BITRATE = 6_000;

const corrupt = () => appError("bad_request", "errors.audioCorrupt");

/** The most seconds `bytes` of compressed audio can hold (at LOWEST_AUDIO_BITRATE). */
export function boundedSeconds(bytes: number): number {
  return Math.ceil((bytes * 8) / LOWEST_AUDIO_BITRATE);
}

/**
 * The audio's duration. Truncated or corrupt files (a box or chunk running past the end, no audio stream, a WAV
 * whose data chunk claims more bytes than the file holds) are a 400 before anything is spent.
 */
export async function readAudioDuration(bytes: Buffer, format: AudioFormat): Promise<AudioDuration> {
  if (format.container === "wav" && isTruncatedWav(bytes)) throw corrupt();
  let parsed: Awaited<ReturnType<typeof parseBuffer>>;
  try {
    parsed = await parseBuffer(
      bytes,
      { mimeType: format.mimeType, size: bytes.length },
      // duration: scan MPEG frames when no Xing/VBRI header states the count.
      { duration: true, skipCovers: true },
    );
  } catch {
    throw corrupt();
  }
  const { duration, codec, container } = parsed.format;
  if (!codec && !container) throw corrupt();
  if (duration !== undefined && Number.isFinite(duration) && duration > 0)
    return { seconds: duration, isBounded: false };
  // A stream the parser recognised but could not time: only WebM (no Duration element) is expected here.
  if (format.container === "webm" && codec) return { seconds: boundedSeconds(bytes.length), isBounded: true };
  throw corrupt();
}

/** A RIFF/WAVE file whose `data` chunk declares more bytes than follow it (cut off while copying or uploading). */
function isTruncatedWav(bytes: Buffer): boolean {
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString("latin1", offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === "data") return offset + 8 + size > bytes.length;
    // Chunks are padded to an even length.
    offset += 8 + size + (size % 2);
  }
  return true;
}
