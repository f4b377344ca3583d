"use client";

import { useLocale, useTranslations } from "next-intl";
import { lazy, memo, Suspense, useRef, useState } from "react";
import { useErrorText } from "@/components/i18n/use-error-text";
import { Button } from "@/components/ui/button";
import { Money } from "@/components/usage/money";
import type { ExchangeRate } from "@/lib/billing/money";
import { type ChatUIMessage, messageText } from "@/lib/chat/ui-message";
import { cn, formatTokens } from "@/lib/utils";
import { ImageUnitsUsage } from "./image-usage";
import { CopyButton } from "./markdown/copy-button";
import { MessageImages } from "./message-images";
import { estimatedHeight } from "./message-size";
import { TOUCH_TARGET } from "./touch";

// react-markdown with remark, micromark and the hast tools (~60 KiB gzip) is not in the page's first load: a new chat
// needs it once a reply comes, and the chat starts loading it as the user types (preloadMarkdown). A reply shows as
// plain text until it is there; on a page rendered with replies the server's HTML stays until then, since React
// hydrates a suspended boundary only once it can render it.
const loadMarkdown = () => import("./markdown/markdown");
const Markdown = lazy(() => loadMarkdown().then((module) => ({ default: module.Markdown })));

export function preloadMarkdown() {
  void loadMarkdown().catch(() => {
    // The first reply shown loads it again (and React reports it if that fails too).
  });
}

type Metadata = NonNullable<ChatUIMessage["metadata"]>;

/**
 * Off screen, a message is neither laid out nor painted (`content-visibility: auto`): it takes its estimated height
 * until first shown, its last real height after that. Typing, a streamed chunk or a resize beside hundreds of messages
 * then lays out and paints only those in view. Unlike windowing, every message stays in the page, so find-in-page,
 * screen readers and selecting text see them all, and the list's own scroll anchoring works as before. It also clips
 * what is painted outside the message's box: OFF_SCREEN_ROOM keeps its buttons' focus rings inside.
 */
const OFF_SCREEN_ROOM = "-m-1 p-1";

function offScreenStyle(role: string, text: string): React.CSSProperties {
  return { contentVisibility: "auto", containIntrinsicSize: `auto ${estimatedHeight({ role, text })}px` };
}

/** What can be done to a message; stable for the chat's life, so memoized messages never re-render for it. */
export type MessageActions = {
  regenerate(messageId: string): void;
  continueReply(messageId: string): void;
  edit(messageId: string, text: string): void;
  showVersion(messageId: string): void;
};

/** ‹ 2/3 ›: which version of a message is shown, and the way to the others. */
function VersionPager({
  messageId,
  versions,
  onShow,
}: {
  messageId: string;
  versions: string[] | undefined;
  onShow: (id: string) => void;
}) {
  const t = useTranslations("message");
  if (!versions || versions.length < 2) return null;
  const index = versions.indexOf(messageId);
  const previous = versions[index - 1];
  const next = versions[index + 1];
  const arrow = cn("rounded px-1.5 text-zinc-600 hover:bg-zinc-100 disabled:text-zinc-300", TOUCH_TARGET);
  return (
    <nav aria-label={t("versions")} className="flex items-center gap-1 text-xs text-zinc-600">
      <button
        type="button"
        className={arrow}
        aria-label={t("previousVersion")}
        disabled={!previous}
        onClick={() => previous && onShow(previous)}
      >
        ‹
      </button>
      <span>
        {index + 1}/{versions.length}
      </span>
      <button
        type="button"
        className={arrow}
        aria-label={t("nextVersion")}
        disabled={!next}
        onClick={() => next && onShow(next)}
      >
        ›
      </button>
    </nav>
  );
}

/** The inline editor of a sent user message: its own state, so typing in it renders nothing else. */
function MessageEditor({
  text,
  onSave,
  onCancel,
}: {
  text: string;
  onSave: (text: string) => void;
  onCancel: () => void;
}) {
  const t = useTranslations("message");
  const box = useRef<HTMLTextAreaElement>(null);
  const [isBlank, setIsBlank] = useState(text.trim() === "");
  return (
    <form
      className="flex w-full max-w-[85%] flex-col gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        const value = box.current?.value ?? "";
        if (value.trim()) onSave(value);
      }}
    >
      <textarea
        ref={box}
        aria-label={t("editLabel")}
        defaultValue={text}
        autoFocus
        rows={Math.min(10, text.split("\n").length + 1)}
        className="w-full rounded-2xl border border-zinc-300 bg-white px-4 py-2.5"
        onChange={(event) => setIsBlank(event.target.value.trim() === "")}
        onKeyDown={(event) => {
          if (event.key === "Escape") {
            event.preventDefault();
            onCancel();
          }
        }}
      />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" className={TOUCH_TARGET} onClick={onCancel}>
          {t("cancel")}
        </Button>
        <Button type="submit" className={TOUCH_TARGET} disabled={isBlank}>
          {t("saveAndSend")}
        </Button>
      </div>
    </form>
  );
}

