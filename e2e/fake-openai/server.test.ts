import { createOpenAI } from "@ai-sdk/openai";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeOpenAI, parseScript, splitIntoDeltas, startFakeOpenAI } from "./server";

let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({ port: 0 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.clear());

function post(body: unknown, apiKey = "sk-test", signal?: AbortSignal) {
  return fetch(`${fake.url}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
}

function chat(content: string, extra: Record<string, unknown> = {}) {
  return { model: "gpt-4o-mini", messages: [{ role: "user", content }], ...extra };
}

/** Every `data:` payload of an SSE body; the framing must be exactly `data: …\n\n` per event. */
function sseEvents(text: string): string[] {
  expect(text.endsWith("\n\n")).toBe(true);
  return text
    .split("\n\n")
    .filter(Boolean)
    .map((event) => {
      expect(event.startsWith("data: ")).toBe(true);
      return event.slice("data: ".length);
    });
}

/** Reads a body that may end in a socket reset, returning what arrived before it. */
async function readUntilCut(response: Response): Promise<{ text: string; failed: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) throw new Error("no body");
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, failed: false };
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    return { text, failed: true };
  }
}

describe("markers", () => {
  it("splits replies into word deltas that join back exactly", () => {
    expect(splitIntoDeltas("Echo: hello  world ")).toEqual(["Echo:", " hello", "  world "]);
    expect(splitIntoDeltas("")).toEqual([]);
  });

  it("parses and strips markers", () => {
    const script = parseScript([{ role: "user", content: "hi [[usage:10/5/2/1]] [[slow:30]] there" }]);
    expect(script.reply).toBe("Echo: hi there");
    expect(script.usage).toEqual({ prompt: 10, completion: 5, cached: 2, reasoning: 1 });
    expect(script.slowMs).toBe(30);
    expect(parseScript([{ role: "user", content: "[[words:3]]" }]).deltas).toEqual(["word1", " word2", " word3"]);
    expect(parseScript([{ role: "user", content: [{ type: "text", text: "[[reply:a]]b]]" }] }]).reply).toBe("a");
  });
});

describe("wire format", () => {
  it("streams OpenAI chunks with a usage chunk only when include_usage is set", async () => {
    const response = await post(
      chat("hello there [[usage:12/3/4/1]]", { stream: true, stream_options: { include_usage: true } }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    const events = sseEvents(await response.text());
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event));

    expect(chunks[0]).toMatchObject({
      id: expect.stringMatching(/^chatcmpl-/),
      object: "chat.completion.chunk",
      created: expect.any(Number),
      model: "gpt-4o-mini",
      system_fingerprint: expect.any(String),
      choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }],
      usage: null,
    });
    const content = chunks.slice(1, -2).map((chunk) => chunk.choices[0].delta.content);
    expect(content).toEqual(["Echo:", " hello", " there"]);
    expect(chunks.at(-2)).toMatchObject({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: null });
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 12,
        completion_tokens: 3,
        total_tokens: 15,
        prompt_tokens_details: { cached_tokens: 4, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 1,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
    });
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  });

  it("sends no usage at all when include_usage is absent", async () => {
    const events = sseEvents(await (await post(chat("hi", { stream: true }))).text());
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event));
    expect(chunks.every((chunk) => !("usage" in chunk))).toBe(true);
    expect(chunks.at(-1).choices[0].finish_reason).toBe("stop");
  });

  it("answers non-streaming requests with a chat.completion and deterministic default usage", async () => {
    const response = await post(chat("abcdefgh"));
    const body = await response.json();
    // prompt: ceil(8 chars / 4) = 2; completion: deltas of "Echo: abcdefgh" = 2.
    expect(body).toMatchObject({
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: "Echo: abcdefgh" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 },
    });
  });

  it("returns OpenAI's error bodies", async () => {
    const bad = await post(chat("hi"), "sk-bad");
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({
      error: {
        message: expect.stringMatching(/^Incorrect API key provided: sk-bad\. /),
        type: "invalid_request_error",
        param: null,
        code: "invalid_api_key",
      },
    });

    const unknown = await post({ ...chat("hi"), model: "llama-3" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: {
        message: "The model `llama-3` does not exist or you do not have access to it.",
        type: "invalid_request_error",
        param: null,
        code: "model_not_found",
      },
    });

    const limited = await post(chat("hi [[status:429]]", { stream: true }));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-request-id")).toMatch(/^req_/);
    expect((await limited.json()).error).toMatchObject({ type: "requests", code: "rate_limit_exceeded" });

    const crashed = await post(chat("hi [[status:500]]"));
    expect(crashed.status).toBe(500);
    expect((await crashed.json()).error.message).toBe(
      "The server had an error while processing your request. Sorry about that!",
    );
  });

  it("cuts the stream after N deltas without finish, usage or [DONE]", async () => {
    const response = await post(
      chat("[[words:5]] [[cut:2]]", { stream: true, stream_options: { include_usage: true } }),
    );
    const { text, failed } = await readUntilCut(response);
    expect(failed).toBe(true);
    expect(text).not.toContain("[DONE]");
    expect(text).not.toContain('"finish_reason":"stop"');
    const chunks = sseEvents(text).map((event) => JSON.parse(event));
    expect(chunks.slice(1).map((chunk) => chunk.choices[0].delta.content)).toEqual(["word1", " word2"]);
    expect(fake.requests()[0]?.status).toBeNull();
  });

  it("honours max_completion_tokens / max_tokens: the reply stops with finish_reason length, usage capped", async () => {
    const capped = await post(
      chat("[[words:10]] [[usage:50/900]]", {
        stream: true,
        stream_options: { include_usage: true },
        max_completion_tokens: 3,
      }),
    );
    const chunks = sseEvents(await capped.text())
      .slice(0, -1)
      .map((event) => JSON.parse(event));
    expect(chunks.slice(1, -2).map((chunk) => chunk.choices[0].delta.content)).toEqual(["word1", " word2", " word3"]);
    expect(chunks.at(-2).choices[0].finish_reason).toBe("length");
    expect(chunks.at(-1).usage).toMatchObject({ prompt_tokens: 50, completion_tokens: 3 });

    const legacy = await (await post(chat("[[words:10]]", { max_tokens: 4 }))).json();
    expect(legacy.choices[0]).toMatchObject({
      message: { content: "word1 word2 word3 word4" },
      finish_reason: "length",
    });
    expect(legacy.usage.completion_tokens).toBe(4);
    expect(fake.requests().map((request) => request.deltasSent)).toEqual([3, 0]);
  });

  it("[[length:N]] ends the reply as a limit of N would, the smaller of it and the request's limit winning", async () => {
    const cut = await post(
      chat("[[words:10]] [[length:2]]", {
        stream: true,
        stream_options: { include_usage: true },
        max_completion_tokens: 4096,
      }),
    );
    const chunks = sseEvents(await cut.text())
      .slice(0, -1)
      .map((event) => JSON.parse(event));
    expect(chunks.slice(1, -2).map((chunk) => chunk.choices[0].delta.content)).toEqual(["word1", " word2"]);
    expect(chunks.at(-2).choices[0].finish_reason).toBe("length");
    expect(chunks.at(-1).usage).toMatchObject({ completion_tokens: 2 });

    const tighter = await (await post(chat("[[words:10]] [[length:5]]", { max_completion_tokens: 3 }))).json();
    expect(tighter.choices[0]).toMatchObject({ message: { content: "word1 word2 word3" }, finish_reason: "length" });
  });

  it("hangs after N deltas until the client gives up, and records that the client closed", async () => {
    const controller = new AbortController();
    const response = await post(chat("[[words:5]] [[hang:2]]", { stream: true }), "sk-test", controller.signal);
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no body");
    let text = "";
    const decoder = new TextDecoder();
    while (!text.includes(" word2")) text += decoder.decode((await reader.read()).value, { stream: true });
    controller.abort();
    await expect.poll(() => fake.requests()[0]?.closedByClient).toBe(true);
    expect(fake.requests()[0]).toMatchObject({ deltasSent: 2, status: 200 });
  });

  it("records requests without the authorization value, also over HTTP", async () => {
    await post(chat("remember me"));
    const [recorded] = fake.requests();
    expect(recorded).toMatchObject({
      method: "POST",
      path: "/v1/chat/completions",
      hasAuthorization: true,
      status: 200,
    });
    expect(recorded?.headers.authorization).toBeUndefined();
    expect(recorded?.body).toMatchObject({ messages: [{ role: "user", content: "remember me" }] });

    const origin = new URL(fake.url).origin;
    const overHttp = await (await fetch(`${origin}/__requests`)).json();
    expect(overHttp).toHaveLength(1);
    await fetch(`${origin}/__clear`, { method: "POST" });
    expect(fake.requests()).toEqual([]);
  });
});

describe("with the AI SDK", () => {
  const model = () => createOpenAI({ baseURL: fake.url, apiKey: "sk-test" }).chat("gpt-4o-mini");

  it("streams text and reports the scripted usage", async () => {
    const result = streamText({ model: model(), prompt: "count [[words:4]] [[usage:1200/4/1000/3]]" });
    expect(await result.text).toBe("word1 word2 word3 word4");
    const usage = await result.usage;
    expect(usage).toMatchObject({
      inputTokens: 1200,
      inputTokenDetails: { noCacheTokens: 200, cacheReadTokens: 1000 },
      outputTokens: 4,
      outputTokenDetails: { textTokens: 1, reasoningTokens: 3 },
      totalTokens: 1204,
    });
    expect(await result.finishReason).toBe("stop");
    const [request] = fake.requests();
    expect(request?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("generates text non-streaming with default usage", async () => {
    const result = await generateText({ model: model(), prompt: "abcd" });
    expect(result.text).toBe("Echo: abcd");
    expect(result.usage).toMatchObject({ inputTokens: 1, outputTokens: 2, totalTokens: 3 });
  });

  it("fails every retry of [[status:429]] and succeeds after [[status-once:503]]", async () => {
    const errors: unknown[] = [];
    const failing = streamText({
      model: model(),
      prompt: "hi [[status:429]]",
      maxRetries: 2,
      onError: ({ error }) => {
        errors.push(error);
      },
    });
    await failing.consumeStream();
    expect(errors).toHaveLength(1);
    expect(String((errors[0] as Error).message)).toContain("Rate limit reached");
    expect(fake.requests()).toHaveLength(3);

    fake.clear();
    const recovering = streamText({ model: model(), prompt: "again [[status-once:503]]", maxRetries: 2 });
    expect(await recovering.text).toBe("Echo: again");
    expect(fake.requests().map((request) => request.status)).toEqual([503, 200]);
  });
});

describe("POST /v1/completions", () => {
  const complete = (body: Record<string, unknown>, apiKey = "sk-test") =>
    fetch(`${fake.url}/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-3.5-turbo-instruct", ...body }),
    });

  it("streams text_completion chunks per choice with its index, a finish chunk per choice, usage, [DONE]", async () => {
    const response = await complete({
      prompt: "Say hi [[usage:7/5]]",
      n: 2,
      max_tokens: 50,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = sseEvents(await response.text());
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event));
    expect(chunks[0]).toMatchObject({
      id: expect.stringMatching(/^cmpl-/),
      object: "text_completion",
      model: "gpt-3.5-turbo-instruct",
      choices: [{ text: "Echo:", index: 0, logprobs: null, finish_reason: null }],
      usage: null,
    });
    const textOf = (index: number) =>
      chunks
        .flatMap((chunk) => chunk.choices)
        .filter((choice: { index: number }) => choice.index === index)
        .map((choice: { text: string }) => choice.text)
        .join("");
    expect([textOf(0), textOf(1)]).toEqual(["Echo: Say hi", "Echo 2: Say hi"]);
    // Interleaved as OpenAI streams n choices, each chunk one choice.
    expect(chunks.slice(0, 2).map((chunk) => chunk.choices[0].index)).toEqual([0, 1]);
    expect(chunks.at(-3).choices).toEqual([{ text: "", index: 0, logprobs: null, finish_reason: "stop" }]);
    expect(chunks.at(-2).choices).toEqual([{ text: "", index: 1, logprobs: null, finish_reason: "stop" }]);
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 },
    });
  });

  it("answers JSON with n choices, stop sequences honoured, max_tokens ending a choice with finish_reason length", async () => {
    const stopped = await (
      await complete({ prompt: "[[reply:one two. three four]]", stop: [".", "zzz"], n: 1, max_tokens: 10 })
    ).json();
    expect(stopped).toMatchObject({
      object: "text_completion",
      choices: [{ text: "one two", index: 0, logprobs: null, finish_reason: "stop" }],
      // Default usage: ceil(29 code points / 4) = 8 in, 2 deltas out.
      usage: { prompt_tokens: 8, completion_tokens: 2, total_tokens: 10 },
    });
    const long = await (await complete({ prompt: "[[words:8]]", n: 3, max_tokens: 3 })).json();
    expect(long.choices.map((choice: { text: string; finish_reason: string }) => choice.finish_reason)).toEqual([
      "length",
      "length",
      "length",
    ]);
    expect(long.choices[2]).toMatchObject({ index: 2, text: "word1 word2 word3" });
    // Summed over the choices: the prompt is billed once, every choice's completion tokens.
    expect(long.usage.completion_tokens).toBe(9);
    const own = await (await complete({ prompt: "[[replies:first one|||second]]", n: 3 })).json();
    expect(own.choices.map((choice: { text: string }) => choice.text)).toEqual(["first one", "second", "first one"]);
    // Without max_tokens, OpenAI's default of 16.
    const defaulted = await (await complete({ prompt: "[[words:20]]" })).json();
    expect(defaulted.choices[0]).toMatchObject({ finish_reason: "length" });
    expect(defaulted.usage.completion_tokens).toBe(16);
  });

  it("answers a chat model and a server without the endpoint as real servers do: 404", async () => {
    const chatModel = await complete({ model: "gpt-4o-mini", prompt: "hi" });
    expect(chatModel.status).toBe(404);
    expect(await chatModel.json()).toEqual({
      error: {
        message:
          "This is a chat model and not supported in the v1/completions endpoint. Did you mean to use v1/chat/completions?",
        type: "invalid_request_error",
        param: "model",
        code: null,
      },
    });
    const noRoute = await complete({ prompt: "hi [[no-route]]" });
    expect(noRoute.status).toBe(404);
    expect((await noRoute.json()).error.message).toBe("Invalid URL (POST /v1/completions)");
    const unknown = await complete({ model: "llama-nope", prompt: "hi" });
    expect((await unknown.json()).error.code).toBe("model_not_found");
    expect((await complete({ prompt: "hi [[status:429]]" })).status).toBe(429);
    expect((await complete({ prompt: "hi" }, "sk-bad")).status).toBe(401);
  });

  it("is read by the official openai SDK, streamed and not", async () => {
    const client = new OpenAI({ baseURL: fake.url, apiKey: "sk-test", maxRetries: 0 });
    const stream = await client.completions.create({
      model: "gpt-3.5-turbo-instruct",
      prompt: "[[words:4]] [[usage:3/4]]",
      n: 2,
      max_tokens: 3,
      stream: true,
      stream_options: { include_usage: true },
    });
    const texts = ["", ""];
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      for (const choice of chunk.choices) texts[choice.index] += choice.text;
      usage = chunk.usage ?? usage;
    }
    expect(texts).toEqual(["word1 word2 word3", "word1 word2 word3"]);
    // The scripted completion tokens are capped at n × max_tokens, as the limit caps them.
    expect(usage).toEqual({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
    const whole = await client.completions.create({ model: "gpt-3.5-turbo-instruct", prompt: "abcd" });
    expect(whole.choices[0]?.text).toBe("Echo: abcd");
    await expect(client.completions.create({ model: "gpt-4o-mini", prompt: "x" })).rejects.toMatchObject({
      status: 404,
    });
  });

  it("cuts and hangs the stream after N deltas across the choices", async () => {
    const cut = await complete({ prompt: "[[words:5]] [[cut:3]]", n: 2, stream: true });
    const { text, failed } = await readUntilCut(cut);
    expect(failed).toBe(true);
    expect(text.match(/"text_completion"/g)).toHaveLength(3);
    expect(text).not.toContain("[DONE]");
  });
});
