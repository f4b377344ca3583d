"use client";

import { useTranslations } from "next-intl";
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import type { ExchangeRate } from "@/lib/billing/money";
import type { ModelPrice } from "@/lib/billing/prices";
import type { ChatSettings } from "@/lib/chat/settings";
import type { ChatUIMessage } from "@/lib/chat/ui-message";
import { titleFromMessage } from "@/lib/message-rules";
import { pageTitle } from "@/lib/page-title";
import { cn } from "@/lib/utils";
import { AttachButton, AttachmentList, attachmentDropProps, useAttachments } from "./attachments";
import { Composer } from "./composer";
import type { MeterBudget, MeterChat } from "./cost-meter";
import { deferred } from "./deferred";
import { useDraft } from "./draft";
import { onConversationRenamed } from "./events";
import { type ImageModel, ImageOptions, ImagePending, ImageToggle, imagePromptOf, useImageMode } from "./image-mode";
import type { MessageActions } from "./message-item";
import { MessageList, preloadMessageParts } from "./message-list";
import { ReplyAnnouncer } from "./reply-announcer";
import { TOUCH_TARGET } from "./touch";
import { useChatTurn } from "./use-chat-turn";
import { preloadChatClient } from "./use-lazy-chat";
import { useMeter } from "./use-meter";
import { whenLoadedAndIdle } from "./when-idle";

// The cost meter's code (the figures' formatting, the budget bar, the estimate's loading) is not in the page's first
// load: the server's HTML of it stays until the page is idle, or the user types or sends (deferred.tsx).
const meterCode = () => import("./chat-cost-meter");
const meterDock = deferred(() => meterCode().then((module) => module.MeterDock), {
  fallback: <div className="w-full lg:w-72" />,
  isInteractive: true,
});
const DeferredMeterDock = meterDock.Deferred;
const NONE_ATTACHED: [] = [];

// A stored chat's Export and Share: a new chat has none until its first message (a page rendered with them keeps the
// server's HTML until they are there).
const ChatActions = lazy(() => import("./chat-actions").then((module) => ({ default: module.ChatActions })));

// Opened on demand: loaded on the first click, not with the page.
const ParametersPanel = lazy(() =>
  import("./parameters-panel").then((module) => ({ default: module.ParametersPanel })),
);

type Props = {
  conversationId: string;
  title?: string;
  /** The branch's latest page (a long conversation's older messages load as the reader scrolls up). */
  initialMessages: ChatUIMessage[];
  /** Older messages come before `initialMessages`. */
  hasOlderMessages?: boolean;
  /** A reply is being written (the page was reloaded, or the user came back meanwhile): the chat attaches to it. */
  isReplying?: boolean;
  models: string[];
  model: string;
  /** The model this chat used until now, when the operator no longer offers it (`model` is then the default). */
  retiredModel?: string;
  /** Price in force today per offered model (null: unpriced), with its tooltip text. */
  prices: Record<string, { price: ModelPrice | null; label: string | null }>;
  /** The picker's text per model: context window and prices. */
  modelLabels: Record<string, string>;
  /** The offered models that take attached images (docs/vision.md). */
  visionModels?: string[];
  /** The conversation's parameters as stored ({} for a new chat). */
  settings: ChatSettings;
  /** False for a new chat: its parameters are stored with its first message. */
  isStored?: boolean;
  /** The preset a new chat was started from, named in its header. */
  presetName?: string;
  /**
   * Where the conversation is held, when a messaging channel: its "via Telegram" badge for the header, rendered on the
   * server (source-mark.tsx's icons stay out of the chat's JavaScript).
   */
  sourceBadge?: React.ReactNode;
  currency: ExchangeRate | null;
  budget: MeterBudget;
  /** This chat's spend; null for a chat with no messages yet. */
  chatSpend: MeterChat | null;
  /** The image model and its prices, for the composer's Image mode. */
  image: ImageModel;
  /** What the chat shows while it has no messages (empty-chat.tsx). */
  emptyState?: React.ReactNode;
};

/** An error the server refused before storing anything (bad input, no API key…): the draft goes back to the box. */
type Refusal = { message: string };

