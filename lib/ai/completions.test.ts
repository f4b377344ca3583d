import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { fakeUpstreamForSuite } from "@/test/fake-upstream";
import { isCompletionsUnsupported, startCompletion } from "./completions";

// startCompletion against the fake OpenAI-compatible upstream over real HTTP (e2e/fake-openai/completions.ts).

const fakeUpstream = fakeUpstreamForSuite();
const TIMEOUTS = { firstTokenMs: 30_000, idleMs: 30_000, totalMs: 60_000 };
const apiError = (status: number, error: Record<string, unknown>) =>
  OpenAI.APIError.generate(status, { error }, undefined, new Headers());

async function complete(
  prompt: string,
  { model = "gpt-3.5-turbo-instruct", n = 1, maxTokens = 50, stop = [] as string[] } = {},
) {
  const start = await startCompletion({
    model,
    prompt,
    parameters: { maxTokens, n, stop },
    signal: new AbortController().signal,
    timeouts: TIMEOUTS,
  });
  if (!start.isAccepted) return { outcome: start.outcome, deltas: [] };
  const deltas: [number, string][] = [];
  const outcome = await start.read((index, text) => deltas.push([index, text]));
  return { outcome, deltas };
}

describe("startCompletion", () => {
  it("streams n choices by index and reads the usage and finish reasons", async () => {
    const { outcome, deltas } = await complete("Once [[usage:9/6]]", { n: 2 });
    expect(outcome).toMatchObject({
      ending: "complete",
      usage: { promptTokens: 9, completionTokens: 6 },
      choices: [
        { text: "Echo: Once", finishReason: "stop" },
        { text: "Echo 2: Once", finishReason: "stop" },
      ],
    });
    expect(deltas.slice(0, 2)).toEqual([
      [0, "Echo:"],
      [1, "Echo"],
    ]);
    const sent = fakeUpstream()
      .requests()
      .find((request) => JSON.stringify(request.body).includes("Once"))?.body;
    expect(sent).toMatchObject({ max_tokens: 50, n: 2, stream: true, stream_options: { include_usage: true } });
  });

  it("sends the stop sequences and the output limit, which end the choices", async () => {
    const { outcome } = await complete("[[reply:a b. c d e f]]", { stop: ["."], maxTokens: 1 });
    expect(outcome.choices).toEqual([{ text: "a", finishReason: "length" }]);
    const cut = await complete("[[reply:a b. c d e f]]", { stop: ["."] });
    expect(cut.outcome.choices).toEqual([{ text: "a b", finishReason: "stop" }]);
  });

  it("reports a refusal before any stream: a chat model, a server without the endpoint", async () => {
    const chat = await complete("hi", { model: "gpt-4o-mini" });
    expect(chat.outcome).toMatchObject({ ending: "error", wasRefused: true });
    expect(isCompletionsUnsupported(chat.outcome.error)).toBe(true);
    const noRoute = await complete("hi [[no-route]]");
    expect(isCompletionsUnsupported(noRoute.outcome.error)).toBe(true);
    const limited = await complete("hi [[status:429]]");
    expect(limited.outcome.wasRefused).toBe(true);
    expect(isCompletionsUnsupported(limited.outcome.error)).toBe(false);
  });

  it("keeps what arrived of a cut stream, without usage", async () => {
    const { outcome } = await complete("[[words:6]] [[cut:3]]", { n: 1 });
    expect(outcome).toMatchObject({ ending: "error", wasRefused: false });
    expect(outcome.usage).toBeUndefined();
    expect(outcome.choices[0]?.text).toBe("word1 word2 word3");
  });
});

describe("isCompletionsUnsupported", () => {
  it("tells a server without text completions from a wrong model or another refusal", () => {
    expect(isCompletionsUnsupported(apiError(404, { message: "Not Found" }))).toBe(true);
    expect(isCompletionsUnsupported(apiError(405, { message: "Method Not Allowed" }))).toBe(true);
    expect(
      isCompletionsUnsupported(
        apiError(400, {
          code: "OperationNotSupported",
          message: "The completion operation does not work with the specified model, gpt-4o.",
        }),
      ),
    ).toBe(true);
    expect(
      isCompletionsUnsupported(apiError(404, { code: "model_not_found", message: "The model `x` does not exist" })),
    ).toBe(false);
    expect(isCompletionsUnsupported(apiError(400, { code: "context_length_exceeded", message: "too long" }))).toBe(
      false,
    );
    expect(isCompletionsUnsupported(new Error("boom"))).toBe(false);
  });
});
