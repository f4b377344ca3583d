import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { prepareOwnTestDatabase } from "@/test/database";

// Real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test runs both). A database of its
// own: guests must not count as sign-ups, which depends on every row of the user table.
const database = await prepareOwnTestDatabase("channels");
const { prisma } = await import("./client");
const channels = await import("./channels");
const users = await import("./users");
const { newInviteToken } = await import("@/lib/accounts/invites");

afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

const telegram = "telegram" as const;
const newUser = () => prisma.user.create({ data: { email: `u-${randomUUID()}@example.test` }, select: { id: true } });
const telegramId = () => String(1_000_000_000 + Math.floor(Math.random() * 1_000_000_000));

async function linkToken(userId: string, now = new Date()) {
  const { token, tokenHash } = newInviteToken();
  await channels.createChannelLinkToken({ channel: telegram, userId, tokenHash, now });
  return { token, tokenHash };
}

describe("linking a Telegram account", () => {
  it("links with a fresh token, once: of redemptions at the same moment exactly one links", async () => {
    const user = await newUser();
    const { tokenHash } = await linkToken(user.id);
    const ids = Array.from({ length: 6 }, telegramId);
    const results = await Promise.all(
      ids.map((externalId) =>
        channels.redeemChannelLinkToken({ channel: telegram, tokenHash, externalId, displayName: "@someone" }),
      ),
    );
    const winners = results.flatMap((result, index) => (result ? [ids[index]] : []));
    expect(winners).toHaveLength(1);
    const account = await channels.getChannelAccountOf({ channel: telegram, userId: user.id });
    expect(account?.externalId).toBe(winners[0]);
    expect(await channels.getChannelUser({ channel: telegram, externalId: winners[0] ?? "" })).toMatchObject({
      userId: user.id,
      isGuest: false,
    });
  });

  it("refuses an expired token, an unknown one, and one made for another channel's account", async () => {
    const user = await newUser();
    const past = new Date(Date.now() - channels.LINK_TOKEN_TTL_MS - 1_000);
    const expired = await linkToken(user.id, past);
    const redeem = (tokenHash: string) =>
      channels.redeemChannelLinkToken({ channel: telegram, tokenHash, externalId: telegramId(), displayName: null });
    expect(await redeem(expired.tokenHash)).toBeNull();
    expect(await redeem(newInviteToken().tokenHash)).toBeNull();
    expect(await channels.getChannelAccountOf({ channel: telegram, userId: user.id })).toBeNull();
  });

  it("keeps only the newest token of a user, and moves an account linked elsewhere to the new user", async () => {
    const [first, second] = [await newUser(), await newUser()];
    const older = await linkToken(first.id);
    const newer = await linkToken(first.id);
    const externalId = telegramId();
    const redeem = (tokenHash: string) =>
      channels.redeemChannelLinkToken({ channel: telegram, tokenHash, externalId, displayName: null });
    expect(await redeem(older.tokenHash)).toBeNull();
    expect(await redeem(newer.tokenHash)).toEqual({ userId: first.id });
    expect(await redeem((await linkToken(second.id)).tokenHash)).toEqual({ userId: second.id });
    expect(await channels.getChannelAccountOf({ channel: telegram, userId: first.id })).toBeNull();
    expect((await channels.getChannelUser({ channel: telegram, externalId }))?.userId).toBe(second.id);
    expect(await channels.deleteChannelAccount({ channel: telegram, userId: second.id })).toBe(true);
    expect(await channels.getChannelUser({ channel: telegram, externalId })).toBeNull();
  });

  it("acts as nobody once the user is disabled", async () => {
    const user = await newUser();
    const externalId = telegramId();
    const { tokenHash } = await linkToken(user.id);
    await channels.redeemChannelLinkToken({ channel: telegram, tokenHash, externalId, displayName: null });
    await prisma.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await channels.getChannelUser({ channel: telegram, externalId })).toBeNull();
  });
});

describe("guests", () => {
  it("get one user each, made once even when their first messages arrive together, with the guest budget", async () => {
    const externalId = telegramId();
    const made = await Promise.all(
      Array.from({ length: 4 }, () =>
        channels.getOrCreateGuestUser({ channel: telegram, externalId, displayName: "Guest", budgetMicros: 500_000 }),
      ),
    );
    expect(new Set(made).size).toBe(1);
    const guestId = made[0] ?? "";
    expect(await prisma.user.findUniqueOrThrow({ where: { id: guestId } })).toMatchObject({
      isGuest: true,
      budgetMode: "limited",
      monthlyBudgetMicros: 500_000n,
      passwordHash: null,
    });
    // The operator lowers the guest budget: the guest follows.
    await channels.getOrCreateGuestUser({ channel: telegram, externalId, displayName: "Guest", budgetMicros: 100_000 });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: guestId } })).monthlyBudgetMicros).toBe(100_000n);
    // Disabled by an administrator: no guest any more, and no new one in its place.
    await prisma.user.update({ where: { id: guestId }, data: { disabledAt: new Date() } });
    const guest = { channel: telegram, externalId, displayName: "Guest", budgetMicros: 100_000 };
    expect(await channels.getOrCreateGuestUser(guest)).toBeNull();
  });

  it("are never made for an account linked to a user, even a disabled one", async () => {
    const user = await newUser();
    const externalId = telegramId();
    const { tokenHash } = await linkToken(user.id);
    await channels.redeemChannelLinkToken({ channel: telegram, tokenHash, externalId, displayName: null });
    await prisma.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    const guest = { channel: telegram, externalId, displayName: null, budgetMicros: 100_000 };
    expect(await channels.getOrCreateGuestUser(guest)).toBeNull();
  });

  it("are not sign-ups: the first person to sign up on a server with only guests is its administrator", async () => {
    await prisma.user.deleteMany({ where: { isGuest: false } });
    await channels.getOrCreateGuestUser({
      channel: telegram,
      externalId: telegramId(),
      displayName: null,
      budgetMicros: 1,
    });
    const created = await users.createUser({
      user: { email: `admin-${randomUUID()}@example.test`, passwordHash: "x" },
      via: "password",
      policy: { mode: "closed", adminEmails: [], maxPerHour: 1 },
    });
    expect(created?.role).toBe("admin");
  });
});

describe("delivered updates", () => {
  it("are handled once: of the same update delivered several times at once, one is new", async () => {
    const updateId = String(Math.floor(Math.random() * 1e12));
    const results = await Promise.all(
      Array.from({ length: 5 }, () => channels.recordChannelUpdate({ channel: telegram, updateId })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await channels.recordChannelUpdate({ channel: telegram, updateId })).toBe(false);
  });
});

describe("a chat's conversation and model", () => {
  it("is kept per chat and user, and cleared by /new", async () => {
    const user = await newUser();
    const chat = { channel: telegram, chatId: "-100123", userId: user.id };
    expect(await channels.getChannelChat(chat)).toBeNull();
    await channels.updateChannelChat({ ...chat, conversationId: "c1" });
    await channels.updateChannelChat({ ...chat, model: "gpt-4o" });
    expect(await channels.getChannelChat(chat)).toEqual({ conversationId: "c1", model: "gpt-4o" });
    await channels.updateChannelChat({ ...chat, conversationId: null });
    expect(await channels.getChannelChat(chat)).toEqual({ conversationId: null, model: "gpt-4o" });
  });
});
