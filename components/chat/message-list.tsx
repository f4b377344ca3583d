"use client";

import { useTranslations } from "next-intl";
import { lazy, memo, Suspense, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { ExchangeRate } from "@/lib/billing/money";
import { type ChatUIMessage, messageText } from "@/lib/chat/ui-message";
import { cn } from "@/lib/utils";
import { EXAMPLE_PROMPT_ATTRIBUTE } from "./example-prompt";
import type { MessageActions } from "./message-item";
import { TOUCH_TARGET } from "./touch";

// A new chat shows no message at first: the message component (with its Markdown) loads with the first one, or
// earlier as the user types (preloadMessageParts). A page rendered with messages keeps the server's HTML until then.
const loadMessageItem = () => import("./message-item");
const MessageItem = lazy(() => loadMessageItem().then((module) => ({ default: module.MessageItem })));

/** Loads what showing messages needs (the message component, Markdown), so the first message waits for nothing. */
export function preloadMessageParts() {
  loadMessageItem().then(
    (module) => module.preloadMarkdown(),
    () => {
      // The first message shown loads it again (and React reports it if that fails too).
    },
  );
}

/** Within this distance of the bottom the reader counts as there, and the view follows a streaming reply again. */
const AT_BOTTOM_PX = 32;
/** Within this distance of the top, the page of older messages is asked for (before the reader reaches the top). */
const LOAD_OLDER_PX = 800;

/**
 * A failed reply with neither text nor a cost (the provider refused it) is not shown: the chat's alert says what
 * happened. One that was charged stays, so its cost is explained beside it.
 */
export function isShownMessage(message: ChatUIMessage): boolean {
  if (message.role !== "assistant" || message.metadata?.status !== "error") return true;
  return messageText(message) !== "" || message.metadata.cost !== undefined;
}

type Props = {
  messages: ChatUIMessage[];
  /** A reply is on its way: the last assistant message is still streaming. */
  isBusy: boolean;
  /** Sent, and no reply has started yet. */
  isThinking: boolean;
  currency: ExchangeRate | null;
  actions: MessageActions;
  /** Older messages of the conversation are not loaded yet; `onLoadOlder` puts the page before the first above it. */
  hasOlder?: boolean;
  isLoadingOlder?: boolean;
  onLoadOlder?: () => void;
  /** What a chat without messages shows (empty-chat.tsx, rendered on the server). */
  emptyState?: React.ReactNode;
  /** An example prompt of the empty chat was picked: it goes into the composer. */
  onPickExample?: (text: string) => void;
  /** Shown after the messages (the failure and refusal notices). */
  children?: React.ReactNode;
};

/**
 * The first message (partly) in view, and where its top edge is: what the reader is looking at. Messages are in
 * order top to bottom, so a binary search finds it among a thousand in a few reads of the layout.
 */
function firstInView(scroller: HTMLElement): { id: string; offset: number } | null {
  const top = scroller.getBoundingClientRect().top;
  const messages = scroller.querySelectorAll<HTMLElement>("[data-message-id]");
  let low = 0;
  let high = messages.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((messages[middle]?.getBoundingClientRect().bottom ?? top) > top) high = middle;
    else low = middle + 1;
  }
  const element = messages[low];
  const id = element?.dataset.messageId;
  return element && id ? { id, offset: element.getBoundingClientRect().top - top } : null;
}

/** Where a message sits in the view: its top edge's distance below the scroller's. */
function offsetInView(scroller: HTMLElement, messageId: string): number | null {
  const element = scroller.querySelector(`[data-message-id="${CSS.escape(messageId)}"]`);
  return element ? element.getBoundingClientRect().top - scroller.getBoundingClientRect().top : null;
}

/**
 * The conversation's scrolling view. It follows a streaming reply only while the reader is at the bottom: scrolling
 * up stops following and shows "Jump to latest"; scrolling back down, that button, or sending a message resumes it.
 * Nearing the top loads older messages, put above without moving what the reader sees.
 */
