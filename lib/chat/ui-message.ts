// The message shape shared by the chat API stream and the browser (useChat). Safe on the client.
import type { UIMessage } from "ai";
import type { BudgetStanding } from "@/lib/billing/budget";

export type ChatMessageMetadata = {
  /** Database id of the stored message (of a continued reply: its last part, the one a Stop leaves to read). */
  id?: string;
  /** Ids of this message's versions, oldest first (a regenerated reply, an edited user message); absent for one. */
  versions?: string[];
  /** A reply's: the user message it answers, as stored (the browser's copy of it takes this id and these versions). */
  userMessage?: { id: string; versions?: string[] };
  /** Why the upstream ended the reply: "length" when it reached the output limit, so it can be continued. */
  finishReason?: string | null;
  model?: string;
  status?: "complete" | "stopped" | "error";
  /** Older messages left out of this reply's request to fit the context window ("keep the last N tokens"). */
  omittedMessages?: number;
  error?: string | null;
  promptTokens?: number | null;
  completionTokens?: number | null;
  cachedTokens?: number | null;
  reasoningTokens?: number | null;
  /**
   * What the reply cost, from its ledger entries (a continued reply: the sum of its parts'). Absent when nothing was
   * spent (the upstream refused the call).
   */
  cost?: MessageCost;
  /** The meter as it stands once this reply is settled (only on the stream's last metadata, never stored). */
  meter?: MeterState;
  /** "image": a reply whose answer is generated images (`files`); text replies leave it out. */
  kind?: "image";
  /** Images of the message: a reply's generated images, a user message's attachments (served by /api/files/<id>). */
  files?: MessageFile[];
  /** An image reply's units as billed (its ledger entry); absent for text and for a failure that cost nothing. */
  image?: ImageUnits;
};

/** What an image call was billed in: the images and their "<size>/<quality>", the prompt's and the images' tokens. */
export type ImageUnits = {
  count: number;
  variant: string | null;
  textTokens: number;
  imageInputTokens: number;
  imageOutputTokens: number;
};

/** A stored file as a message shows it: never its bytes, which GET /api/files/<id> serves to its owner. */
export type MessageFile = { id: string; mimeType: string; width: number | null; height: number | null };

/** The month against the budget, as the meter shows it. */
export type MeterBudget = BudgetStanding;

/** One chat's totals. */
export type MeterChat = {
  promptTokens: number;
  completionTokens: number;
  costMicros: number;
  hasEstimated: boolean;
  hasUnpriced: boolean;
};

/** The cost meter's figures; `chat` is null for a chat not stored yet. */
export type MeterState = { budget: MeterBudget; chat: MeterChat | null };

export type MessageCost = {
  /** micro-USD; 0 and isUnpriced when the model has no known price. */
  micros: number;
  /** The billed (or, when isEstimated, our estimated) token counts. */
  promptTokens: number;
  completionTokens: number;
  isEstimated: boolean;
  isUnpriced: boolean;
  /** "gpt-5-mini: $0.25 / 1M input, … prices of 2025-08-07", for the tooltip. */
  price: string | null;
};

export type ChatUIMessage = UIMessage<ChatMessageMetadata>;

/** A page of a conversation's branch as the chat shows it (the latest, or the one before a message shown). */
export type MessagePage = {
  messages: ChatUIMessage[];
  /** Older messages remain before these: the chat loads them when the reader scrolls up. */
  hasOlder: boolean;
};

export function messageText(message: ChatUIMessage): string {
  return message.parts.map((part) => (part.type === "text" ? part.text : "")).join("");
}

/** What a reply and its continuations cost together: integer micro-USD and tokens summed, flags of any part. */
export function sumCosts(costs: (MessageCost | undefined)[]): MessageCost | undefined {
  const known = costs.filter((cost): cost is MessageCost => cost !== undefined);
  if (known.length === 0) return undefined;
  return {
    micros: known.reduce((sum, cost) => sum + cost.micros, 0),
    promptTokens: known.reduce((sum, cost) => sum + cost.promptTokens, 0),
    completionTokens: known.reduce((sum, cost) => sum + cost.completionTokens, 0),
    isEstimated: known.some((cost) => cost.isEstimated),
    isUnpriced: known.some((cost) => cost.isUnpriced),
    price: known.at(-1)?.price ?? null,
  };
}

/** Tokens reported for a reply's parts, summed; null when a part has none reported. */
export function sumTokens(counts: (number | null | undefined)[]): number | null {
  let sum = 0;
  for (const count of counts) {
    if (count === null || count === undefined) return null;
    sum += count;
  }
  return sum;
}
