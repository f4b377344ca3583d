import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { audioFixture as fixture } from "@/test/audio";
import { boundedSeconds, readAudioDuration } from "./duration";
import { detectAudioFormat } from "./formats";

async function duration(bytes: Buffer, name: string) {
  return readAudioDuration(bytes, await detectAudioFormat(bytes, name));
}

async function refusal(bytes: Buffer, name: string) {
  const error = await duration(bytes, name).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("readAudioDuration", () => {
  it.each(["mp3", "mpeg", "mpga", "m4a", "mp4", "wav", "ogg"])("measures the 1 s %s fixture", async (extension) => {
    const measured = await duration(fixture(extension), `tone.${extension}`);
    expect(measured.isBounded).toBe(false);
    expect(measured.seconds).toBeGreaterThanOrEqual(1);
    expect(measured.seconds).toBeLessThan(1.1);
  });

  it("bounds a WebM without a duration (as Chrome records it) at the lowest Opus bitrate, and says so", async () => {
    const webm = fixture("webm");
    const measured = await duration(webm, "tone.webm");
    expect(measured).toEqual({ seconds: boundedSeconds(webm.length), isBounded: true });
    // 6 kbit/s: 750 bytes a second at most; a 4,545-byte file lasts at most 7 s (it lasts 1 s).
    expect(boundedSeconds(4_545)).toBe(7);
    expect(measured.seconds).toBeGreaterThanOrEqual(1);
  });

  it("refuses truncated files: an MP4 cut in half, a WAV whose data runs past the end, a WebM header alone", async () => {
    for (const extension of ["m4a", "mp4", "wav"]) {
      const whole = fixture(extension);
      const error = await refusal(whole.subarray(0, Math.floor(whole.length / 2)), `cut.${extension}`);
      expect(error.status).toBe(400);
      expect(error.message).toBe(
        "This audio file is truncated or damaged: its duration cannot be read. Record or export it again.",
      );
    }
    expect((await refusal(fixture("webm").subarray(0, 100), "cut.webm")).status).toBe(400);
    expect((await refusal(fixture("ogg").subarray(0, 100), "cut.oga")).status).toBe(400);
    expect((await refusal(fixture("mp3").subarray(0, 100), "cut.mp3")).status).toBe(400);
  });
});
