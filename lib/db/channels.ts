import "server-only";
import type { CallSource } from "@/lib/billing/kinds";
import { prisma } from "./client";
import { isUniqueViolation } from "./users";

// Messaging channels' accounts, link tokens, chats and delivered updates (lib/channels). A channel account acts as the
// ChatLedger user it is linked to; every read here is by the channel's own ids, and every write names the user.

export type Channel = Exclude<CallSource, "web">;

/** How long a link from Settings stays usable. */
export const LINK_TOKEN_TTL_MS = 10 * 60_000;

export type ChannelUser = {
  userId: string;
  isGuest: boolean;
  /** The user's chosen interface language, if any (the bot's replies follow it before the app's own guess). */
  locale: string | null;
};

/** The active user a channel account acts as, or null (unlinked, or the user is disabled). */
export async function getChannelUser({
  channel,
  externalId,
}: {
  channel: Channel;
  externalId: string;
}): Promise<ChannelUser | null> {
  const account = await prisma.channelAccount.findUnique({
    where: { channel_externalId: { channel, externalId } },
    select: { user: { select: { id: true, isGuest: true, locale: true, disabledAt: true } } },
  });
  const user = account?.user;
  if (!user || user.disabledAt) return null;
  return { userId: user.id, isGuest: user.isGuest, locale: user.locale };
}

/** The account linked to this user on the channel, for Settings (guests have none to show). */
export function getChannelAccountOf({ channel, userId }: { channel: Channel; userId: string }) {
  return prisma.channelAccount.findUnique({
    where: { channel_userId: { channel, userId } },
    select: { externalId: true, displayName: true, linkedAt: true },
  });
}

/** Unlinks the user's account on the channel; its conversations stay theirs. Returns whether one was linked. */
export async function deleteChannelAccount({ channel, userId }: { channel: Channel; userId: string }) {
  const { count } = await prisma.channelAccount.deleteMany({ where: { channel, userId } });
  return count > 0;
}

/** Stores a new link token for the user (replacing their earlier ones on this channel). */
export async function createChannelLinkToken({
  channel,
  userId,
  tokenHash,
  now = new Date(),
}: {
  channel: Channel;
  userId: string;
  tokenHash: string;
  now?: Date;
}) {
  const expiresAt = new Date(now.getTime() + LINK_TOKEN_TTL_MS);
  await prisma.$transaction([
    prisma.channelLinkToken.deleteMany({ where: { OR: [{ userId, channel }, { expiresAt: { lt: now } }] } }),
    prisma.channelLinkToken.create({ data: { tokenHash, channel, userId, expiresAt, createdAt: now } }),
  ]);
  return { expiresAt };
}

/**
 * Links the channel account to the user whose unexpired token this is, consuming the token (single use: of two
 * redemptions at once, only the one that deletes it links). The account leaves any user it was linked to (a guest, or
 * another account of the same person), and the user leaves any account they had linked. Null: no such token.
 */
export async function redeemChannelLinkToken({
  channel,
  tokenHash,
  externalId,
  displayName,
  now = new Date(),
}: {
  channel: Channel;
  tokenHash: string;
  externalId: string;
  displayName: string | null;
  now?: Date;
}): Promise<{ userId: string } | null> {
  try {
    return await prisma.$transaction(async (tx) => {
      const token = await tx.channelLinkToken.findUnique({ where: { tokenHash } });
      if (!token || token.channel !== channel || token.expiresAt <= now) return null;
      const { count } = await tx.channelLinkToken.deleteMany({ where: { tokenHash } });
      if (count !== 1) return null;
      const user = await tx.user.findUnique({ where: { id: token.userId }, select: { disabledAt: true } });
      if (!user || user.disabledAt) return null;
      await tx.channelAccount.deleteMany({
        where: { channel, OR: [{ externalId }, { userId: token.userId }] },
      });
      await tx.channelAccount.create({
        data: { channel, externalId, userId: token.userId, displayName, linkedAt: now },
      });
      // The chats the account talked in start afresh on the linked account.
      await tx.channelChat.deleteMany({ where: { channel, userId: token.userId } });
      return { userId: token.userId };
    });
  } catch (error) {
    // The same account linked by another redemption at this instant.
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/**
 * The guest user of an unlinked channel account, made on its first message when the operator allows guests, with the
 * guest budget (kept equal to it, should the operator change it). No email anyone can use, no password. Null when the
 * account is linked to a user who is disabled, or is a guest an administrator disabled: they get nothing.
 */
export async function getOrCreateGuestUser({
  channel,
  externalId,
  displayName,
  budgetMicros,
}: {
  channel: Channel;
  externalId: string;
  displayName: string | null;
  budgetMicros: number;
}): Promise<string | null> {
  const budget = { budgetMode: "limited", monthlyBudgetMicros: BigInt(budgetMicros), isBudgetSetByAdmin: true };
  const existing = await prisma.channelAccount.findUnique({
    where: { channel_externalId: { channel, externalId } },
    select: { userId: true, user: { select: { isGuest: true, disabledAt: true } } },
  });
  if (existing) {
    if (!existing.user.isGuest || existing.user.disabledAt) return null;
    await prisma.user.updateMany({
      where: { id: existing.userId, isGuest: true, NOT: { monthlyBudgetMicros: budget.monthlyBudgetMicros } },
      data: budget,
    });
    return existing.userId;
  }
  try {
    const user = await prisma.user.create({
      data: {
        email: `${channel}-${externalId}@guest.invalid`,
        name: displayName,
        isGuest: true,
        ...budget,
        channelAccounts: { create: { channel, externalId, displayName } },
      },
      select: { id: true },
    });
    return user.id;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Made by a message handled at the same instant.
    const made = await prisma.channelAccount.findUniqueOrThrow({
      where: { channel_externalId: { channel, externalId } },
      select: { userId: true },
    });
    return made.userId;
  }
}

/** Where this user's messages in a channel chat go: the conversation they continue and the chosen model. */
export function getChannelChat({ channel, chatId, userId }: { channel: Channel; chatId: string; userId: string }) {
  return prisma.channelChat.findUnique({
    where: { channel_chatId_userId: { channel, chatId, userId } },
    select: { conversationId: true, model: true },
  });
}

/** Sets the chat's conversation (null: the next message starts a new one) and/or model. */
export async function updateChannelChat({
  channel,
  chatId,
  userId,
  conversationId,
  model,
}: {
  channel: Channel;
  chatId: string;
  userId: string;
  conversationId?: string | null;
  model?: string;
}) {
  await prisma.channelChat.upsert({
    where: { channel_chatId_userId: { channel, chatId, userId } },
    create: { channel, chatId, userId, conversationId: conversationId ?? null, model },
    update: { conversationId, model },
  });
}

/** How long a delivered update's id is kept: channels stop redelivering within hours (Telegram: a day at most). */
const UPDATE_MEMORY_MS = 48 * 3_600_000;

/**
 * Records a delivered update; false when it was delivered before (a retry), which must then be ignored. Old records
 * are pruned now and then, by the index on their time.
 */
export async function recordChannelUpdate({
  channel,
  updateId,
  now = new Date(),
}: {
  channel: Channel;
  updateId: string;
  now?: Date;
}): Promise<boolean> {
  try {
    await prisma.channelUpdate.create({ data: { key: `${channel}:${updateId}`, receivedAt: now } });
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
  if (Math.random() < 0.01) {
    await prisma.channelUpdate.deleteMany({
      where: { receivedAt: { lt: new Date(now.getTime() - UPDATE_MEMORY_MS) } },
    });
  }
  return true;
}
