import { describe, expect, it } from "vitest";
import { formatErrorText } from "@/lib/i18n/errors";
import { fakeUpstreamForSuite } from "@/test/fake-upstream";
import { type ReplyOutcome, streamReply, type UpstreamTimeouts } from "./chat-stream";
import { describeUpstreamError, UpstreamStreamError } from "./errors";

/** The failure as an English reader sees it. */
const upstreamText = (...args: Parameters<typeof describeUpstreamError>) =>
  formatErrorText(describeUpstreamError(...args), "en");

// streamReply against the fake OpenAI-compatible upstream, over real HTTP: what it sends, and how it reads each way
// a stream can end.

const fakeUpstream = fakeUpstreamForSuite();
const TIMEOUTS: UpstreamTimeouts = { firstTokenMs: 30_000, idleMs: 30_000, totalMs: 60_000 };

function reply(
  text: string,
  options: Partial<Parameters<typeof streamReply>[0]> = {},
): Promise<ReplyOutcome & { deltas: string[] }> {
  const deltas: string[] = [];
  return streamReply({
    model: "gpt-5-mini",
    messages: [{ role: "user", content: text }],
    maxOutputTokens: 100,
    signal: new AbortController().signal,
    timeouts: TIMEOUTS,
    onText: (delta) => deltas.push(delta),
    ...options,
  }).then((outcome) => ({ ...outcome, deltas }));
}

const sent = (text: string) =>
  fakeUpstream()
    .requests()
    .find((request) => JSON.stringify(request.body).includes(text))?.body as Record<string, unknown>;

describe("streamReply", () => {
  it("streams the text delta by delta and reads the reported usage and finish reason", async () => {
    const outcome = await reply("[[words:5]][[usage:120/5/64/2]] usage");
    expect(outcome.deltas).toEqual(["word1", " word2", " word3", " word4", " word5"]);
    expect(outcome).toMatchObject({
      text: "word1 word2 word3 word4 word5",
      ending: "complete",
      finishReason: "stop",
      wasRefused: false,
      usage: { promptTokens: 120, completionTokens: 5, cachedTokens: 64, reasoningTokens: 2 },
    });
  });

  it("asks as openai.chat did: developer prompt and max_completion_tokens for a reasoning model", async () => {
    await reply("[[words:1]] reasoning", { system: "Be brief.", parameters: { reasoningEffort: "low" } });
    expect(sent("reasoning")).toMatchObject({
      model: "gpt-5-mini",
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: "developer", content: "Be brief." },
        { role: "user", content: "[[words:1]] reasoning" },
      ],
      max_completion_tokens: 100,
      reasoning_effort: "low",
    });
    expect(sent("reasoning")).not.toHaveProperty("max_tokens");

    await reply("[[words:1]] plain", { model: "gpt-4o-mini", system: "Be brief.", parameters: { temperature: 0.3 } });
    expect(sent("plain")).toMatchObject({
      model: "gpt-4o-mini",
      messages: [{ role: "system", content: "Be brief." }, { role: "user" }],
      max_tokens: 100,
      temperature: 0.3,
    });
  });

  it("says the output limit cut the reply", async () => {
    const outcome = await reply("[[words:10]] limit", { maxOutputTokens: 3 });
    expect(outcome).toMatchObject({ text: "word1 word2 word3", ending: "complete", finishReason: "length" });
    expect(outcome.usage?.completionTokens).toBe(3);
  });

  it("reports a refusal (an error status) as refused, with the upstream's words", async () => {
    const outcome = await reply("[[status:401]] refused");
    expect(outcome).toMatchObject({ text: "", ending: "error", wasRefused: true });
    expect(upstreamText(outcome.error)).toMatch(/rejected the API key \(401\)/);
  });

  it("retries once after a server error", async () => {
    const outcome = await reply("[[status-once:500]][[words:2]] retried");
    expect(outcome).toMatchObject({ text: "word1 word2", ending: "complete" });
    expect(
      fakeUpstream()
        .requests()
        .filter((request) => JSON.stringify(request.body).includes("retried")),
    ).toHaveLength(2);
  });

  it("keeps what arrived when the connection drops mid-stream, and does not call it a refusal", async () => {
    const outcome = await reply("[[words:10]][[cut:4]] cut");
    expect(outcome).toMatchObject({ text: "word1 word2 word3 word4", ending: "error", wasRefused: false });
    expect(outcome.error).toBeInstanceOf(UpstreamStreamError);
    expect(outcome.usage).toBeUndefined();
  });

  it("ends on a chunk that is not JSON, or an error event inside the 200 stream, keeping what arrived", async () => {
    const garbled = await reply("[[words:10]][[bad-chunk:3]] garbled");
    expect(garbled).toMatchObject({ text: "word1 word2 word3", ending: "error", wasRefused: false });
    expect(upstreamText(garbled.error, { hasPartialReply: true })).toBe(
      "The connection to the model provider dropped after part of the reply (a chunk is not JSON). What arrived is kept.",
    );
    const failed = await reply("[[words:10]][[error-event:2]] error event");
    expect(failed).toMatchObject({ text: "word1 word2", ending: "error", wasRefused: false });
    expect(upstreamText(failed.error, { hasPartialReply: true })).toMatch(
      /dropped after part of the reply \(The server had an error while processing your request\.\)/,
    );
    // Something had streamed: not retried (a second call would charge the prompt twice and repeat the text).
    for (const marker of ["garbled", "error event"]) {
      expect(
        fakeUpstream()
          .requests()
          .filter((request) => JSON.stringify(request.body).includes(marker)),
      ).toHaveLength(1);
    }
  });

  it("stops when the first token is late, and when the caller aborts", async () => {
    const late = await reply("[[words:3]][[slow:3000]] late", {
      timeouts: { ...TIMEOUTS, firstTokenMs: 1_000 },
    });
    expect(late).toMatchObject({ ending: "timeout", timeout: { kind: "first-token", seconds: 1 }, text: "" });

    const controller = new AbortController();
    const stopped = await reply("[[words:50]][[slow:50]] stopped", {
      signal: controller.signal,
      onText: () => controller.abort("stopped"),
    });
    expect(stopped.ending).toBe("stopped");
    expect(stopped.text).toBe("word1");
  });
});
