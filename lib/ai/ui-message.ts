// The message shape shared by the chat API stream and the browser (useChat). Safe on the client.
import type { UIMessage } from "ai";

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
};

export type ChatUIMessage = UIMessage<ChatMessageMetadata>;

type StoredMessageLike = {
  id: string;
  role: string;
  content: string;
  status: string;
  error: string | null;
  model: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  cachedTokens: number | null;
  reasoningTokens: number | null;
};

/** A stored message as the chat UI shows it. */
export function toUIMessage(message: StoredMessageLike): ChatUIMessage {
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
          },
  };
}

export function messageText(message: ChatUIMessage): string {
  return message.parts.map((part) => (part.type === "text" ? part.text : "")).join("");
}
