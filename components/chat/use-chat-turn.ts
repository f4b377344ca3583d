"use client";

import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport } from "ai";
import { useMemo, useRef } from "react";
import { type ChatUIMessage, type MeterState, messageText } from "@/lib/chat/ui-message";
import { AppError } from "@/lib/errors";
import { announceConversationsChanged } from "./events";
import { isShownMessage } from "./message-list";

/** After Stop, how long to wait before each look for the stored reply (ms): the server stores it within moments. */
const STORED_REPLY_WAITS_MS = [100, 250, 500, 1_000, 2_000, 3_000, 5_000, 8_000, 10_000];

type Meter = { apply: (meter: MeterState) => void; refresh: () => Promise<void> };

/**
 * One chat's turns: sending a message, retrying a failed reply, stopping one, and the messages as they stream in. The
 * server keeps the history, so a request carries only the new message (or asks to retry the last one); each reply's
 * final metadata updates the meter. `onRefused` hears of a request the server refused before storing anything (bad
 * input, budget, no API key): the optimistic message is already gone again.
 */
export function useChatTurn({
  conversationId,
  initialMessages,
  model,
  meter,
  onRefused,
}: {
  conversationId: string;
  initialMessages: ChatUIMessage[];
  /** The model the next request goes to. */
  model: string;
  meter: Meter;
  onRefused: (message: string) => void;
}) {
  const modelRef = useRef(model);
  modelRef.current = model;
  // useChat keeps the callbacks it was first given: they read the latest ones through this.
  const latest = useRef({ meter, onRefused });
  latest.current = { meter, onRefused };
  /** The charged failed reply that a retry keeps in the chat (see retry below). */
  const keptOnRetry = useRef<ChatUIMessage | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: setMessages, from useChat below, is stable.
  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChatUIMessage>({
        api: "/api/chat",
        // The answer's headers arrive once the server admitted the turn (the conversation and the message are
        // stored): the sidebar shows a new chat, or moves this one up, before the reply even starts.
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (response.ok) announceConversationsChanged();
          return response;
        },
        prepareSendMessagesRequest: ({ messages, trigger }) => {
          const last = messages[messages.length - 1];
          if (trigger === "regenerate-message") {
            // useChat's regenerate has just dropped the failed reply; one that was charged stays in the chat (the
            // server keeps it too), ahead of the reply that is about to come.
            const kept = keptOnRetry.current;
            keptOnRetry.current = null;
            if (kept) setMessages([...messages, kept]);
            return { body: { conversationId, model: modelRef.current, retry: true } };
          }
          return { body: { conversationId, model: modelRef.current, text: last ? messageText(last) : "" } };
        },
      }),
    [conversationId],
  );

  const { messages, sendMessage, regenerate, stop, status, error, setMessages, clearError } = useChat<ChatUIMessage>({
    id: conversationId,
    messages: initialMessages,
    transport,
    // Also after an error: a failed reply carries the meter too; a refusal or a dropped connection does not.
    onFinish: ({ message, isAbort }) => {
      const state = message.metadata?.meter;
      if (isAbort) void showStoredReply(message);
      else if (state) latest.current.meter.apply(state);
      else void latest.current.meter.refresh();
    },
    onError: (failure) => {
      const appError = AppError.fromText(failure.message);
      if (!appError) return;
      // Refused before anything was stored: drop the optimistic message.
      setMessages((list) => {
        const lastUser = list.findLastIndex((m) => m.role === "user");
        return lastUser >= 0 ? list.slice(0, lastUser) : list;
      });
      clearError();
      latest.current.onRefused(appError.message);
    },
  });

  /**
   * Stop cuts the stream that would have brought the reply's final metadata, and the server may have received a chunk
   * more than this browser: the reply is marked stopped at once, then replaced by the reply as stored, with its cost.
   */
  async function showStoredReply(reply: ChatUIMessage) {
    // Without its start (stopped before the server answered) the reply has no stored id to look for.
    const { meter } = latest.current;
    if (!reply.metadata?.model) return void meter.refresh();
    setMessages((list) =>
      list.map((m) => (m.id === reply.id ? { ...m, metadata: { ...m.metadata, status: "stopped" } } : m)),
    );
    const url = `/api/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(reply.id)}`;
    for (const wait of STORED_REPLY_WAITS_MS) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      const response = await fetch(url, { cache: "no-store" });
      if (response.ok) {
        const { message } = (await response.json()) as { message: ChatUIMessage };
        setMessages((list) => list.map((m) => (m.id === message.id ? message : m)));
        return void meter.refresh();
      }
      if (response.status !== 404) {
        console.error(`[chat] reading the stopped reply ${reply.id} failed: ${response.status}`);
        return;
      }
    }
    console.error(`[chat] the stopped reply ${reply.id} was not stored in time; reload to see it`);
  }

  function send(text: string) {
    void sendMessage({ text });
  }

  function retry() {
    clearError();
    // regenerate() drops the last message when it is a reply; a failed reply that was charged is put back.
    const last = messages.at(-1);
    keptOnRetry.current = last?.role === "assistant" && isShownMessage(last) ? last : null;
    void regenerate();
  }

  const lastMessage = messages.at(-1);
  // A stored failed reply (after a reload) or a failure of this session's stream.
  const storedFailure =
    lastMessage?.role === "assistant" && lastMessage.metadata?.status === "error" ? lastMessage.metadata.error : null;
  // An error the server refused with (JSON body) is shown as the refusal notice, not as a failed reply.
  const failure = error && !AppError.fromText(error.message) ? error.message : storedFailure;

  return {
    messages,
    status,
    isBusy: status === "submitted" || status === "streaming",
    isThinking: status === "submitted" && lastMessage?.role === "user",
    failure: failure ?? null,
    send,
    retry,
    stop: () => void stop(),
  };
}
