import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audioFixture } from "@/test/audio";
import { type FakeOpenAI, startFakeOpenAI } from "./server";

// The fake's transcription endpoint over real HTTP, as a plain multipart client sends it: OpenAI's two usage shapes,
// the markers, and the checks it makes (key, model, file, the gpt-4o models' 1,500 s limit).

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI({ port: 0 });
});
afterAll(async () => {
  await fake?.close();
});

async function post(fields: Record<string, string>, { key = "sk-test", file = audioFixture("wav") } = {}) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(file)], { type: "audio/wav" }), "audio.wav");
  const response = await fetch(`${fake.url}/audio/transcriptions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("POST /v1/audio/transcriptions", () => {
  it("answers the tokens shape for gpt-4o-mini-transcribe, from the file's 1 s", async () => {
    expect(await post({ model: "gpt-4o-mini-transcribe", language: "en" })).toEqual({
      status: 200,
      body: {
        text: "Transcript of audio.wav (en)",
        usage: {
          type: "tokens",
          input_tokens: 10,
          input_token_details: { text_tokens: 0, audio_tokens: 10 },
          output_tokens: 4,
          total_tokens: 14,
        },
      },
    });
  });

  it("answers the duration shape for whisper-1, scripted by markers", async () => {
    const { body } = await post({ model: "whisper-1", prompt: "[[seconds:61.2]][[transcript:hello there]]" });
    expect(body).toEqual({ text: "hello there", usage: { type: "duration", seconds: 62 } });
    const scripted = await post({ model: "gpt-4o-transcribe", prompt: "[[usage:3/40/7]]" });
    expect(scripted.body.usage).toMatchObject({ input_tokens: 43, output_tokens: 7 });
    expect((await post({ model: "whisper-1", prompt: "[[no-usage]]" })).body).toEqual({
      text: "Transcript of audio.wav (auto)",
    });
  });

  it("refuses as OpenAI does, and records every call with its response", async () => {
    fake.clear();
    expect((await post({ model: "whisper-1" }, { key: "sk-bad" })).status).toBe(401);
    expect((await post({ model: "tts-1" })).status).toBe(404);
    expect((await post({ model: "gpt-4o-mini-transcribe", prompt: "[[seconds:1501]]" })).status).toBe(400);
    const limited = await post({ model: "whisper-1", prompt: "[[status:429]]" });
    expect(limited.body.error).toMatchObject({ code: "rate_limit_exceeded" });
    expect(
      fake.requests().map((request) => [request.status, (request.body as { fileBytes: number }).fileBytes]),
    ).toEqual([
      [401, 32_044],
      [404, 32_044],
      [400, 32_044],
      [429, 32_044],
    ]);
  });
});
