import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareTestDatabase } from "@/test/database";

// Real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test runs both). On SQLite the index
// is kept by triggers: these tests fail if a migration lost them.
prepareTestDatabase();
const { prisma } = await import("./client");
const { SHORT_QUERY_WINDOW, searchConversations } = await import("./search");
const { deleteConversation, updateConversation } = await import("./conversations");

async function createUser() {
  return (await prisma.user.create({ data: { email: `search-${randomUUID()}@example.test` } })).id;
}

async function createConversation(
  userId: string,
  { title, messages = [], minute = 0 }: { title: string; messages?: string[]; minute?: number },
) {
  const id = randomUUID();
  await prisma.conversation.create({
    data: { id, userId, title, model: "gpt-5-mini", updatedAt: new Date(Date.UTC(2026, 10, 1, 12, minute)) },
  });
  const stored = [];
  for (const [index, content] of messages.entries()) {
    stored.push(
      await prisma.message.create({
        data: {
          conversationId: id,
          role: index % 2 === 0 ? "user" : "assistant",
          content,
          createdAt: new Date(Date.UTC(2026, 10, 1, 12, minute, index)),
        },
      }),
    );
  }
  return { id, messages: stored };
}

const search = (userId: string, query: string) => searchConversations({ userId, query, limit: 30 });
const ids = async (userId: string, query: string) => (await search(userId, query)).hits.map((hit) => hit.id);

afterAll(async () => {
  await prisma.$disconnect();
});

describe("searching a user's history", () => {
  let userId: string;
  let otherId: string;
  let invoice: Awaited<ReturnType<typeof createConversation>>;
  let chinese: Awaited<ReturnType<typeof createConversation>>;
  let titled: Awaited<ReturnType<typeof createConversation>>;
  let percent: Awaited<ReturnType<typeof createConversation>>;

  beforeAll(async () => {
    userId = await createUser();
    otherId = await createUser();
    invoice = await createConversation(userId, {
      title: "Accounting questions",
      messages: ["Where is the invoice?", "The INVOICE total is 4711 euros.", "Thanks"],
      minute: 1,
    });
    chinese = await createConversation(userId, {
      title: "工作",
      messages: ["我们明天讨论项目预算和周报", "好的，周报在这里"],
      minute: 2,
    });
    titled = await createConversation(userId, { title: "Quarterly budget review", messages: ["Hello"], minute: 3 });
    percent = await createConversation(userId, {
      title: "Growth",
      messages: ['Sales grew 50% and "quoted" text_here', "500 apples"],
      minute: 4,
    });
    await createConversation(otherId, {
      title: "Quarterly budget review",
      messages: ["The invoice total is 4711 euros. 项目预算 周报"],
      minute: 5,
    });
  });

  it("finds message text case-insensitively, with the newest matching message", async () => {
    for (const query of ["invoice", "INVOICE", "Invoice total is 4711"]) {
      const { hits, isWindowed } = await search(userId, query);
      expect(hits.map((hit) => hit.id)).toEqual([invoice.id]);
      expect(hits[0]?.message).toEqual({ id: invoice.messages[1]?.id, content: "The INVOICE total is 4711 euros." });
      expect(isWindowed).toBe(false);
    }
  });

  it("finds Chinese text of any length, one and two characters included", async () => {
    for (const query of ["项目预算和周报", "项目预算", "讨论项", "预算", "周报", "讨"]) {
      expect(await ids(userId, query), query).toEqual([chinese.id]);
    }
    expect((await search(userId, "周报")).hits[0]?.message?.id).toBe(chinese.messages[1]?.id);
  });

  it("finds titles, without a message when only the title matches", async () => {
    const { hits } = await search(userId, "budget rev");
    expect(hits.map((hit) => hit.id)).toEqual([titled.id]);
    expect(hits[0]?.message).toBeNull();
    expect(await ids(userId, "工作")).toEqual([chinese.id]);
  });

  it("matches the text as typed: no wildcards, quotes allowed", async () => {
    expect(await ids(userId, "50%")).toEqual([percent.id]);
    expect(await ids(userId, "t_h")).toEqual([percent.id]);
    expect(await ids(userId, '"quoted"')).toEqual([percent.id]);
    expect(await ids(userId, "%")).toEqual([percent.id]);
    expect(await ids(userId, "_")).toEqual([percent.id]);
    expect(await ids(userId, "nowhere to be found")).toEqual([]);
  });

  it("lists the most recently active first", async () => {
    // "o" is in every conversation of this user (1 character: the scan).
    expect(await ids(userId, "o")).toEqual([percent.id, titled.id, invoice.id]);
    expect(await ids(userId, "ks")).toEqual([invoice.id]);
  });

  it("never shows another user's conversations", async () => {
    const theirs = await ids(otherId, "Quarterly budget review");
    expect(theirs).toHaveLength(1);
    expect(theirs).not.toContain(titled.id);
    expect(await ids(otherId, "预算")).not.toContain(chinese.id);
    expect(await ids(userId, "4711")).toEqual([invoice.id]);
  });

  it("follows renames, edits and deletions", async () => {
    const conversation = await createConversation(userId, { title: "Old name", messages: ["Rhubarb pie"], minute: 6 });
    await updateConversation({ id: conversation.id, userId, title: "Gooseberry jam", now: new Date() });
    expect(await ids(userId, "Old name")).toEqual([]);
    expect(await ids(userId, "gooseberry")).toEqual([conversation.id]);

    await prisma.message.update({ where: { id: conversation.messages[0]?.id }, data: { content: "Plum cake" } });
    expect(await ids(userId, "Rhubarb")).toEqual([]);
    expect(await ids(userId, "plum cake")).toEqual([conversation.id]);

    await prisma.message.delete({ where: { id: conversation.messages[0]?.id } });
    expect(await ids(userId, "plum cake")).toEqual([]);

    await deleteConversation({ id: conversation.id, userId });
    expect(await ids(userId, "gooseberry")).toEqual([]);
  });
});

describe("short queries", () => {
  it(`scan only the ${SHORT_QUERY_WINDOW} most recent conversations, and say so; longer ones search everything`, async () => {
    const userId = await createUser();
    await prisma.conversation.createMany({
      data: Array.from({ length: SHORT_QUERY_WINDOW }, (_, index) => ({
        id: randomUUID(),
        userId,
        title: `Recent chat ${index}`,
        model: "gpt-5-mini",
        updatedAt: new Date(Date.UTC(2026, 10, 2, 0, 0, index)),
      })),
    });
    const oldest = await createConversation(userId, { title: "最早的对话", messages: ["很久以前"], minute: 0 });

    expect(await search(userId, "以前")).toEqual({ hits: [], isWindowed: true });
    expect(await ids(userId, "很久以前")).toEqual([oldest.id]);
    // Within the window a short query finds what it should.
    expect((await search(userId, "99")).hits.map((hit) => hit.title)).toContain("Recent chat 999");

    // Text in every conversation: the 30 newest. Text in a few, new and old: all of them, newest first.
    const titles = async (query: string) => (await search(userId, query)).hits.map((hit) => hit.title);
    expect(await titles("Recent chat")).toEqual(Array.from({ length: 30 }, (_, index) => `Recent chat ${999 - index}`));
    expect(await titles("chat 99")).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `Recent chat ${999 - i}`),
      "Recent chat 99",
    ]);
  });
});
