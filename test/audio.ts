// The committed audio fixtures (e2e/fixtures/audio: a 1 s 440 Hz tone in each of the eight formats lib/audio/formats.ts accepts).
import { readFileSync } from "node:fs";
import path from "node:path";

export const AUDIO_FIXTURE_EXTENSIONS = ["mp3", "mpeg", "mpga", "m4a", "mp4", "wav", "webm", "ogg"] as const;

export const audioFixture = (extension: string) =>
  readFileSync(path.resolve(__dirname, "../e2e/fixtures/audio", `tone.${extension}`));

/**
 * A valid PCM WAV file of `seconds` at a low sample rate (8-bit mono: `sampleRate` bytes a second), so a long
 * recording stays small: 4 hours at 100 Hz is 1.4 MB. Its samples come from `seed`, so two files differ.
 */
export function makeWav({
  seconds,
  sampleRate = 8_000,
  seed = 1,
}: {
  seconds: number;
  sampleRate?: number;
  seed?: number;
}) {
  const samples = Math.round(seconds * sampleRate);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(36 + samples, 4);
  header.write("WAVEfmt ", 8, "latin1");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate, 28); // bytes a second
  header.writeUInt16LE(1, 32); // block align
  header.writeUInt16LE(8, 34); // bits a sample
  header.write("data", 36, "latin1");
  header.writeUInt32LE(samples, 40);
  const data = Buffer.alloc(samples + (samples % 2));
  let state = seed >>> 0 || 1;
  for (let i = 0; i < samples; i++) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    data[i] = 96 + (state >>> 26);
  }
  return Buffer.concat([header, data]);
}
