import "server-only";
import type { Channel } from "./channels";
import { prisma } from "./client";
import { isUniqueViolation } from "./users";

// A WeChat official account's answers to its messages (ChannelReply; lib/channels/wechat/mp.ts): WeChat delivers a
// message up to three times while it waits for the answer. Each answer is written once and delivered once: the writes
// that could race (the answer arriving, the last delivery giving up waiting, two deliveries taking it) are each one
// conditional update, so exactly one of them wins.

/** How long an answer is kept: long enough for the user's next message to fetch it. */
const REPLY_MEMORY_MS = 7 * 24 * 3_600_000;

export type ReplyKey = { channel: Channel; key: string };

/**
 * Records a delivery of the message: true for its first (which writes the answer), false for WeChat's retries; the
 * number of deliveries so far either way.
 */
export async function recordReplyDelivery({
  channel,
  key,
  chatId,
  now = new Date(),
}: ReplyKey & { chatId: string; now?: Date }): Promise<{ isFirst: boolean; attempts: number }> {
  const id = `${channel}:${key}`;
  try {
    await prisma.channelReply.create({ data: { key: id, channel, chatId, createdAt: now } });
    if (Math.random() < 0.01) {
      await prisma.channelReply.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - REPLY_MEMORY_MS) } } });
    }
    return { isFirst: true, attempts: 1 };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const row = await prisma.channelReply.update({
    where: { key: id, chatId },
    data: { attempts: { increment: 1 } },
    select: { attempts: true },
  });
  return { isFirst: false, attempts: row.attempts };
}

/** The answer once written (null until then), and whether it was handed off or delivered. */
export async function getReply({ channel, key }: ReplyKey) {
  return prisma.channelReply.findUnique({
    where: { key: `${channel}:${key}` },
    select: { text: true, handedOffAt: true, deliveredAt: true },
  });
}

/** Stores the written answer; returns whether it had been handed off (no delivery is waiting for it). */
export async function storeReplyText({ channel, key, text }: ReplyKey & { text: string }): Promise<boolean> {
  const row = await prisma.channelReply.update({
    where: { key: `${channel}:${key}` },
    data: { text },
    select: { handedOffAt: true },
  });
  return row.handedOffAt !== null;
}

/** Takes the answer for delivery: true for exactly one caller (the delivery that sends it). */
export async function claimReply({ channel, key, now = new Date() }: ReplyKey & { now?: Date }): Promise<boolean> {
  const { count } = await prisma.channelReply.updateMany({
    where: { key: `${channel}:${key}`, deliveredAt: null },
    data: { deliveredAt: now },
  });
  return count === 1;
}

/**
 * Hands the answer off when it is not written yet (the last delivery stops waiting for it): true when handed off;
 * false when the answer is there after all (the caller delivers it).
 */
export async function handOffReply({ channel, key, now = new Date() }: ReplyKey & { now?: Date }): Promise<boolean> {
  const { count } = await prisma.channelReply.updateMany({
    where: { key: `${channel}:${key}`, text: null, deliveredAt: null },
    data: { handedOffAt: now },
  });
  return count === 1;
}

/**
 * The oldest handed-off answer of the chat still waiting to be delivered (kept for the user's next message), written
 * or not. Null when there is none.
 */
export async function getWaitingReply({ channel, chatId }: { channel: Channel; chatId: string }) {
  const row = await prisma.channelReply.findFirst({
    where: { channel, chatId, handedOffAt: { not: null }, deliveredAt: null },
    orderBy: { createdAt: "asc" },
    select: { key: true, text: true },
  });
  return row && { key: row.key.slice(channel.length + 1), text: row.text };
}

/** Stores an answer that is ready to go with the user's next message (the rest of one too long for a reply). */
export async function storeWaitingReply({
  channel,
  key,
  chatId,
  text,
  now = new Date(),
}: ReplyKey & { chatId: string; text: string; now?: Date }) {
  await prisma.channelReply.create({
    data: { key: `${channel}:${key}`, channel, chatId, text, handedOffAt: now, createdAt: now },
  });
}