// The draft lives outside this component's state (./draft.ts): this component renders every message, and a keystroke
// must not render it.
export function Chat({
  conversationId,
  title: initialTitle,
  initialMessages,
  hasOlderMessages = false,
  isReplying = false,
  models,
  model: initialModel,
  retiredModel,
  prices,
  modelLabels,
  visionModels = [],
  settings: initialSettings,
  isStored = true,
  presetName,
  sourceBadge,
  currency,
  budget: initialBudget,
  chatSpend: initialChatSpend,
  image,
  emptyState,
}: Props) {
  const t = useTranslations("chat");
  const tImages = useTranslations("images");
  const draft = useDraft();
  const [title, setTitle] = useState(initialTitle);
  const [model, setModel] = useState(initialModel);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [settings, setSettings] = useState(initialSettings);
  const [isPanelOpen, setIsPanelOpen] = useState(false);
  // Said until the user sends with, or picks, another model.
  const [retiredNotice, setRetiredNotice] = useState(retiredModel ?? null);
  const lastSent = useRef("");
  const attachments = useAttachments({ canAttach: visionModels.includes(model) });
  const lastSentFiles = useRef<NonNullable<ChatUIMessage["metadata"]>["files"]>([]);
  const titleBeforeSend = useRef(initialTitle);
  const meter = useMeter({ conversationId, budget: initialBudget, chat: initialChatSpend });
  // What sending and showing a reply need, left out of the page's first load: fetched once the page has loaded and is
  // idle, or as the user starts typing if that comes sooner. Not at the first key alone: evaluating the chat client
  // there (~100 ms) stalled typing.
  useEffect(() => {
    const preload = () => {
      preloadChatClient();
      preloadMessageParts();
      meterDock.preload();
    };
    const cancel = whenLoadedAndIdle(preload);
    // Once: the keys after the first have nothing to start.
    const unsubscribe = draft.subscribe(() => {
      if (draft.get().trim() === "") return;
      preload();
      unsubscribe();
    });
    return () => {
      cancel();
      unsubscribe();
    };
  }, [draft]);
  const turn = useChatTurn({
    conversationId,
    initialMessages,
    hasOlderMessages,
    isReplying,
    model,
    settings,
    meter,
    // Refused before anything was stored: the text goes back to the box.
    onRefused: (message, kind) => {
      if (kind === "send") {
        if (lastSentFiles.current?.length) attachments.restore(lastSentFiles.current);
        draft.set(draft.get() || lastSent.current);
        setTitle(titleBeforeSend.current);
      }
      setRefusal({ message });
    },
  });
  const imageMode = useImageMode({
    conversationId,
    chatModel: model,
    image,
    setMessages: turn.setMessages,
    onMeter: meter.apply,
    onRefused: (message, prompt) => {
      draft.set(draft.get() || prompt);
      setTitle(titleBeforeSend.current);
      setRefusal({ message });
    },
  });
  const { messages, failure } = turn;
  const isBusy = turn.isBusy || imageMode.isGenerating;
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

  const pricing = prices[model] ?? { price: null, label: null };

  function send(text: string) {
    lastSent.current = text;
    titleBeforeSend.current = title;
    draft.set("");
    setRefusal(null);
    setRetiredNotice(null);
    const imagePrompt = imagePromptOf(text, imageMode.isOn);
    if (!title) setTitle(titleFromMessage(imagePrompt ?? text));
    if (window.location.pathname !== `/c/${conversationId}`) {
      window.history.replaceState(null, "", `/c/${conversationId}`);
    }
    if (imagePrompt !== null) void imageMode.generate(imagePrompt);
    else {
      lastSentFiles.current = attachments.take();
      turn.send(text, lastSentFiles.current);
    }
  }

  return (
    // Below 1024 px one column (the inner column's `contents` makes its parts this one's items): the messages, then the
    // meter folded into a bar, then the composer. From 1024 px the meter is a column beside the chat.
    <div className="flex h-full max-lg:flex-col">
      <div className="flex min-w-0 flex-1 flex-col max-lg:contents">
        <header className="flex items-center gap-3 border-b border-zinc-200 px-4 py-3 max-lg:gap-1 max-lg:px-2 max-lg:py-1">
          <h1 className="truncate text-sm font-medium text-zinc-700">{title ?? t("newChat")}</h1>
          {presetName ? (
            <p className="truncate rounded-full bg-emerald-50 px-2.5 py-0.5 text-xs text-emerald-800">
              {t("preset", { name: presetName })}
            </p>
          ) : null}
          {sourceBadge}
          {title ? (
            <Suspense fallback={<div className="ml-auto" />}>
              <ChatActions conversationId={conversationId} />
            </Suspense>
          ) : null}
          <Button
            variant="ghost"
            className={cn("ml-auto shrink-0 py-1 text-xs", TOUCH_TARGET)}
            aria-expanded={isPanelOpen}
            onClick={() => setIsPanelOpen((open) => !open)}
          >
            {t("parameters")}
          </Button>
        </header>
        {isPanelOpen ? (
          <Suspense fallback={null}>
            <ParametersPanel
              key={model}
              model={model}
              settings={settings}
              conversationId={conversationId}
              isUnstored={!isStored && messages.length === 0}
              onSaved={setSettings}
              onClose={() => setIsPanelOpen(false)}
            />
          </Suspense>
        ) : null}
        <MessageList
          messages={messages}
          isBusy={isBusy}
          isThinking={turn.isThinking}
          currency={currency}
          actions={actions}
          hasOlder={turn.hasOlder}
          isLoadingOlder={turn.isLoadingOlder}
          onLoadOlder={turn.loadOlder}
          emptyState={emptyState}
          onPickExample={(text) => {
            draft.set(text);
            document.getElementById(COMPOSER_ID)?.focus();
          }}
        >
          <ReplyAnnouncer messages={messages} isBusy={isBusy} />
          {imageMode.pending ? <ImagePending count={imageMode.pending} /> : null}
          {failure && !isBusy ? (
            <div role="alert" className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
              <p>{failure}</p>
              {/* A failed image reply is asked for again from the composer (a retry would go to the chat model). */}
              {messages.at(-1)?.metadata?.kind === "image" ? null : (
                <Button variant="secondary" className={cn("mt-2", TOUCH_TARGET)} onClick={turn.retry}>
                  {t("retry")}
                </Button>
              )}
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
              {t("retiredModel", { retired: retiredNotice, model })}
            </p>
          ) : null}
        </MessageList>
        <Composer
          id={COMPOSER_ID}
          className="max-lg:order-2"
          draft={draft}
          onSend={send}
          onStop={turn.stop}
          isBusy={isBusy}
          models={models}
          modelLabels={modelLabels}
          model={model}
          onModelChange={(next) => {
            setModel(next);
            setRetiredNotice(null);
          }}
          voice={{ conversationId: isStored || messages.length > 0 ? conversationId : null, onCharged: meter.refresh }}
          attachments={{
            list: <AttachmentList attachments={attachments} model={model} />,
            button: <AttachButton attachments={attachments} model={model} />,
            formProps: attachmentDropProps(attachments),
          }}
          isSendBlocked={attachments.isUploading || (attachments.entries.length > 0 && !attachments.canAttach)}
          modeToggle={<ImageToggle mode={imageMode} disabled={isBusy} />}
          modeOptions={<ImageOptions mode={imageMode} draft={draft} disabled={isBusy} />}
          placeholder={imageMode.isOn ? tImages("placeholder") : undefined}
        />
      </div>
      <DeferredMeterDock
        conversationId={conversationId}
        hasOlder={turn.hasOlder}
        draft={draft}
        messages={messages}
        settings={settings}
        attached={attachments.canAttach ? attachments.files : NONE_ATTACHED}
        isVision={attachments.canAttach}
        budget={meter.budget}
        chat={meter.chat}
        model={model}
        price={pricing.price}
        priceLabel={pricing.label}
        currency={currency}
      />
    </div>
  );
}

/** The composer's text box, which an example prompt fills and focuses. */
const COMPOSER_ID = "composer";