function UserMessage({ message, actions }: { message: ChatUIMessage; actions?: MessageActions }) {
  const t = useTranslations("message");
  const [isEditing, setIsEditing] = useState(false);
  const text = messageText(message);
  return (
    // data-role marks the message itself (its text); its controls sit beside it, in the turn.
    <div
      className={cn("flex flex-col items-end gap-1", OFF_SCREEN_ROOM)}
      data-turn="user"
      data-message-id={message.id}
      style={offScreenStyle("user", text)}
    >
      {isEditing ? (
        <MessageEditor
          text={text}
          onCancel={() => setIsEditing(false)}
          onSave={(edited) => {
            setIsEditing(false);
            actions?.edit(message.id, edited);
          }}
        />
      ) : (
        <>
          {message.metadata?.files ? (
            <MessageImages files={message.metadata.files} alt={t("attachedImage")} className="justify-end" />
          ) : null}
          <div
            data-role="user"
            className="max-w-[85%] rounded-2xl bg-zinc-100 px-4 py-2.5 whitespace-pre-wrap break-words"
          >
            {text}
          </div>
        </>
      )}
      {isEditing ? null : (
        <div className="flex items-center gap-2">
          <CopyButton text={text} label={t("copy")} className={cn("text-zinc-400", TOUCH_TARGET)} />
          {actions ? (
            <VersionPager messageId={message.id} versions={message.metadata?.versions} onShow={actions.showVersion} />
          ) : null}
          {actions ? (
            <button
              type="button"
              className={cn("rounded px-1.5 text-xs text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800", TOUCH_TARGET)}
              onClick={() => setIsEditing(true)}
            >
              {t("edit")}
            </button>
          ) : null}
        </div>
      )}
    </div>
  );
}

function MessageCost({ cost, currency }: { cost: NonNullable<Metadata["cost"]>; currency: ExchangeRate | null }) {
  const t = useTranslations("message");
  if (cost.isUnpriced) {
    return (
      <span className="rounded bg-amber-100 px-1.5 font-medium text-amber-800" title={t("unpricedTitle")}>
        {t("unpriced")}
      </span>
    );
  }
  return (
    <span className="font-medium text-zinc-700">
      <Money micros={cost.micros} currency={currency} title={cost.price ?? undefined} />
      {cost.isEstimated ? (
        <span className="ml-1.5 rounded bg-zinc-200 px-1.5 font-normal text-zinc-700" title={t("estimatedTitle")}>
          {t("estimated")}
        </span>
      ) : null}
    </span>
  );
}

/** How a reply ended, when it did not end normally. */
function EndingLabel({ status, hasText }: { status: Metadata["status"]; hasText: boolean }) {
  const t = useTranslations("message");
  if (status === "stopped") return <span className="font-medium text-amber-700">{t("stopped")}</span>;
  if (status === "error") {
    return <span className="font-medium text-red-700">{hasText ? t("cutOff") : t("failed")}</span>;
  }
  return null;
}

export function TokenUsage({
  metadata,
  hasText,
  currency,
}: {
  metadata: Metadata;
  hasText: boolean;
  currency: ExchangeRate | null;
}) {
  const t = useTranslations("message");
  const locale = useLocale();
  const n = (count: number) => formatTokens(count, locale);
  const { promptTokens, completionTokens, cachedTokens, reasoningTokens, model, cost } = metadata;
  const hasUsage = promptTokens != null && completionTokens != null;
  return (
    <section
      aria-label={t("tokenUsage")}
      className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-500"
    >
      {model ? <span>{model}</span> : null}
      {metadata.image ? (
        <ImageUnitsUsage image={metadata.image} />
      ) : hasUsage ? (
        <>
          <span>{t("promptTokens", { tokens: n(promptTokens) })}</span>
          {cachedTokens ? <span>{t("cachedTokens", { tokens: n(cachedTokens) })}</span> : null}
          <span>{t("completionTokens", { tokens: n(completionTokens) })}</span>
          {reasoningTokens ? <span>{t("reasoningTokens", { tokens: n(reasoningTokens) })}</span> : null}
        </>
      ) : cost?.isEstimated ? (
        <>
          <span>~{t("promptTokens", { tokens: n(cost.promptTokens) })}</span>
          <span>~{t("completionTokens", { tokens: n(cost.completionTokens) })}</span>
        </>
      ) : metadata.status === "stopped" && !cost ? (
        // Stopped in this browser: the server is settling what it cost, and the stored reply replaces this one.
        <span>{t("settling")}</span>
      ) : metadata.status ? (
        <span>{t("noUsage")}</span>
      ) : null}
      {cost ? <MessageCost cost={cost} currency={currency} /> : null}
      <EndingLabel status={metadata.status} hasText={hasText} />
    </section>
  );
}

