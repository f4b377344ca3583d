import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { audioFixture as fixture } from "@/test/audio";
import { AUDIO_EXTENSIONS, detectAudioFormat } from "./formats";

async function refusal(bytes: Uint8Array, name?: string) {
  const error = await detectAudioFormat(bytes, name).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("detectAudioFormat", () => {
  it.each([
    ["mp3", "mpeg", "audio/mpeg"],
    ["mpeg", "mpeg", "audio/mpeg"],
    ["mpga", "mpeg", "audio/mpeg"],
    ["m4a", "mp4", "audio/mp4"],
    ["mp4", "mp4", "audio/mp4"],
    ["wav", "wav", "audio/wav"],
    ["webm", "webm", "audio/webm"],
    ["ogg", "ogg", "audio/ogg"],
  ])("reads %s as the %s container, sent as %s with its own extension", async (extension, container, mimeType) => {
    expect(await detectAudioFormat(fixture(extension), `memo.${extension}`)).toEqual({
      container,
      mimeType,
      extension,
    });
  });

  it("decides by content: a WAV named memo.mp3 goes up as wav; an unnamed MP3 as mp3", async () => {
    expect(await detectAudioFormat(fixture("wav"), "memo.mp3")).toMatchObject({ container: "wav", extension: "wav" });
    expect(await detectAudioFormat(fixture("mpga"))).toMatchObject({ container: "mpeg", extension: "mp3" });
    expect(await detectAudioFormat(fixture("m4a"), "x.webm")).toMatchObject({
      mimeType: "audio/mp4",
      extension: "mp4",
    });
  });

  it("sends Ogg Opus as ogg whatever it is named (a Telegram voice note is .oga)", async () => {
    const expected = { container: "ogg", mimeType: "audio/ogg", extension: "ogg" };
    expect(await detectAudioFormat(fixture("ogg"), "voice.oga")).toEqual(expected);
    expect(await detectAudioFormat(fixture("ogg"), "voice.opus")).toEqual(expected);
    expect(await detectAudioFormat(fixture("ogg"))).toEqual(expected);
    expect((await refusal(new TextEncoder().encode("not audio\n".repeat(50)), "voice.oga")).text?.params).toMatchObject(
      {
        claimed: "oga",
      },
    );
  });

  it("refuses a file that claims to be mp3 and is not, naming the claim", async () => {
    const error = await refusal(new TextEncoder().encode("just some text, not audio at all\n".repeat(20)), "song.mp3");
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      "This file claims to be mp3, but its content is not. Send audio in one of these formats: mp3, mp4, mpeg, mpga, m4a, wav, webm, ogg.",
    );
  });

  it("refuses other media by content (a PNG named .wav, Ogg of no known codec, FLAC), naming what it is", async () => {
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex");
    const error = await refusal(png, "memo.wav");
    expect(error.message).toContain("It looks like png.");
    const ogg = Buffer.concat([Buffer.from("OggS\0\x02", "latin1"), Buffer.alloc(200)]);
    expect((await refusal(ogg, "memo.ogg")).text?.params).toMatchObject({ claimed: "ogg", detected: "ogx" });
    expect((await refusal(Buffer.concat([Buffer.from("fLaC"), Buffer.alloc(100)]))).status).toBe(400);
    expect((await refusal(new Uint8Array())).status).toBe(400);
  });

  it("lists exactly the eight formats", () => {
    expect([...AUDIO_EXTENSIONS].sort()).toEqual(["m4a", "mp3", "mp4", "mpeg", "mpga", "ogg", "wav", "webm"]);
  });
});
