import { DefaultChatTransport } from "ai";
import { type ChatSettings, settingsForModel } from "@/lib/chat/settings";
import { type ChatUIMessage, messageText } from "@/lib/chat/ui-message";
import { announceConversationsChanged } from "./events";

// How a turn's request is shaped: part of the chat client's chunk (chat-client.ts), loaded with it, not with the page.

/** The kind of turn a request is, besides sending a new message or retrying: sent as the request's body option. */
export type TurnOption = { turn: "regenerate" | "continue" | "edit"; messageId: string };

export type TurnKind = "send" | TurnOption["turn"] | "retry";

function isTurnOption(body: unknown): body is TurnOption {
  return typeof body === "object" && body !== null && "turn" in body && "messageId" in body;
}

/**
 * The transport of one chat's turns to /api/chat. A request carries only the new message or names the message it is
 * about (the server keeps the history), with the model and parameters in force when it is sent.
 */
export function createTurnTransport({
  conversationId,
  fetch: fetchTurn,
  current,
  onKind,
  takeKeptOnRetry,
  setMessages,
}: {
  conversationId: string;
  /** The turn's fetch (stop-turn.ts): Stop reaches a request the server has not answered yet. */
  fetch: typeof fetch;
  /** The model and the conversation's parameters now. */
  current: () => { model: string; settings: ChatSettings };
  /** Which kind of turn the request on its way is, for a refusal. */
  onKind: (kind: TurnKind) => void;
  /** The charged failed reply a retry keeps in the chat, if any (once). */
  takeKeptOnRetry: () => ChatUIMessage | null;
  setMessages: (messages: ChatUIMessage[]) => void;
}) {
  return new DefaultChatTransport<ChatUIMessage>({
    api: "/api/chat",
    // The answer's headers arrive once the server admitted the turn (the conversation and the message are stored):
    // the sidebar shows a new chat, or moves this one up, before the reply even starts.
    fetch: async (input, init) => {
      const response = await fetchTurn(input, init);
      if (response.ok && init?.method === "POST") announceConversationsChanged();
      return response;
    },
    prepareSendMessagesRequest: ({ messages, trigger, body }) => {
      const last = messages[messages.length - 1];
      const { model, settings } = current();
      // What the model takes of them: after switching models, the rest is not sent.
      const base = { conversationId, model, settings: settingsForModel({ settings, model }) };
      if (isTurnOption(body)) {
        onKind(body.turn);
        if (body.turn === "edit")
          return { body: { ...base, edit: body.messageId, text: last ? messageText(last) : "" } };
        return { body: { ...base, [body.turn]: body.messageId } };
      }
      if (trigger === "regenerate-message") {
        onKind("retry");
        // useChat's regenerate has just dropped the failed reply; one that was charged stays in the chat (the server
        // keeps it too), ahead of the reply that is about to come.
        const kept = takeKeptOnRetry();
        if (kept) setMessages([...messages, kept]);
        return { body: { ...base, retry: true } };
      }
      onKind("send");
      const attachments = last?.metadata?.files?.map((file) => file.id);
      return {
        body: { ...base, text: last ? messageText(last) : "", ...(attachments?.length ? { attachments } : {}) },
      };
    },
  });
}
