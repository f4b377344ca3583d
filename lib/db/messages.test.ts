import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { prepareTestDatabase } from "@/test/database";
import { GPT5_MINI_PRICE, NO_LIMITS } from "@/test/money";

// The conversation tree on a real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test
// runs both). Turns are opened, settled and stored through the same functions the chat turn uses.
const databaseUrl = prepareTestDatabase();
const { prisma } = await import("./client");
const { beginTurn, getTurnContext, selectVersion, storeReply } = await import("./messages");
const { getConversationWithMessages, getMessageBranch } = await import("./conversations");
const { getConversationSpend, settleReservation } = await import("./ledger");

const price = GPT5_MINI_PRICE;
const isPostgres = /^postgres/i.test(databaseUrl);

afterAll(async () => {
  await prisma.$disconnect();
});

async function createUser() {
  return prisma.user.create({ data: { email: `branch-${randomUUID()}@example.test`, budgetMode: "unlimited" } });
}

type Placement = Parameters<typeof beginTurn>[0]["placement"];

/** One whole turn as lib/chat/turn.ts runs it: admitted, settled at `costMicros`, its reply stored. */
async function turn(
  userId: string,
  conversationId: string,
  {
    text,
    placement,
    reply,
    costMicros = 100,
  }: { text?: string; placement?: Placement; reply: string; costMicros?: number },
) {
  const reservation = await beginTurn({
    userId,
    conversationId,
    message: text === undefined ? undefined : { content: text, tokenCount: 1, tokenEncoding: "o200k_base" },
    placement,
    title: "t",
    quote: { model: "gpt-5-mini", price, promptTokens: 10, maxOutputTokens: 4096, reserveMicros: 1_000 },
    policy: NO_LIMITS,
    now: new Date(),
  });
  await settleReservation({
    entryId: reservation.id,
    settlement: {
      status: "settled",
      promptTokens: 10,
      cachedTokens: 0,
      completionTokens: 5,
      reasoningTokens: 0,
      costMicros,
      isEstimated: false,
    },
  });
  const id = randomUUID();
  await storeReply({
    id,
    conversationId,
    parentId: reservation.replyParentId,
    isContinuation: placement?.kind === "continue",
    content: reply,
    status: "complete",
    model: "gpt-5-mini",
    finishReason: reply.endsWith("…") ? "length" : "stop",
    tokenCount: 1,
    tokenEncoding: "o200k_base",
    entryId: reservation.id,
  });
  return { replyId: id, userMessageId: text === undefined ? null : reservation.replyParentId };
}

async function shown(userId: string, conversationId: string) {
  const conversation = await getConversationWithMessages({ id: conversationId, userId });
  return conversation?.messages.map((message) => message.content) ?? [];
}

