import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { shareIdSchema } from "@/lib/validations";
import { prepareTestDatabase } from "@/test/database";

// Real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test runs both).
prepareTestDatabase();
const { prisma } = await import("./client");
const { createShare, deleteShare, getShare, getSharedConversation } = await import("./shares");

afterAll(async () => {
  await prisma.$disconnect();
});

async function createConversation() {
  const user = await prisma.user.create({ data: { email: `share-${randomUUID()}@example.test` } });
  const conversation = await prisma.conversation.create({
    data: {
      id: randomUUID(),
      userId: user.id,
      title: "Shared chat",
      model: "gpt-5-mini",
      messages: {
        create: [
          { role: "user", content: "hello", createdAt: new Date("2026-01-01T00:00:00Z") },
          // A failed reply with no text is not shown.
          { role: "assistant", content: "", status: "error", createdAt: new Date("2026-01-01T00:00:01Z") },
          { role: "assistant", content: "Echo: hello", createdAt: new Date("2026-01-01T00:00:02Z") },
        ],
      },
    },
  });
  return { userId: user.id, conversationId: conversation.id };
}

describe("shares", () => {
  it("makes one unguessable link per conversation, showing only the title and the messages' text", async () => {
    const owner = await createConversation();
    expect(await getShare(owner)).toBeNull();
    const created = await createShare(owner);
    expect(created?.isNew).toBe(true);
    const id = created?.share.id ?? "";
    expect(shareIdSchema.safeParse(id).success).toBe(true);
    // Asked again (or twice at once), it is the same link.
    const again = await Promise.all([createShare(owner), createShare(owner)]);
    expect(again.map((result) => result?.share.id)).toEqual([id, id]);
    expect(await getShare(owner)).toMatchObject({ id });

    expect(await getSharedConversation({ shareId: id })).toEqual({
      title: "Shared chat",
      messages: [
        { role: "user", content: "hello" },
        { role: "assistant", content: "Echo: hello" },
      ],
    });
  });

  it("is the owner's alone to make, see and revoke", async () => {
    const owner = await createConversation();
    const other = await createConversation();
    const { share } = (await createShare(owner)) ?? { share: null };
    const theirs = { conversationId: owner.conversationId, userId: other.userId };
    expect(await createShare(theirs)).toBeNull();
    expect(await getShare(theirs)).toBeUndefined();
    expect(await deleteShare(theirs)).toBe(false);
    expect(await getSharedConversation({ shareId: share?.id ?? "" })).not.toBeNull();
  });

  it("is not found once revoked, once its conversation is deleted, or once its owner is disabled", async () => {
    const revoked = await createConversation();
    const first = (await createShare(revoked))?.share.id ?? "";
    expect(await deleteShare(revoked)).toBe(true);
    expect(await getSharedConversation({ shareId: first })).toBeNull();
    // Sharing again makes a new link; the old one stays dead.
    const second = (await createShare(revoked))?.share.id ?? "";
    expect(second).not.toBe(first);
    expect(await getSharedConversation({ shareId: first })).toBeNull();

    const deleted = await createConversation();
    const gone = (await createShare(deleted))?.share.id ?? "";
    await prisma.conversation.delete({ where: { id: deleted.conversationId } });
    expect(await getSharedConversation({ shareId: gone })).toBeNull();
    expect(await prisma.share.count({ where: { id: gone } })).toBe(0);

    const disabled = await createConversation();
    const hidden = (await createShare(disabled))?.share.id ?? "";
    await prisma.user.update({ where: { id: disabled.userId }, data: { disabledAt: new Date() } });
    expect(await getSharedConversation({ shareId: hidden })).toBeNull();
  });
});