export function MessageList({
  messages,
  isBusy,
  isThinking,
  currency,
  actions,
  hasOlder = false,
  isLoadingOlder = false,
  onLoadOlder,
  emptyState,
  onPickExample,
  children,
}: Props) {
  const t = useTranslations("chat");
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const isFollowing = useRef(true);
  const lastScrollTop = useRef(0);
  const [isAwayFromLatest, setIsAwayFromLatest] = useState(false);

  const follow = useCallback(() => {
    isFollowing.current = true;
    setIsAwayFromLatest(false);
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, []);

  // What the reader sees stays put when older messages are put above it, or a message above it grows (its Markdown
  // laid out): the first message in view keeps its place. The browser's own scroll anchoring does not act at the very
  // top, where older messages are loaded, so it is off and this does it.
  const anchor = useRef<{ id: string; offset: number } | null>(null);
  const keepAnchor = useCallback(() => {
    const element = scroller.current;
    const kept = anchor.current;
    if (!element || !kept || isFollowing.current) return;
    const offset = offsetInView(element, kept.id);
    if (offset === null || Math.abs(offset - kept.offset) < 1) return;
    element.scrollTop += offset - kept.offset;
    lastScrollTop.current = element.scrollTop;
  }, []);
  // Whatever changes the content's height (a streamed chunk, Markdown laid out, a notice) or the view's (the composer
  // growing), the view stays at the bottom while following, and on what the reader looks at otherwise.
  useEffect(() => {
    const observer = new ResizeObserver(() => {
      const element = scroller.current;
      if (element && isFollowing.current) element.scrollTop = element.scrollHeight;
      else keepAnchor();
    });
    if (content.current) observer.observe(content.current);
    if (scroller.current) observer.observe(scroller.current);
    return () => observer.disconnect();
  }, [keepAnchor]);

  const firstId = messages[0]?.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when messages were put above the first one.
  useLayoutEffect(keepAnchor, [firstId, keepAnchor]);

  function onScroll() {
    const element = scroller.current;
    if (!element) return;
    if (hasOlder && !isLoadingOlder && element.scrollTop <= LOAD_OLDER_PX) onLoadOlder?.();
    const fromBottom = element.scrollHeight - element.scrollTop - element.clientHeight;
    // Content growing below never moves scrollTop; only the reader scrolls it up.
    if (fromBottom <= AT_BOTTOM_PX) isFollowing.current = true;
    else if (element.scrollTop < lastScrollTop.current) isFollowing.current = false;
    // The scroll keepAnchor made keeps the anchor: messages laid out later (off screen until near the view, see
    // message-item.tsx) must not move the one the reader was looking at.
    if (element.scrollTop !== lastScrollTop.current) anchor.current = firstInView(element);
    lastScrollTop.current = element.scrollTop;
    setIsAwayFromLatest(!isFollowing.current);
  }

  // A message the reader sends (and the conversation as it opens) brings the view to the latest.
  const lastUserMessageId = messages.findLast((message) => message.role === "user")?.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the reader's latest message changes.
  useLayoutEffect(follow, [lastUserMessageId, follow]);

  return (
    <div className="relative min-h-0 flex-1">
      <div ref={scroller} onScroll={onScroll} className="h-full overflow-y-auto [overflow-anchor:none]">
        <div ref={content} className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-6">
          {hasOlder ? (
            <div className="flex justify-center">
              <button
                type="button"
                onClick={onLoadOlder}
                disabled={isLoadingOlder}
                className={cn(
                  "rounded-full border border-zinc-300 px-3 py-1 text-sm text-zinc-600 hover:bg-zinc-50 disabled:opacity-60",
                  TOUCH_TARGET,
                )}
              >
                {isLoadingOlder ? t("loadingOlder") : t("loadOlder")}
              </button>
            </div>
          ) : null}
          {messages.length === 0 ? (
            // biome-ignore lint/a11y/noStaticElementInteractions: the clicks are on the example buttons inside, which the keyboard clicks too.
            // biome-ignore lint/a11y/useKeyWithClickEvents: as above.
            <div
              onClick={(event) => {
                const example = (event.target as Element).closest(`[${EXAMPLE_PROMPT_ATTRIBUTE}]`);
                if (example) onPickExample?.(example.textContent ?? "");
              }}
            >
              {emptyState}
            </div>
          ) : null}
          <Suspense fallback={<PlainMessages messages={messages} />}>
            <MessageItems messages={messages} isBusy={isBusy} currency={currency} actions={actions} />
          </Suspense>
          {isThinking ? <p className="animate-pulse text-zinc-400">{t("thinking")}</p> : null}
          {children}
        </div>
      </div>
      {isAwayFromLatest ? (
        <button
          type="button"
          onClick={follow}
          className={cn(
            "absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium whitespace-nowrap text-zinc-700 shadow-md hover:bg-zinc-50",
            TOUCH_TARGET,
          )}
        >
          <span aria-hidden="true">↓ </span>
          {t("jumpToLatest")}
        </button>
      ) : null}
    </div>
  );
}

/** The messages' text, while the message component loads. */
function PlainMessages({ messages }: { messages: ChatUIMessage[] }) {
  return messages.filter(isShownMessage).map((message) => (
    <p key={message.id} className="whitespace-pre-wrap">
      {messageText(message)}
    </p>
  ));
}

/** The messages themselves; memoized, so what re-renders the chat around them (a streamed chunk) reaches only them. */
const MessageItems = memo(function MessageItems({
  messages,
  isBusy,
  currency,
  actions,
}: {
  messages: ChatUIMessage[];
  isBusy: boolean;
  currency: ExchangeRate | null;
  actions: MessageActions;
}) {
  const shown = messages.filter(isShownMessage);
  // The latest message's failure is the chat's alert; earlier ones (a retry followed) say theirs in place.
  const latest = messages.at(-1);
  return shown.map((message, index) => (
    <MessageItem
      key={message.id}
      message={message}
      isStreaming={isBusy && index === shown.length - 1 && message.role === "assistant"}
      isLast={message === latest}
      showsError={message !== latest && message.metadata?.status === "error"}
      currency={currency}
      actions={actions}
    />
  ));
});