describe(`the conversation tree (${isPostgres ? "PostgreSQL" : "SQLite"})`, () => {
  it("keeps every regenerated reply as a version, each with its own settled ledger entry", async () => {
    const user = await createUser();
    const chat = randomUUID();
    const first = await turn(user.id, chat, { text: "hello", reply: "one" });
    const userMessage = first.userMessageId ?? "";
    await turn(user.id, chat, { placement: { kind: "regenerate", parentId: userMessage }, reply: "two" });
    const third = await turn(user.id, chat, {
      placement: { kind: "regenerate", parentId: userMessage },
      reply: "three",
    });
    expect(await shown(user.id, chat)).toEqual(["hello", "three"]);
    const conversation = await getConversationWithMessages({ id: chat, userId: user.id });
    expect(conversation?.messages.at(-1)?.versionIds).toHaveLength(3);
    expect(conversation?.messages.at(-1)?.id).toBe(third.replyId);

    const entries = await prisma.ledgerEntry.findMany({ where: { conversationId: chat } });
    expect(entries.map((entry) => entry.status)).toEqual(["settled", "settled", "settled"]);
    expect(new Set(entries.map((entry) => entry.messageId)).size).toBe(3);
    // The chat's spend counts every version.
    expect((await getConversationSpend({ userId: user.id, conversationId: chat }))?.costMicros).toBe(300);

    // Choosing the first version shows it, and the next turn's history follows it.
    expect(await selectVersion({ userId: user.id, conversationId: chat, messageId: first.replyId })).toBe(true);
    expect(await shown(user.id, chat)).toEqual(["hello", "one"]);
    const context = await getTurnContext({ userId: user.id, conversationId: chat, mustExist: true });
    expect(context.messages.map((message) => message.content)).toEqual(["hello", "one"]);
    await turn(user.id, chat, { text: "and then?", reply: "four" });
    expect(await shown(user.id, chat)).toEqual(["hello", "one", "and then?", "four"]);
  });

  it("sends an edited message in place of the old one, whose branch stays one version away", async () => {
    const user = await createUser();
    const chat = randomUUID();
    await turn(user.id, chat, { text: "q1", reply: "a1" });
    const second = await turn(user.id, chat, { text: "q2", reply: "a2" });
    const [, a1] = (await getConversationWithMessages({ id: chat, userId: user.id }))?.messages ?? [];
    const edited = await turn(user.id, chat, {
      text: "q2 better",
      placement: { kind: "edit", parentId: a1?.id ?? null },
      reply: "a2 better",
    });
    expect(await shown(user.id, chat)).toEqual(["q1", "a1", "q2 better", "a2 better"]);
    const messages = (await getConversationWithMessages({ id: chat, userId: user.id }))?.messages ?? [];
    expect(messages[2]?.versionIds).toEqual([second.userMessageId, edited.userMessageId]);

    expect(await selectVersion({ userId: user.id, conversationId: chat, messageId: second.userMessageId ?? "" })).toBe(
      true,
    );
    expect(await shown(user.id, chat)).toEqual(["q1", "a1", "q2", "a2"]);
    // Nothing was deleted: three turns, three entries, each still linked to its reply.
    const entries = await prisma.ledgerEntry.findMany({ where: { conversationId: chat } });
    expect(entries.filter((entry) => entry.messageId !== null)).toHaveLength(3);
  });

  it("stores a continuation after the reply it continues, on the active branch", async () => {
    const user = await createUser();
    const chat = randomUUID();
    const cut = await turn(user.id, chat, { text: "long one", reply: "part one…" });
    const more = await turn(user.id, chat, { placement: { kind: "continue", parentId: cut.replyId }, reply: " two" });
    const branch = await getMessageBranch({ id: more.replyId, conversationId: chat, userId: user.id });
    expect(branch?.map((message) => [message.content, message.isContinuation])).toEqual([
      ["long one", false],
      ["part one…", false],
      [" two", true],
    ]);
  });

  it("answers nothing for someone else's message, or a message of another chat", async () => {
    const owner = await createUser();
    const stranger = await createUser();
    const chat = randomUUID();
    const other = randomUUID();
    const { replyId } = await turn(owner.id, chat, { text: "mine", reply: "yes" });
    await turn(owner.id, other, { text: "other", reply: "no" });
    expect(await selectVersion({ userId: stranger.id, conversationId: chat, messageId: replyId })).toBe(false);
    expect(await selectVersion({ userId: owner.id, conversationId: other, messageId: replyId })).toBe(false);
    expect(await getMessageBranch({ id: replyId, conversationId: chat, userId: stranger.id })).toBeNull();
    await expect(
      turn(stranger.id, chat, { placement: { kind: "regenerate", parentId: replyId }, reply: "x" }),
    ).rejects.toThrow(/not found/);
    await expect(
      turn(owner.id, other, { placement: { kind: "regenerate", parentId: replyId }, reply: "x" }),
    ).rejects.toThrow(/not found/);
    expect(await shown(owner.id, chat)).toEqual(["mine", "yes"]);
  });

  it("keeps the tree whole when regenerations of one reply run at once", async () => {
    const user = await createUser();
    const chat = randomUUID();
    const first = await turn(user.id, chat, { text: "hello", reply: "one" });
    const parentId = first.userMessageId ?? "";
    await Promise.all(
      ["a", "b", "c"].map((reply) => turn(user.id, chat, { placement: { kind: "regenerate", parentId }, reply })),
    );
    const messages = (await getConversationWithMessages({ id: chat, userId: user.id }))?.messages ?? [];
    expect(messages).toHaveLength(2);
    expect(messages[1]?.versionIds).toHaveLength(4);
    const entries = await prisma.ledgerEntry.findMany({ where: { conversationId: chat } });
    expect(entries.every((entry) => entry.status === "settled")).toBe(true);
  });

  it("the migration's backfill makes each existing chat one linear branch", async () => {
    const user = await createUser();
    const chat = randomUUID();
    await prisma.conversation.create({ data: { id: chat, userId: user.id, title: "old", model: "gpt-5-mini" } });
    const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
    for (const [i, [role, content]] of [
      ["user", "q1"],
      ["assistant", "a1"],
      ["user", "q2"],
      ["assistant", "a2"],
    ].entries()) {
      await prisma.message.create({
        data: { conversationId: chat, role: role ?? "", content: content ?? "", createdAt: at(i) },
      });
    }
    const folder = path.join(process.cwd(), "prisma", "migrations", isPostgres ? "postgresql" : "sqlite");
    const migration = fs.readdirSync(folder).find((name) => name.endsWith("_message_branches")) ?? "";
    const sql = fs.readFileSync(path.join(folder, migration, "migration.sql"), "utf8");
    const backfill = sql.slice(sql.indexOf("-- Backfill"));
    for (const statement of backfill.split(";").filter((part) => /\bUPDATE\b/.test(part))) {
      await prisma.$executeRawUnsafe(statement);
    }
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: chat } });
    const rows = await prisma.message.findMany({ where: { conversationId: chat }, orderBy: { createdAt: "asc" } });
    expect(rows.map((row) => row.parentId)).toEqual([null, rows[0]?.id, rows[1]?.id, rows[2]?.id]);
    expect(conversation.activeLeafId).toBe(rows[3]?.id);
    expect(await shown(user.id, chat)).toEqual(["q1", "a1", "q2", "a2"]);
  });
});
