import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { prepareOwnTestDatabase } from "@/test/database";

// Real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test runs both). The races an
// official account's answer can meet — deliveries at once, the answer arriving as the last delivery gives up — each
// have exactly one winner.
const database = await prepareOwnTestDatabase("channel_replies");
const { prisma } = await import("./client");
const replies = await import("./channel-replies");

afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

const channel = "wechat_mp" as const;
const newMessage = () => ({ channel, key: randomUUID(), chatId: `o${randomUUID()}` });

describe("an official account's answer", () => {
  it("counts deliveries: of deliveries at once exactly one is the first", async () => {
    const message = newMessage();
    const deliveries = await Promise.all(Array.from({ length: 3 }, () => replies.recordReplyDelivery(message)));
    expect(deliveries.filter((delivery) => delivery.isFirst)).toHaveLength(1);
    expect(deliveries.map((delivery) => delivery.attempts).sort()).toEqual([1, 2, 3]);
  });

  it("is delivered once: of claims at once exactly one wins", async () => {
    const message = newMessage();
    await replies.recordReplyDelivery(message);
    expect(await replies.storeReplyText({ ...message, text: "答案" })).toBe(false);
    const claims = await Promise.all(Array.from({ length: 5 }, () => replies.claimReply(message)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await replies.claimReply(message)).toBe(false);
  });

  it("the answer arriving as the last delivery gives up: either handed off (and the writer sends it) or delivered", async () => {
    for (let round = 0; round < 10; round++) {
      const message = newMessage();
      await replies.recordReplyDelivery(message);
      const [isHandedOff, sawHandOff] = await Promise.all([
        replies.handOffReply(message),
        replies.storeReplyText({ ...message, text: "late" }),
      ]);
      // Whoever saw the other's write takes it: the writer after a hand-off, the delivery after the answer.
      if (isHandedOff) {
        expect(sawHandOff).toBe(true);
      } else {
        expect((await replies.getReply(message))?.text).toBe("late");
      }
      expect(await replies.claimReply(message)).toBe(true);
    }
  });

  it("keeps a handed-off answer for the chat's next message, oldest first, until it is delivered", async () => {
    const first = newMessage();
    const chatId = first.chatId;
    const second = { ...newMessage(), chatId };
    await replies.recordReplyDelivery(first);
    await replies.recordReplyDelivery(second);
    expect(await replies.getWaitingReply({ channel, chatId })).toBeNull();
    await replies.handOffReply(first);
    expect(await replies.getWaitingReply({ channel, chatId })).toEqual({ key: first.key, text: null });
    await replies.storeReplyText({ ...first, text: "kept" });
    expect(await replies.getWaitingReply({ channel, chatId })).toEqual({ key: first.key, text: "kept" });
    expect(await replies.claimReply(first)).toBe(true);
    expect(await replies.getWaitingReply({ channel, chatId })).toBeNull();
    // Another chat's answer is never this chat's.
    await replies.storeWaitingReply({ channel, key: `${second.key}:more`, chatId: "someone-else", text: "theirs" });
    expect(await replies.getWaitingReply({ channel, chatId })).toBeNull();
  });
});