/**
 * One message. Memoized: a message re-renders only when it changes (the one streaming), not when anything else on the
 * screen does; rendering Markdown is what makes a long conversation slow.
 */
export const MessageItem = memo(function MessageItem({
  message,
  isStreaming,
  isLast,
  showsError,
  currency,
  actions,
}: {
  message: ChatUIMessage;
  isStreaming: boolean;
  /** The conversation's last message: a reply there can be regenerated (and continued, when cut by the limit). */
  isLast: boolean;
  /** Show a failed reply's error under it (the latest failure is shown in the chat's alert instead). */
  showsError: boolean;
  currency: ExchangeRate | null;
  /** Absent where messages are read-only (a shared conversation). */
  actions?: MessageActions;
}) {
  const t = useTranslations("message");
  const errorText = useErrorText();
  if (message.role === "user") return <UserMessage message={message} actions={actions} />;
  const text = messageText(message);
  const metadata = message.metadata;
  const isCutByLimit = metadata?.finishReason === "length" && metadata.status === "complete";
  // An image reply is asked for again from the composer: regenerating goes to the chat model.
  const canRegenerate =
    isLast && !isStreaming && metadata?.status !== undefined && metadata.status !== "error" && !metadata.kind;
  return (
    <article
      data-role="assistant"
      data-message-id={message.id}
      aria-busy={isStreaming}
      className={cn("flex flex-col", OFF_SCREEN_ROOM)}
      style={offScreenStyle("assistant", text)}
    >
      {metadata?.omittedMessages ? (
        <p role="note" className="mb-1 text-xs text-zinc-500">
          {t("omitted", { count: metadata.omittedMessages })}
        </p>
      ) : null}
      {metadata?.files ? <MessageImages files={metadata.files} alt={text || t("generatedImage")} /> : null}
      <div
        className={cn("prose-chat prose prose-zinc max-w-none break-words leading-relaxed", !text && "text-zinc-400")}
      >
        {text ? (
          <Suspense fallback={<p className="whitespace-pre-wrap">{text}</p>}>
            <Markdown text={text} isStreaming={isStreaming} />
          </Suspense>
        ) : isStreaming ? (
          <span className="animate-pulse">{t("thinking")}</span>
        ) : null}
      </div>
      {showsError && metadata?.error ? <p className="mt-2 text-sm text-red-800">{errorText(metadata.error)}</p> : null}
      {metadata && !isStreaming && (metadata.status !== "error" || metadata.cost) ? (
        <TokenUsage metadata={metadata} hasText={text !== ""} currency={currency} />
      ) : null}
      {/* Room for the usage line and the actions while the reply streams, so they do not push the page when it ends. */}
      {isStreaming ? <div aria-hidden="true" className="mt-2 h-4" /> : null}
      {isStreaming ? (
        <div aria-hidden="true" className="mt-1 h-7 max-lg:h-11" />
      ) : (
        <div className="mt-1 flex min-h-7 flex-wrap items-center gap-2">
          {/* A reply is copied once it is whole. */}
          {text ? <CopyButton text={text} label={t("copy")} className={cn("text-zinc-400", TOUCH_TARGET)} /> : null}
          {actions ? (
            <VersionPager messageId={message.id} versions={metadata?.versions} onShow={actions.showVersion} />
          ) : null}
          {actions && isLast && isCutByLimit ? (
            <Button
              variant="secondary"
              className={cn("px-2 py-1 text-xs", TOUCH_TARGET)}
              onClick={() => actions.continueReply(message.id)}
            >
              {t("continue")}
            </Button>
          ) : null}
          {actions && canRegenerate ? (
            <Button
              variant="ghost"
              className={cn("px-2 py-1 text-xs", TOUCH_TARGET)}
              onClick={() => actions.regenerate(message.id)}
            >
              {t("regenerate")}
            </Button>
          ) : null}
        </div>
      )}
      {isLast && isCutByLimit && !isStreaming ? <p className="mt-1 text-xs text-zinc-500">{t("outputLimit")}</p> : null}
    </article>
  );
});
