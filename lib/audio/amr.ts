import decodeAmr from "@audio/amr-decode";
import { appError } from "@/lib/i18n/errors";
import { AUDIO_EXTENSIONS } from "./formats";
import { MAX_AUDIO_BYTES, MAX_AUDIO_MB } from "./upload";

// WeChat and WeCom send voice messages as AMR-NB, which OpenAI's transcription does not take: they are decoded here
// to PCM WAV by opencore-amr compiled to WebAssembly (@audio/amr-decode: the WASM is inlined in the package, so there
// is no native binary and nothing to download).

const AMR_NB_MAGIC = Buffer.from("#!AMR\n", "latin1");
const AMR_WB_MAGIC = Buffer.from("#!AMR-WB\n", "latin1");

const SAMPLE_RATE = 8_000;
/** An AMR-NB frame is 20 ms: 160 samples, 320 bytes of 16-bit PCM. */
const SAMPLES_PER_FRAME = 160;
const WAV_HEADER_BYTES = 44;

/**
 * The bytes of a frame in the AMR storage format (RFC 4867 §5.3), its table-of-contents byte included, by frame type
 * (bits 3–6 of that byte): the eight speech modes (4.75–12.2 kbit/s), comfort noise, reserved types, NO_DATA.
 */
const FRAME_BYTES = [13, 14, 16, 18, 20, 21, 27, 32, 6, 6, 6, 6, 1, 1, 1, 1];

/** The most frames whose WAV still fits the transcription's 25 MB (about 27 minutes). */
const MAX_FRAMES = Math.floor((MAX_AUDIO_BYTES - WAV_HEADER_BYTES) / (SAMPLES_PER_FRAME * 2));

const startsWith = (bytes: Uint8Array, magic: Uint8Array) =>
  bytes.length >= magic.length && magic.every((byte, i) => bytes[i] === byte);

/** Whether the bytes are an AMR-NB file ("#!AMR\n"). */
export function isAmr(bytes: Uint8Array): boolean {
  return startsWith(bytes, AMR_NB_MAGIC);
}

/** The whole frames after the header; the decoder stops at the first incomplete one as well. */
function countFrames(bytes: Uint8Array): number {
  let frames = 0;
  let offset = AMR_NB_MAGIC.length;
  while (offset < bytes.length) {
    const size = FRAME_BYTES[((bytes[offset] ?? 0) >> 3) & 0x0f] ?? 1;
    if (offset + size > bytes.length) break;
    offset += size;
    frames++;
  }
  return frames;
}

/**
 * AMR-NB → a WAV file (PCM 16-bit mono 8 kHz). Throws bad_request when the bytes are not AMR-NB (AMR-WB included,
 * which WeChat does not send) or hold no whole frame, and payload_too_large when the WAV would exceed the 25 MB a
 * transcription takes. The frames are counted before decoding because a 1-byte NO_DATA frame expands to 320 bytes:
 * a crafted file would otherwise be decoded into gigabytes.
 */
export async function amrToWav(bytes: Uint8Array): Promise<Buffer> {
  if (!isAmr(bytes)) {
    throw appError("bad_request", {
      key: "errors.audioUnsupportedFormat",
      params: {
        claimed: "none",
        detected: startsWith(bytes, AMR_WB_MAGIC) ? "amr-wb" : "none",
        formats: AUDIO_EXTENSIONS.join(", "),
      },
    });
  }
  const frames = countFrames(bytes);
  if (frames > MAX_FRAMES) {
    throw appError("payload_too_large", { key: "errors.audioTooLarge", params: { limitMb: MAX_AUDIO_MB } });
  }
  const samples = frames > 0 ? (await decodeAmr(bytes)).channelData[0] : undefined;
  if (!samples?.length) throw appError("bad_request", "errors.audioCorrupt");
  return wav(samples);
}

/** A PCM WAV of `samples` (floats in [-1, 1], as the decoder gives them: int16 / 32768, so the rounding is exact). */
function wav(samples: Float32Array): Buffer {
  const dataBytes = samples.length * 2;
  const out = Buffer.alloc(WAV_HEADER_BYTES + dataBytes);
  out.write("RIFF", 0, "latin1");
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write("WAVEfmt ", 8, "latin1");
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(SAMPLE_RATE, 24);
  out.writeUInt32LE(SAMPLE_RATE * 2, 28); // bytes a second
  out.writeUInt16LE(2, 32); // block align
  out.writeUInt16LE(16, 34); // bits a sample
  out.write("data", 36, "latin1");
  out.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) {
    const sample = Math.round((samples[i] ?? 0) * 32_768);
    out.writeInt16LE(Math.max(-32_768, Math.min(32_767, sample)), WAV_HEADER_BYTES + i * 2);
  }
  return out;
}
