// The message shape shared by the chat API stream and the browser (useChat). Safe on the client.
import type { UIMessage } from "ai";
import type { BudgetStanding } from "@/lib/billing/budget";

export type ChatMessageMetadata = {
  /** Database id of the stored message. */
  id?: string;
  model?: string;
  status?: "complete" | "stopped" | "error";
  error?: string | null;
  promptTokens?: number | null;
  completionTokens?: number | null;
  cachedTokens?: number | null;
  reasoningTokens?: number | null;
  /** What the reply cost, from its ledger entry. Absent when nothing was spent (the upstream refused the call). */
  cost?: MessageCost;
  /** The meter as it stands once this reply is settled (only on the stream's last metadata, never stored). */
  meter?: MeterState;
};

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

export function messageText(message: ChatUIMessage): string {
  return message.parts.map((part) => (part.type === "text" ? part.text : "")).join("");
}
