import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { prepareTestDatabase } from "@/test/database";

// Real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test runs both).
prepareTestDatabase();
const { prisma } = await import("./client");
const { getBranchPage, getMessageBranch } = await import("./conversations");

const at = (index: number) => new Date(Date.UTC(2026, 10, 1, 12, 0, index));

type Seeded = { id: string; role: string; content: string; isContinuation: boolean };

/**
 * A conversation of `count` messages on one branch (user, reply, user, reply…), each reply of index % 10 === 5 with
 * two continuations after it (shown joined to it), and an older version of the reply at index 3 off the branch.
 */
async function seedConversation(userId: string, count: number) {
  const conversationId = randomUUID();
  await prisma.conversation.create({ data: { id: conversationId, userId, title: "Long", model: "gpt-5-mini" } });
  const branch: Seeded[] = [];
  const rows: {
    id: string;
    conversationId: string;
    parentId: string | null;
    role: string;
    content: string;
    isContinuation: boolean;
    createdAt: Date;
  }[] = [];
  let parentId: string | null = null;
  let index = 0;
  const add = (role: string, isContinuation: boolean, onBranch = true) => {
    const id = randomUUID();
    const content = `${role} ${index}${isContinuation ? " (continued)" : ""}`;
    rows.push({ id, conversationId, parentId, role, content, isContinuation, createdAt: at(index) });
    index += 1;
    if (onBranch) {
      branch.push({ id, role, content, isContinuation });
      parentId = id;
    }
    return id;
  };
  for (let n = 0; n < count; n++) {
    if (n % 2 === 0) {
      add("user", false);
      continue;
    }
    if (n === 3) add("assistant", false, false);
    add("assistant", false);
    if (n % 10 === 5) {
      add("assistant", true);
      add("assistant", true);
    }
  }
  await prisma.message.createMany({ data: rows });
  await prisma.conversation.update({ where: { id: conversationId }, data: { activeLeafId: parentId } });
  return { conversationId, branch };
}

afterAll(async () => {
  await prisma.$disconnect();
});

