"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import type { ExchangeRate } from "@/lib/billing/money";
import type { ModelPrice } from "@/lib/billing/prices";
import type { ChatUIMessage } from "@/lib/chat/ui-message";
import { pageTitle } from "@/lib/page-title";
import { titleFromMessage } from "@/lib/validations";
import { ChatActions } from "./chat-actions";
import { Composer } from "./composer";
import { CostMeter, type MeterBudget, type MeterChat } from "./cost-meter";
import { type Draft, useDraft, useDraftText } from "./draft";
import { onConversationRenamed } from "./events";
import type { MessageActions } from "./message-item";
import { MessageList } from "./message-list";
import { useChatTurn } from "./use-chat-turn";
import { useMeter } from "./use-meter";
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
  const draft = useDraft();
  const [title, setTitle] = useState(initialTitle);
  const [model, setModel] = useState(initialModel);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  // Said until the user sends with, or picks, another model.
  const [retiredNotice, setRetiredNotice] = useState(retiredModel ?? null);
  const lastSent = useRef("");
  const titleBeforeSend = useRef(initialTitle);
  const meter = useMeter({ conversationId, budget: initialBudget, chat: initialChatSpend });
  const turn = useChatTurn({
    conversationId,
    initialMessages,
    model,
    meter,
    // Refused before anything was stored: the text goes back to the box.
    onRefused: (message, kind) => {
      if (kind === "send") {
        draft.set(draft.get() || lastSent.current);
        setTitle(titleBeforeSend.current);
      }
      setRefusal({ message });
    },
  });
  const { messages, isBusy, failure } = turn;
  // One object for the chat's life, calling the turn's latest functions: the memoized messages never re-render for it.
  const latestTurn = useRef(turn);
  latestTurn.current = turn;
  const actions = useMemo<MessageActions>(
    () => ({
      regenerate: (id) => {
        setRefusal(null);
        latestTurn.current.regenerateReply(id);
      },
      continueReply: (id) => {
        setRefusal(null);
        latestTurn.current.continueReply(id);
      },
      edit: (id, text) => {
        setRefusal(null);
        latestTurn.current.editMessage(id, text);
      },
      showVersion: (id) => latestTurn.current.showVersion(id),
    }),
    [],
  );

  useEffect(() => {
    document.title = pageTitle(title);
  }, [title]);

  useEffect(() => onConversationRenamed(conversationId, setTitle), [conversationId]);

  const history = useMemo(() => promptHistory(messages), [messages]);
  const pricing = prices[model] ?? { price: null, label: null };

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
    turn.send(text);
  }

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
          isThinking={turn.isThinking}
          currency={currency}
          actions={actions}
        >
          {failure && !isBusy ? (
            <div role="alert" className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
              <p>{failure}</p>
              <Button variant="secondary" className="mt-2" onClick={turn.retry}>
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
          onStop={turn.stop}
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
          budget={meter.budget}
          chat={meter.chat}
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
