import { fileTypeFromBuffer } from "file-type";
import { appError } from "@/lib/i18n/errors";

// The audio a transcription accepts: OpenAI's seven formats (mp3, mp4, mpeg, mpga, m4a, wav, webm), which are four
// containers. What a file is comes from its bytes (magic numbers, read by `file-type`), never from its name or
// declared type: a text file named song.mp3 is refused here, before anything is reserved or sent.

export type AudioContainer = "mpeg" | "mp4" | "wav" | "webm";

export type AudioFormat = {
  container: AudioContainer;
  /** The MIME type sent upstream (and given to the duration parser). */
  mimeType: string;
  /** One of OpenAI's seven extensions, for the file name sent upstream ("audio.<extension>"). */
  extension: AudioExtension;
};

export const AUDIO_EXTENSIONS = ["mp3", "mp4", "mpeg", "mpga", "m4a", "wav", "webm"] as const;
export type AudioExtension = (typeof AUDIO_EXTENSIONS)[number];

/** Each container's MIME type and the extensions naming it; the first is used when the file's own name is no help. */
const CONTAINERS: Record<AudioContainer, { mimeType: string; extensions: AudioExtension[] }> = {
  mpeg: { mimeType: "audio/mpeg", extensions: ["mp3", "mpeg", "mpga"] },
  mp4: { mimeType: "audio/mp4", extensions: ["mp4", "m4a"] },
  wav: { mimeType: "audio/wav", extensions: ["wav"] },
  webm: { mimeType: "audio/webm", extensions: ["webm"] },
};

/**
 * file-type's answers that are one of the containers. MPEG audio is accepted as layer III only (what "mp3", "mpeg"
 * and "mpga" mean to OpenAI); file-type reports MP4 audio as m4a (brand "M4A ") or mp4, and WebM as video/webm
 * whether or not it holds video. Matroska (.mkv), Ogg, FLAC, AAC in ADTS and MPEG video are not among the seven.
 */
const DETECTED: Record<string, AudioContainer> = {
  mp3: "mpeg",
  m4a: "mp4",
  mp4: "mp4",
  wav: "wav",
  webm: "webm",
};

/** The extension of a file name, lower-cased ("Memo.M4A" → "m4a"), or "" without one. */
function extensionOf(name: string | undefined): string {
  const match = /\.([A-Za-z0-9]+)$/.exec(name ?? "");
  return match?.[1]?.toLowerCase() ?? "";
}

/**
 * The format of `bytes`, by content. `fileName` only picks which of the container's own extensions to send (a real
 * MP3 named memo.mpga goes up as audio.mpga); a name of another container changes nothing. Throws bad_request (400)
 * for anything that is not one of the seven formats, whatever its name claims.
 */
export async function detectAudioFormat(bytes: Uint8Array, fileName?: string): Promise<AudioFormat> {
  const detected = await fileTypeFromBuffer(bytes);
  const container = detected ? DETECTED[detected.ext] : undefined;
  if (!container) {
    const claimed = extensionOf(fileName);
    throw appError("bad_request", {
      key: "errors.audioUnsupportedFormat",
      params: {
        claimed: (AUDIO_EXTENSIONS as readonly string[]).includes(claimed) ? claimed : "none",
        detected: detected?.ext ?? "none",
        formats: AUDIO_EXTENSIONS.join(", "),
      },
    });
  }
  const { mimeType, extensions } = CONTAINERS[container];
  const named = extensions.find((extension) => extension === extensionOf(fileName));
  return { container, mimeType, extension: named ?? extensions[0] ?? "mp3" };
}