describe("a page of a conversation's branch", () => {
  let userId: string;
  let conversationId: string;
  let branch: Seeded[];

  beforeAll(async () => {
    userId = (await prisma.user.create({ data: { email: `pages-${randomUUID()}@example.test` } })).id;
    ({ conversationId, branch } = await seedConversation(userId, 120));
  });

  it("is the latest messages first, then older pages back to the first message, in order, none twice", async () => {
    const latest = await getBranchPage({ id: conversationId, userId, limit: 20 });
    expect(latest?.hasOlder).toBe(true);
    expect(latest?.messages.at(-1)?.id).toBe(branch.at(-1)?.id);
    expect(latest?.messages.length).toBeGreaterThanOrEqual(20);

    const seen = [...(latest?.messages ?? [])];
    let hasOlder = latest?.hasOlder ?? false;
    for (let pages = 0; hasOlder && pages < 100; pages++) {
      const page = await getBranchPage({ id: conversationId, userId, before: seen[0]?.id, limit: 20 });
      if (!page) throw new Error("the conversation went missing");
      seen.unshift(...page.messages);
      hasOlder = page.hasOlder;
    }
    expect(seen.map((message) => message.id)).toEqual(branch.map((message) => message.id));
    // With their content and what each shows: the versions of the regenerated reply.
    expect(seen.map((message) => message.content)).toEqual(branch.map((message) => message.content));
    expect(seen[3]?.versionIds).toHaveLength(2);
    expect(seen[1]?.versionIds).toEqual([seen[1]?.id]);
  });

  it("never starts with a continuation: a reply comes with its continuations", async () => {
    // A user message after a reply with two continuations, well down the branch: pages ending before it.
    const before = branch.findIndex((message, i) => i > 30 && message.role === "user" && branch[i - 1]?.isContinuation);
    expect(before).toBeGreaterThan(30);
    for (let limit = 1; limit <= 12; limit++) {
      const page = await getBranchPage({ id: conversationId, userId, before: branch[before]?.id, limit });
      expect(page?.messages[0]?.isContinuation, `limit ${limit}`).toBe(false);
      expect(page?.messages.length).toBeGreaterThanOrEqual(Math.min(limit, before));
      expect(page?.messages.at(-1)?.id).toBe(branch[before - 1]?.id);
    }
  });

  it("holds just enough of the latest messages to reach a length of text, and older pages go on from it", async () => {
    const length = (messages: { content: string }[]) =>
      messages.reduce((sum, message) => sum + message.content.length, 0);
    for (const maxTextLength of [1, 25, 60, 100, 170, 400]) {
      const page = await getBranchPage({ id: conversationId, userId, maxTextLength });
      const messages = page?.messages ?? [];
      expect(messages.at(-1)?.id, `${maxTextLength}`).toBe(branch.at(-1)?.id);
      expect(messages[0]?.isContinuation, `${maxTextLength}`).toBe(false);
      expect(length(messages)).toBeGreaterThanOrEqual(maxTextLength);
      // Without its oldest message the page would fall short, unless that message heads a reply's continuations.
      const next = messages.findIndex((message, index) => index > 0 && !message.isContinuation);
      expect(length(next < 0 ? [] : messages.slice(next)), `${maxTextLength}`).toBeLessThan(maxTextLength);
      expect(page?.hasOlder).toBe(true);
      const older = await getBranchPage({ id: conversationId, userId, before: messages[0]?.id });
      const seen = [...(older?.messages ?? []), ...messages].map((message) => message.id);
      expect(seen).toEqual(branch.slice(branch.length - seen.length).map((message) => message.id));
    }
    // Short messages: the page is as long as without the limit.
    const whole = await getBranchPage({ id: conversationId, userId, limit: 20, maxTextLength: 10_000 });
    expect(whole?.messages).toHaveLength(20);
  });

  it("stops at a message when asked (a reply being written after it)", async () => {
    const upTo = branch[60]?.id;
    const page = await getBranchPage({ id: conversationId, userId, upTo, limit: 10 });
    expect(page?.messages.at(-1)?.id).toBe(upTo);
  });

  it("stretches back to the message before a chosen one", async () => {
    const page = await getBranchPage({ id: conversationId, userId, through: branch[10]?.id, limit: 10 });
    expect(page?.messages[0]?.id).toBe(branch[9]?.id);
    expect(page?.messages.at(-1)?.id).toBe(branch.at(-1)?.id);
  });

  it("is null for another user's conversation, and refuses a cursor not on the branch", async () => {
    const other = (await prisma.user.create({ data: { email: `pages-${randomUUID()}@example.test` } })).id;
    expect(await getBranchPage({ id: conversationId, userId: other })).toBeNull();
    expect(await getBranchPage({ id: conversationId, userId: other, before: branch[5]?.id })).toBeNull();
    const offBranch = await prisma.message.findFirst({
      where: { conversationId, id: { notIn: branch.map((message) => message.id) } },
    });
    for (const before of ["no-such-message", offBranch?.id, branch.find((message) => message.isContinuation)?.id]) {
      await expect(getBranchPage({ id: conversationId, userId, before })).rejects.toThrow(AppError);
    }
  });

  it("around one message is the user message before it and its whole reply, read alone", async () => {
    const last = branch.findLastIndex((message) => message.isContinuation);
    const head = last - 2;
    for (const id of [branch[head]?.id, branch[last]?.id]) {
      const around = await getMessageBranch({ id: id ?? "", conversationId, userId });
      expect(around?.map((message) => message.id)).toEqual(branch.slice(head - 1, last + 1).map((m) => m.id));
    }
    const question = await getMessageBranch({ id: branch[head - 1]?.id ?? "", conversationId, userId });
    expect(question?.map((message) => message.content)).toEqual([branch[head - 1]?.content]);
  });

  it("of a conversation without messages is empty", async () => {
    const id = randomUUID();
    await prisma.conversation.create({ data: { id, userId, title: "Empty", model: "gpt-5-mini" } });
    expect(await getBranchPage({ id, userId })).toMatchObject({ messages: [], hasOlder: false });
  });
});
