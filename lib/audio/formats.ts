import { fileTypeFromBuffer } from "file-type";
import { appError } from "@/lib/i18n/errors";

// The audio a transcription accepts: eight of OpenAI's formats (mp3, mp4, mpeg, mpga, m4a, wav, webm, ogg), which are
// five containers (Ogg for Telegram's voice notes, Ogg Opus named .oga). What a file is comes from its bytes (magic numbers, read by `file-type`), never from its name or
// declared type: a text file named song.mp3 is refused here, before anything is reserved or sent.

export type AudioContainer = "mpeg" | "mp4" | "wav" | "webm" | "ogg";

export type AudioFormat = {
  container: AudioContainer;
  /** The MIME type sent upstream (and given to the duration parser). */
  mimeType: string;
  /** One of the eight extensions, for the file name sent upstream ("audio.<extension>"). */
  extension: AudioExtension;
};

export const AUDIO_EXTENSIONS = ["mp3", "mp4", "mpeg", "mpga", "m4a", "wav", "webm", "ogg"] as const;
export type AudioExtension = (typeof AUDIO_EXTENSIONS)[number];

/** Each container's MIME type and the extensions naming it; the first is used when the file's own name is no help. */
const CONTAINERS: Record<AudioContainer, { mimeType: string; extensions: AudioExtension[] }> = {
  mpeg: { mimeType: "audio/mpeg", extensions: ["mp3", "mpeg", "mpga"] },
  mp4: { mimeType: "audio/mp4", extensions: ["mp4", "m4a"] },
  wav: { mimeType: "audio/wav", extensions: ["wav"] },
  webm: { mimeType: "audio/webm", extensions: ["webm"] },
  // Telegram's voice notes are named .oga, Opus files .opus: both go up as audio.ogg, which OpenAI takes (not "opus").
  ogg: { mimeType: "audio/ogg", extensions: ["ogg"] },
};

/**
 * file-type's answers that are one of the containers. MPEG audio is accepted as layer III only (what "mp3", "mpeg"
 * and "mpga" mean to OpenAI); file-type reports MP4 audio as m4a (brand "M4A ") or mp4, WebM as video/webm whether or
 * not it holds video, and Ogg by its first stream: opus (Opus), ogg (Vorbis), oga (FLAC). Ogg holding Speex or
 * video, or nothing file-type knows (ogx), bare FLAC, Matroska (.mkv), AAC in ADTS and MPEG video are refused.
 */
const DETECTED: Record<string, AudioContainer> = {
  mp3: "mpeg",
  m4a: "mp4",
  mp4: "mp4",
  wav: "wav",
  webm: "webm",
  opus: "ogg",
  ogg: "ogg",
  oga: "ogg",
};

/** Names a refusal may quote as what a file claims to be: the extensions, and the other names of Ogg audio. */
const CLAIMABLE: readonly string[] = [...AUDIO_EXTENSIONS, "oga", "opus"];

/** The extension of a file name, lower-cased ("Memo.M4A" → "m4a"), or "" without one. */
function extensionOf(name: string | undefined): string {
  const match = /\.([A-Za-z0-9]+)$/.exec(name ?? "");
  return match?.[1]?.toLowerCase() ?? "";
}

/**
 * The format of `bytes`, by content. `fileName` only picks which of the container's own extensions to send (a real
 * MP3 named memo.mpga goes up as audio.mpga); a name of another container changes nothing. Throws bad_request (400)
 * for anything that is not one of the eight formats, whatever its name claims.
 */
export async function detectAudioFormat(bytes: Uint8Array, fileName?: string): Promise<AudioFormat> {
  const detected = await fileTypeFromBuffer(bytes);
  const container = detected ? DETECTED[detected.ext] : undefined;
  if (!container) {
    const claimed = extensionOf(fileName);
    throw appError("bad_request", {
      key: "errors.audioUnsupportedFormat",
      params: {
        claimed: CLAIMABLE.includes(claimed) ? claimed : "none",
        detected: detected?.ext ?? "none",
        formats: AUDIO_EXTENSIONS.join(", "),
      },
    });
  }
  const { mimeType, extensions } = CONTAINERS[container];
  const named = extensions.find((extension) => extension === extensionOf(fileName));
  return { container, mimeType, extension: named ?? extensions[0] ?? "mp3" };
}
