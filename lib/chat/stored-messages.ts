import "server-only";
import { describeRates, entryRates } from "@/lib/billing/prices";
import type { StoredMessage } from "@/lib/db/conversations";
import {
  type ChatMessageMetadata,
  type ChatUIMessage,
  type ImageUnits,
  type MessagePage,
  sumCosts,
  sumTokens,
} from "./ui-message";

export function storedCost(entry: StoredMessage["ledgerEntry"]): ChatMessageMetadata["cost"] {
  if (!entry || entry.status === "released") return undefined;
  // The prices this message was charged at, from the entry's own copies (an image reply's are per image or per image
  // token): history never changes with prices.
  const rates = entryRates(entry);
  return {
    micros: Number(entry.costMicros),
    promptTokens: entry.promptTokens,
    completionTokens: entry.completionTokens,
    isEstimated: entry.isEstimated,
    isUnpriced: entry.isUnpriced,
    price: rates ? describeRates(rates) : null,
  };
}

/** An image reply's billed units, from its ledger entry (none when the call was released: nothing billed). */
function imageUnits(entry: StoredMessage["ledgerEntry"]): ImageUnits | undefined {
  if (!entry || entry.status === "released") return undefined;
  return {
    count: entry.images,
    variant: entry.imageVariant,
    textTokens: entry.promptTokens,
    imageInputTokens: entry.imageInputTokens,
    imageOutputTokens: entry.imageOutputTokens,
  };
}

/**
 * A branch's stored messages grouped as the chat shows them: a reply and the continuations after it are one message
 * (the first part's id, the parts' text joined, their costs summed).
 */
export function groupReplies(branch: StoredMessage[]): StoredMessage[][] {
  const groups: StoredMessage[][] = [];
  for (const message of branch) {
    const last = groups.at(-1);
    if (message.isContinuation && last?.[0]?.role === "assistant") last.push(message);
    else groups.push([message]);
  }
  return groups;
}

/** One group of stored messages (see groupReplies) as the chat UI shows it. */
export function toUIMessage(parts: StoredMessage[]): ChatUIMessage {
  const [head] = parts;
  const tail = parts.at(-1);
  if (!head || !tail) throw new Error("toUIMessage needs at least one message");
  const text = parts.map((part) => part.content).join("");
  const versions = head.versionIds.length > 1 ? head.versionIds : undefined;
  const files = parts.flatMap((part) =>
    part.files.map(({ id, mimeType, width, height }) => ({ id, mimeType, width, height })),
  );
  const media = {
    ...(files.length > 0 ? { files } : {}),
    ...(head.kind === "image" ? { kind: "image" as const, image: imageUnits(head.ledgerEntry) } : {}),
  };
  return {
    id: head.id,
    role: head.role === "user" ? "user" : "assistant",
    parts: text ? [{ type: "text", text }] : [],
    metadata:
      head.role === "user"
        ? { id: head.id, versions, ...media }
        : {
            ...media,
            id: tail.id,
            versions,
            model: tail.model ?? undefined,
            status: tail.status as ChatMessageMetadata["status"],
            error: tail.error,
            finishReason: tail.finishReason,
            promptTokens: sumTokens(parts.map((part) => part.promptTokens)),
            completionTokens: sumTokens(parts.map((part) => part.completionTokens)),
            cachedTokens: sumTokens(parts.map((part) => part.cachedTokens)),
            reasoningTokens: sumTokens(parts.map((part) => part.reasoningTokens)),
            cost: sumCosts(parts.map((part) => storedCost(part.ledgerEntry))),
          },
  };
}

/** A branch as the chat UI shows it. */
export function toUIMessages(branch: StoredMessage[]): ChatUIMessage[] {
  return groupReplies(branch).map(toUIMessage);
}

/** A page of a branch (lib/db getBranchPage) as the chat UI shows it. */
export function toUIPage(page: { messages: StoredMessage[]; hasOlder: boolean }): MessagePage {
  return { messages: toUIMessages(page.messages), hasOlder: page.hasOlder };
}

/** The message of the chat UI that holds the stored message `id` (a reply holds its continuations). */
export function uiMessageHolding(branch: StoredMessage[], id: string): ChatUIMessage | undefined {
  const group = groupReplies(branch).find((parts) => parts.some((part) => part.id === id));
  return group ? toUIMessage(group) : undefined;
}

/** A stored message for the JSON API: plain values only (the ledger's BigInt amounts become the cost summary). */
export function toMessageJson({ ledgerEntry, ...message }: StoredMessage) {
  return { ...message, cost: storedCost(ledgerEntry) ?? null };
}
