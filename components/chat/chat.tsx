"use client";

import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport } from "ai";
import { useEffect, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { type ChatUIMessage, messageText } from "@/lib/ai/ui-message";
import type { ExchangeRate } from "@/lib/billing/cost";
import type { ModelPrice } from "@/lib/billing/prices";
import { AppError } from "@/lib/errors";
import { pageTitle } from "@/lib/page-title";
import { titleFromMessage } from "@/lib/validations";
import { ChatActions } from "./chat-actions";
import { Composer } from "./composer";
import { CostMeter, type MeterBudget, type MeterChat } from "./cost-meter";
import { type Draft, useDraft, useDraftText } from "./draft";
import { announceConversationsChanged } from "./events";
import { isShownMessage, MessageList } from "./message-list";
import { type PromptMessage, promptHistory, usePromptEstimate } from "./use-prompt-estimate";

type Props = {
  conversationId: string;
  title?: string;
  initialMessages: ChatUIMessage[];
  models: string[];
  model: string;
  /** The model this chat used until now, when the operator no longer offers it (`model` is then the default). */
  retiredModel?: string;
  /** Price in force today per offered model (null: unpriced), with its tooltip text. */
  prices: Record<string, { price: ModelPrice | null; label: string | null }>;
  maxOutputTokens: number;
  currency: ExchangeRate | null;
  budget: MeterBudget;
  /** This chat's spend; null for a chat with no messages yet. */
  chatSpend: MeterChat | null;
};

/** An error the server refused before storing anything (bad input, no API key…): the draft goes back to the box. */
type Refusal = { message: string };

/** After Stop, how long to wait before each look for the stored reply (ms): the server stores it within moments. */
const STORED_REPLY_WAITS_MS = [100, 250, 500, 1_000, 2_000, 3_000, 5_000, 8_000, 10_000];

// The draft lives outside this component's state (./draft.ts): this component renders every message, and a keystroke
// must not render it.
export function Chat({
  conversationId,
  title: initialTitle,
  initialMessages,
  models,
  model: initialModel,
  retiredModel,
  prices,
  maxOutputTokens,
  currency,
  budget: initialBudget,
  chatSpend: initialChatSpend,
}: Props) {
  const [budget, setBudget] = useState(initialBudget);
  const [chatSpend, setChatSpend] = useState(initialChatSpend);
  const draft = useDraft();
  const [title, setTitle] = useState(initialTitle);
  const [model, setModel] = useState(initialModel);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  // Said until the user sends with, or picks, another model.
  const [retiredNotice, setRetiredNotice] = useState(retiredModel ?? null);
  const modelRef = useRef(model);
  modelRef.current = model;
  const lastSent = useRef("");
  const titleBeforeSend = useRef(initialTitle);
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
        // The server keeps the history; we send only the new message (or ask to retry the last one).
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
    onFinish: ({ message, isAbort }) => {
      void refreshMeter();
      if (isAbort) void showStoredReply(message);
    },
    onError: (failure) => {
      const appError = AppError.fromText(failure.message);
      if (!appError) return;
      // Refused before anything was stored: drop the optimistic message and give the text back.
      setMessages((list) => {
        const lastUser = list.findLastIndex((m) => m.role === "user");
        return lastUser >= 0 ? list.slice(0, lastUser) : list;
      });
      draft.set(draft.get() || lastSent.current);
      setTitle(titleBeforeSend.current);
      setRefusal({ message: appError.message });
      clearError();
    },
  });

  async function refreshMeter() {
    const response = await fetch(`/api/usage/summary?conversationId=${encodeURIComponent(conversationId)}`, {
      cache: "no-store",
    });
    if (!response.ok) {
      // A chat refused before its first message was stored does not exist yet: the month still updates.
      const month = await fetch("/api/usage/summary", { cache: "no-store" });
      if (month.ok) setBudget(((await month.json()) as { budget: MeterBudget }).budget);
      return;
    }
    const body = (await response.json()) as { budget: MeterBudget; chat: MeterChat | null };
    setBudget(body.budget);
    setChatSpend(body.chat);
  }

  /**
   * Stop cuts the stream that would have brought the reply's final metadata, and the server may have received a chunk
   * more than this browser: the reply is marked stopped at once, then replaced by the reply as stored, with its cost.
   */
  async function showStoredReply(reply: ChatUIMessage) {
    // Without its start (stopped before the server answered) the reply has no stored id to look for.
    if (!reply.metadata?.model) return;
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
        void refreshMeter();
        return;
      }
      if (response.status !== 404) {
        console.error(`[chat] reading the stopped reply ${reply.id} failed: ${response.status}`);
        return;
      }
    }
    console.error(`[chat] the stopped reply ${reply.id} was not stored in time; reload to see it`);
  }

  useEffect(() => {
    document.title = pageTitle(title);
  }, [title]);

  const history = useMemo(() => promptHistory(messages), [messages]);
  const pricing = prices[model] ?? { price: null, label: null };
  const isBusy = status === "submitted" || status === "streaming";

  function send(text: string) {
    lastSent.current = text;
    titleBeforeSend.current = title;
    draft.set("");
    setRefusal(null);
    setRetiredNotice(null);
    if (!title) setTitle(titleFromMessage(text));
    if (window.location.pathname !== `/c/${conversationId}`) {
      window.history.replaceState(null, "", `/c/${conversationId}`);
    }
    void sendMessage({ text });
  }

  function retry() {
    clearError();
    // regenerate() drops the last message when it is a reply; a failed reply that was charged is put back.
    const last = messages.at(-1);
    keptOnRetry.current = last?.role === "assistant" && isShownMessage(last) ? last : null;
    void regenerate();
  }

  // A stored failed reply (after a reload) or a failure of this session's stream.
  const lastMessage = messages[messages.length - 1];
  const storedFailure =
    lastMessage?.role === "assistant" && lastMessage.metadata?.status === "error" ? lastMessage.metadata.error : null;
  // An error the server refused with (JSON body) is shown as the refusal notice, not as a failed reply.
  const failure = error && !AppError.fromText(error.message) ? error.message : storedFailure;

  return (
    <div className="flex h-full">
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center gap-3 border-b border-zinc-200 px-4 py-3">
          <h1 className="truncate text-sm font-medium text-zinc-700">{title ?? "New chat"}</h1>
          {title ? <ChatActions conversationId={conversationId} /> : null}
        </header>
        <MessageList
          messages={messages}
          isBusy={isBusy}
          isThinking={status === "submitted" && lastMessage?.role === "user"}
          currency={currency}
        >
          {failure && !isBusy ? (
            <div role="alert" className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
              <p>{failure}</p>
              <Button variant="secondary" className="mt-2" onClick={retry}>
                Retry
              </Button>
            </div>
          ) : null}
          {refusal ? (
            <div
              role="alert"
              className="rounded-xl border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
            >
              {refusal.message}
            </div>
          ) : null}
          {retiredNotice ? (
            <p role="status" className="rounded-xl border border-zinc-200 bg-zinc-50 px-4 py-3 text-sm text-zinc-700">
              This chat used {retiredNotice}, which is no longer offered. New messages go to {model}; choose another
              model below if you prefer.
            </p>
          ) : null}
        </MessageList>
        <Composer
          draft={draft}
          onSend={send}
          onStop={() => void stop()}
          isBusy={isBusy}
          models={models}
          model={model}
          onModelChange={(next) => {
            setModel(next);
            setRetiredNotice(null);
          }}
        />
      </div>
      <div className="hidden lg:flex">
        <ChatCostMeter
          draft={draft}
          history={history}
          budget={budget}
          chat={chatSpend}
          model={model}
          price={pricing.price}
          priceLabel={pricing.label}
          maxOutputTokens={maxOutputTokens}
          currency={currency}
        />
      </div>
    </div>
  );
}

/** The cost meter, with the next message's estimate from the draft: it re-renders as the user types, the chat does not. */
function ChatCostMeter({
  draft,
  history,
  ...meter
}: { draft: Draft; history: readonly PromptMessage[] } & Omit<
  React.ComponentProps<typeof CostMeter>,
  "nextPromptTokens" | "isCounting" | "isKnownEncoding"
>) {
  const text = useDraftText(draft);
  const estimate = usePromptEstimate({ model: meter.model, history, draft: text });
  return (
    <CostMeter
      {...meter}
      nextPromptTokens={estimate.promptTokens}
      isCounting={estimate.isCounting}
      isKnownEncoding={estimate.isKnownEncoding ?? true}
    />
  );
}
