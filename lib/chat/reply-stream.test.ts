import { describe, expect, it } from "vitest";
import { replyStreamResponse, TEXT_FRAME_MS } from "./reply-stream";

/** The UI message stream's events (SSE `data:` lines), parsed. */
async function eventsOf(response: Response): Promise<{ type: string; delta?: string }[]> {
  const body = await response.text();
  return body
    .split("\n")
    .filter((line) => line.startsWith("data: ") && line !== "data: [DONE]")
    .map((line) => JSON.parse(line.slice("data: ".length)));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function reply(execute: Parameters<typeof replyStreamResponse>[0]["execute"]) {
  return replyStreamResponse({
    userId: "user-a",
    conversationId: `conversation-${Math.random()}`,
    model: "gpt-5-mini",
    messageId: "reply-1",
    execute,
    describeError: () => "failed",
  });
}

describe("a reply's stream", () => {
  it("sends the first words at once and the deltas of each frame as one event, every character in order", async () => {
    const words = Array.from({ length: 4_000 }, (_, i) => `w${i} `);
    const events = await eventsOf(
      reply(async (writer) => {
        for (const word of words) writer.text(word);
        writer.finish({ model: "gpt-5-mini" }, "stop");
      }),
    );
    const deltas = events.filter((event) => event.type === "text-delta").map((event) => event.delta);
    expect(deltas).toEqual([words[0], words.slice(1).join("")]);
    expect(events.map((event) => event.type)).toEqual([
      "start",
      "text-start",
      "text-delta",
      "text-delta",
      "text-end",
      "finish",
    ]);
  });

  it("stays live: deltas further apart than a frame each go out on their own", async () => {
    const events = await eventsOf(
      reply(async (writer) => {
        for (const word of ["one ", "two ", "three"]) {
          writer.text(word);
          await sleep(TEXT_FRAME_MS * 3);
        }
        writer.finish({ model: "gpt-5-mini" }, "stop");
      }),
    );
    expect(events.filter((event) => event.type === "text-delta").map((event) => event.delta)).toEqual([
      "one ",
      "two ",
      "three",
    ]);
  });

  it("sends the text of an unfinished frame before an error", async () => {
    const events = await eventsOf(
      reply(async (writer) => {
        writer.text("partial ");
        writer.text("reply");
        writer.text(" cut");
        throw new Error("boom");
      }),
    );
    expect(events.filter((event) => event.type === "text-delta").map((event) => event.delta)).toEqual([
      "partial ",
      "reply cut",
    ]);
    expect(events.at(-1)).toEqual({ type: "error", errorText: "failed" });
  });
});
