import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { audioFixture as fixture } from "@/test/audio";
import { amrToWav, isAmr } from "./amr";
import { readAudioDuration } from "./duration";
import { detectAudioFormat } from "./formats";

async function refusal(bytes: Uint8Array) {
  const error = await amrToWav(bytes).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function seconds(bytes: Buffer) {
  return (await readAudioDuration(bytes, await detectAudioFormat(bytes))).seconds;
}

const header = (magic: string, frames: Buffer) => Buffer.concat([Buffer.from(magic, "latin1"), frames]);

describe("isAmr", () => {
  it("recognizes AMR-NB by its header, nothing else", () => {
    expect(isAmr(fixture("amr"))).toBe(true);
    expect(isAmr(Buffer.from("#!AMR-WB\n", "latin1"))).toBe(false);
    expect(isAmr(Buffer.from("#!AM", "latin1"))).toBe(false);
    expect(isAmr(fixture("wav"))).toBe(false);
  });
});

describe("amrToWav", () => {
  it("decodes the 1 s AMR-NB tone to a 16-bit 8 kHz mono WAV that the format check accepts", async () => {
    const wav = await amrToWav(fixture("amr"));
    expect(await detectAudioFormat(wav)).toEqual({ container: "wav", mimeType: "audio/wav", extension: "wav" });
    expect(wav.readUInt16LE(20)).toBe(1); // PCM
    expect(wav.readUInt16LE(22)).toBe(1); // mono
    expect(wav.readUInt32LE(24)).toBe(8_000);
    expect(wav.readUInt16LE(34)).toBe(16);
    expect(Math.abs((await seconds(wav)) - (await seconds(fixture("wav"))))).toBeLessThan(0.05);
  });

  it("keeps the tone: 440 Hz (about 880 zero crossings a second) at the source's level", async () => {
    const wav = await amrToWav(fixture("amr"));
    const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length));
    let crossings = 0;
    let peak = 0;
    for (let i = 1; i < samples.length; i++) {
      if ((samples[i - 1] ?? 0) < 0 !== (samples[i] ?? 0) < 0) crossings++;
      peak = Math.max(peak, Math.abs(samples[i] ?? 0));
    }
    expect(crossings).toBeGreaterThan(860);
    expect(crossings).toBeLessThan(900);
    // ffmpeg's sine source is at 1/8 of full scale (4,096).
    expect(peak).toBeGreaterThan(3_500);
    expect(peak).toBeLessThan(4_700);
  });

  it("decodes the whole frames of a truncated file", async () => {
    const amr = fixture("amr");
    // The fixture is 12.2 kbit/s: 32-byte frames of 20 ms after the 6-byte header; 25 and a part are half a second.
    const wav = await amrToWav(amr.subarray(0, 6 + 25 * 32 + 10));
    expect(wav.length).toBe(44 + 25 * 160 * 2);
  });

  it("refuses bytes that are not AMR with the unsupported-format 400", async () => {
    const error = await refusal(new TextEncoder().encode("not a voice message\n".repeat(20)));
    expect(error.status).toBe(400);
    expect(error.text?.key).toBe("errors.audioUnsupportedFormat");
  });

  it("refuses AMR-WB, naming it", async () => {
    const error = await refusal(header("#!AMR-WB\n", Buffer.alloc(61 * 5, 0x44)));
    expect(error.status).toBe(400);
    expect(error.message).toContain("It looks like amr-wb.");
  });

  it("refuses an AMR header without a whole frame as damaged", async () => {
    for (const bytes of [header("#!AMR\n", Buffer.alloc(0)), header("#!AMR\n", Buffer.from([0x3c, 1, 2, 3]))]) {
      const error = await refusal(bytes);
      expect(error.status).toBe(400);
      expect(error.text?.key).toBe("errors.audioCorrupt");
    }
  });

  it("refuses, before decoding, a file whose WAV would pass 25 MB (a 1-byte NO_DATA frame is 20 ms)", async () => {
    // 82,000 NO_DATA frames (82 KB) would decode to 27 minutes: 26.2 MB of WAV.
    const error = await refusal(header("#!AMR\n", Buffer.alloc(82_000, 0x7c)));
    expect(error.status).toBe(413);
    expect(error.text?.key).toBe("errors.audioTooLarge");
  });
});
