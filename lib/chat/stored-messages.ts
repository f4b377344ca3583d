import "server-only";
import { describePrice, entryPrice } from "@/lib/billing/prices";
import type { StoredMessage } from "@/lib/db/conversations";
import type { ChatMessageMetadata, ChatUIMessage } from "./ui-message";

export function storedCost(entry: StoredMessage["ledgerEntry"]): ChatMessageMetadata["cost"] {
  if (!entry || entry.status === "released") return undefined;
  // The price this message was charged at, from the entry's own copy: history never changes with prices.
  const price = entryPrice(entry);
  return {
    micros: Number(entry.costMicros),
    promptTokens: entry.promptTokens,
    completionTokens: entry.completionTokens,
    isEstimated: entry.isEstimated,
    isUnpriced: entry.isUnpriced,
    price: price ? describePrice(price) : null,
  };
}

/** A stored message as the chat UI shows it. */
export function toUIMessage(message: StoredMessage): ChatUIMessage {
  return {
    id: message.id,
    role: message.role === "user" ? "user" : "assistant",
    parts: message.content ? [{ type: "text", text: message.content }] : [],
    metadata:
      message.role === "user"
        ? undefined
        : {
            id: message.id,
            model: message.model ?? undefined,
            status: message.status as ChatMessageMetadata["status"],
            error: message.error,
            promptTokens: message.promptTokens,
            completionTokens: message.completionTokens,
            cachedTokens: message.cachedTokens,
            reasoningTokens: message.reasoningTokens,
            cost: storedCost(message.ledgerEntry),
          },
  };
}

/** A stored message for the JSON API: plain values only (the ledger's BigInt amounts become the cost summary). */
export function toMessageJson({ ledgerEntry, ...message }: StoredMessage) {
  return { ...message, cost: storedCost(ledgerEntry) ?? null };
}
