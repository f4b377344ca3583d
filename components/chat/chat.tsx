"use client";

import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport } from "ai";
import { useEffect, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { type ChatUIMessage, messageText } from "@/lib/ai/ui-message";
import type { ExchangeRate } from "@/lib/billing/cost";
import type { ModelPrice } from "@/lib/billing/prices";
import { AppError } from "@/lib/errors";
import { titleFromMessage } from "@/lib/validations";
import { Composer } from "./composer";
import { CostMeter, type MeterBudget, type MeterChat } from "./cost-meter";
import { announceConversationsChanged } from "./events";
import { MessageItem } from "./message-item";
import { promptHistory, usePromptEstimate } from "./use-prompt-estimate";

type Props = {
  conversationId: string;
  title?: string;
  initialMessages: ChatUIMessage[];
  models: string[];
  model: string;
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

export function Chat({
  conversationId,
  title: initialTitle,
  initialMessages,
  models,
  model: initialModel,
  prices,
  maxOutputTokens,
  currency,
  budget: initialBudget,
  chatSpend: initialChatSpend,
}: Props) {
  const [budget, setBudget] = useState(initialBudget);
  const [chatSpend, setChatSpend] = useState(initialChatSpend);
  const [draft, setDraft] = useState("");
  const [title, setTitle] = useState(initialTitle);
  const [model, setModel] = useState(initialModel);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const modelRef = useRef(model);
  modelRef.current = model;
  const lastSent = useRef("");

  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChatUIMessage>({
        api: "/api/chat",
        // The server keeps the history; we send only the new message (or ask to retry the last one).
        prepareSendMessagesRequest: ({ messages, trigger }) => {
          const last = messages[messages.length - 1];
          return {
            body:
              trigger === "regenerate-message"
                ? { conversationId, model: modelRef.current, retry: true }
                : { conversationId, model: modelRef.current, text: last ? messageText(last) : "" },
          };
        },
      }),
    [conversationId],
  );

  const { messages, sendMessage, regenerate, stop, status, error, setMessages, clearError } = useChat<ChatUIMessage>({
    id: conversationId,
    messages: initialMessages,
    transport,
    onFinish: () => {
      announceConversationsChanged();
      void refreshMeter();
    },
    onError: (failure) => {
      const appError = AppError.fromText(failure.message);
      if (appError) {
        // Refused before anything was stored: drop the optimistic message and give the text back.
        setMessages((list) => {
          const lastUser = list.findLastIndex((m) => m.role === "user");
          return lastUser >= 0 ? list.slice(0, lastUser) : list;
        });
        setDraft((current) => current || lastSent.current);
        setTitle(initialTitle);
        setRefusal({ message: appError.message });
        clearError();
      } else {
        announceConversationsChanged();
      }
      void refreshMeter();
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

  const history = useMemo(() => promptHistory(messages), [messages]);
  const estimate = usePromptEstimate({ model, history, draft });
  const pricing = prices[model] ?? { price: null, label: null };

  const isBusy = status === "submitted" || status === "streaming";
  const bottom = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: follow the stream as messages grow.
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "end" });
  }, [messages]);

  function send() {
    const text = draft;
    lastSent.current = text;
    setDraft("");
    setRefusal(null);
    if (!title) setTitle(titleFromMessage(text));
    if (window.location.pathname !== `/c/${conversationId}`) {
      window.history.replaceState(null, "", `/c/${conversationId}`);
    }
    void sendMessage({ text });
  }

  // A stored failed reply (after a reload) or a failure of this session's stream.
  const lastMessage = messages[messages.length - 1];
  const storedFailure =
    lastMessage?.role === "assistant" && lastMessage.metadata?.status === "error" ? lastMessage.metadata.error : null;
  // An error the server refused with (JSON body) is shown as the refusal notice, not as a failed reply.
  const failure = error && !AppError.fromText(error.message) ? error.message : storedFailure;
  const visibleMessages = messages.filter(
    (m) => !(m.role === "assistant" && m.metadata?.status === "error" && !messageText(m)),
  );

  return (
    <div className="flex h-full">
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center gap-3 border-b border-zinc-200 px-4 py-3">
          <h1 className="truncate text-sm font-medium text-zinc-700">{title ?? "New chat"}</h1>
        </header>
        <div className="flex-1 overflow-y-auto" aria-live="polite">
          <div className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-6">
            {messages.length === 0 ? (
              <div className="py-24 text-center">
                <h2 className="text-2xl font-semibold">What can I help with?</h2>
                <p className="mt-2 text-sm text-zinc-500">Every reply shows the tokens it used.</p>
              </div>
            ) : null}
            {visibleMessages.map((message, index) => (
              <MessageItem
                key={message.id}
                message={message}
                isStreaming={isBusy && index === visibleMessages.length - 1 && message.role === "assistant"}
                currency={currency}
              />
            ))}
            {status === "submitted" && lastMessage?.role === "user" ? (
              <p className="animate-pulse text-zinc-400">Thinking…</p>
            ) : null}
            {failure && !isBusy ? (
              <div role="alert" className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
                <p>{failure}</p>
                <Button
                  variant="secondary"
                  className="mt-2"
                  onClick={() => {
                    clearError();
                    void regenerate();
                  }}
                >
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
            <div ref={bottom} />
          </div>
        </div>
        <Composer
          value={draft}
          onChange={setDraft}
          onSend={send}
          onStop={() => void stop()}
          isBusy={isBusy}
          models={models}
          model={model}
          onModelChange={setModel}
        />
      </div>
      <div className="hidden lg:flex">
        <CostMeter
          budget={budget}
          chat={chatSpend}
          model={model}
          price={pricing.price}
          priceLabel={pricing.label}
          nextPromptTokens={estimate.promptTokens}
          isCounting={estimate.isCounting}
          isKnownEncoding={estimate.isKnownEncoding ?? true}
          maxOutputTokens={maxOutputTokens}
          currency={currency}
        />
      </div>
    </div>
  );
}
