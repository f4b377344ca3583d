import "server-only";
import { AppError } from "@/lib/errors";
import { prisma } from "./client";

export type TurnInput = {
  userId: string;
  conversationId: string;
  model: string;
  /** The new user message; absent when retrying the last one. */
  text?: string;
  /** Title for a conversation this turn creates. */
  title: string;
};

/**
 * Opens a chat turn in one transaction: creates the conversation on its first message, stores the user's message
 * before anything is sent upstream (or, on retry, drops the failed replies after the last user message), and returns
 * the history to send. Another user's conversation id is a not_found, exactly like a missing one.
 */
export async function beginTurn({ userId, conversationId, model, text, title }: TurnInput) {
  return prisma.$transaction(async (tx) => {
    const existing = await tx.conversation.findUnique({ where: { id: conversationId } });
    if (existing && existing.userId !== userId) throw new AppError("not_found", "Conversation not found.");
    if (!existing && text === undefined) throw new AppError("not_found", "Conversation not found.");
    if (!existing) {
      await tx.conversation.create({ data: { id: conversationId, userId, title, model } });
    } else {
      await tx.conversation.update({ where: { id: conversationId }, data: { model, updatedAt: new Date() } });
    }

    if (text !== undefined) {
      await tx.message.create({ data: { conversationId, role: "user", content: text } });
    } else {
      const last = await tx.message.findFirst({
        where: { conversationId, status: { not: "error" } },
        orderBy: { createdAt: "desc" },
      });
      if (last?.role !== "user") {
        throw new AppError("bad_request", "Nothing to retry: the last message already has a reply.");
      }
      await tx.message.deleteMany({ where: { conversationId, status: "error", createdAt: { gte: last.createdAt } } });
    }

    return tx.message.findMany({
      where: { conversationId, status: { not: "error" } },
      orderBy: { createdAt: "asc" },
      select: { role: true, content: true },
    });
  });
}

export type AssistantMessageInput = {
  conversationId: string;
  content: string;
  status: "complete" | "stopped" | "error";
  error?: string;
  model: string;
  finishReason?: string;
  usage?: { promptTokens?: number; completionTokens?: number; cachedTokens?: number; reasoningTokens?: number };
};

export async function createAssistantMessage(input: AssistantMessageInput) {
  const { usage, ...rest } = input;
  const [message] = await prisma.$transaction([
    prisma.message.create({ data: { role: "assistant", ...rest, ...usage } }),
    prisma.conversation.update({ where: { id: input.conversationId }, data: { updatedAt: new Date() } }),
  ]);
  return message;
}
