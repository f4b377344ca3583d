import { describe, expect, it } from "vitest";
import { followLiveReply, openLiveReply, type ReplyChunk } from "./live-replies";

async function readAll(stream: ReadableStream<ReplyChunk>) {
  const chunks: ReplyChunk[] = [];
  const reader = stream.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
  return chunks;
}

describe("live replies", () => {
  it("gives a follower what was streamed so far, text merged, then the rest, and ends with the reply", async () => {
    const owner = { userId: "user-a", conversationId: "conversation-1" };
    const live = openLiveReply(owner);
    live.write({ type: "start", messageId: "reply-1" });
    live.write({ type: "text-start", id: "text" });
    live.write({ type: "text-delta", id: "text", delta: "Hello" });
    live.write({ type: "text-delta", id: "text", delta: " world" });
    const follower = followLiveReply(owner);
    expect(follower).not.toBeNull();
    const read = readAll(follower as ReadableStream<ReplyChunk>);
    live.write({ type: "text-delta", id: "text", delta: "!" });
    live.write({ type: "text-end", id: "text" });
    live.write({ type: "finish" });
    live.close();
    expect(await read).toEqual([
      { type: "start", messageId: "reply-1" },
      { type: "text-start", id: "text" },
      { type: "text-delta", id: "text", delta: "Hello world" },
      { type: "text-delta", id: "text", delta: "!" },
      { type: "text-end", id: "text" },
      { type: "finish" },
    ]);
    // Stored and dropped: nothing to follow any more.
    expect(followLiveReply(owner)).toBeNull();
  });

  it("is not followed by another user, and a follower that goes away misses nothing for the others", async () => {
    const owner = { userId: "user-a", conversationId: "conversation-2" };
    const live = openLiveReply(owner);
    live.write({ type: "start", messageId: "reply-2" });
    expect(followLiveReply({ userId: "user-b", conversationId: owner.conversationId })).toBeNull();
    const leaving = followLiveReply(owner);
    const staying = followLiveReply(owner);
    await leaving?.cancel();
    live.write({ type: "finish" });
    live.close();
    expect(await readAll(staying as ReadableStream<ReplyChunk>)).toEqual([
      { type: "start", messageId: "reply-2" },
      { type: "finish" },
    ]);
  });
});
