"use client";

import { memo } from "react";
import { Money } from "@/components/usage/money";
import type { ExchangeRate } from "@/lib/billing/money";
import { type ChatUIMessage, messageText } from "@/lib/chat/ui-message";
import { cn, formatTokens } from "@/lib/utils";
import { CopyButton } from "./markdown/copy-button";
import { Markdown } from "./markdown/markdown";

type Metadata = NonNullable<ChatUIMessage["metadata"]>;

function MessageCost({ cost, currency }: { cost: NonNullable<Metadata["cost"]>; currency: ExchangeRate | null }) {
  if (cost.isUnpriced) {
    return (
      <span className="rounded bg-amber-100 px-1.5 font-medium text-amber-800" title="No known price for this model">
        unpriced
      </span>
    );
  }
  return (
    <span className="font-medium text-zinc-700">
      <Money micros={cost.micros} currency={currency} title={cost.price ?? undefined} />
      {cost.isEstimated ? (
        <span
          className="ml-1.5 rounded bg-zinc-200 px-1.5 font-normal text-zinc-700"
          title="The upstream reported no usage for this reply (stopped or cut), so its tokens were counted with the model's tokenizer."
        >
          estimated
        </span>
      ) : null}
    </span>
  );
}

/** How a reply ended, when it did not end normally. */
function EndingLabel({ status, hasText }: { status: Metadata["status"]; hasText: boolean }) {
  if (status === "stopped") return <span className="font-medium text-amber-700">Stopped</span>;
  if (status === "error") return <span className="font-medium text-red-700">{hasText ? "Cut off" : "Failed"}</span>;
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
  const { promptTokens, completionTokens, cachedTokens, reasoningTokens, model, cost } = metadata;
  const hasUsage = promptTokens != null && completionTokens != null;
  return (
    <section
      aria-label="Token usage"
      className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-500"
    >
      {model ? <span>{model}</span> : null}
      {hasUsage ? (
        <>
          <span>{formatTokens(promptTokens)} prompt tokens</span>
          {cachedTokens ? <span>{formatTokens(cachedTokens)} cached</span> : null}
          <span>{formatTokens(completionTokens)} completion tokens</span>
          {reasoningTokens ? <span>{formatTokens(reasoningTokens)} reasoning</span> : null}
        </>
      ) : cost?.isEstimated ? (
        <>
          <span>~{formatTokens(cost.promptTokens)} prompt tokens</span>
          <span>~{formatTokens(cost.completionTokens)} completion tokens</span>
        </>
      ) : metadata.status === "stopped" && !cost ? (
        // Stopped in this browser: the server is settling what it cost, and the stored reply replaces this one.
        <span>settling cost…</span>
      ) : metadata.status ? (
        <span>usage not reported</span>
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
  showsError,
  currency,
}: {
  message: ChatUIMessage;
  isStreaming: boolean;
  /** Show a failed reply's error under it (the latest failure is shown in the chat's alert instead). */
  showsError: boolean;
  currency: ExchangeRate | null;
}) {
  const text = messageText(message);
  if (message.role === "user") {
    return (
      <div className="flex flex-col items-end gap-1">
        <div
          className="max-w-[85%] rounded-2xl bg-zinc-100 px-4 py-2.5 whitespace-pre-wrap break-words"
          data-role="user"
        >
          {text}
        </div>
        <CopyButton text={text} label="Copy message" className="text-zinc-400" />
      </div>
    );
  }
  const metadata = message.metadata;
  return (
    <article data-role="assistant" aria-busy={isStreaming} className="flex flex-col">
      <div
        className={cn("prose-chat prose prose-zinc max-w-none break-words leading-relaxed", !text && "text-zinc-400")}
      >
        {text ? (
          <Markdown text={text} isStreaming={isStreaming} />
        ) : isStreaming ? (
          <span className="animate-pulse">Thinking…</span>
        ) : null}
      </div>
      {showsError && metadata?.error ? <p className="mt-2 text-sm text-red-800">{metadata.error}</p> : null}
      {metadata && !isStreaming && (metadata.status !== "error" || metadata.cost) ? (
        <TokenUsage metadata={metadata} hasText={text !== ""} currency={currency} />
      ) : null}
      {/* A reply is copied once it is whole. */}
      {text && !isStreaming ? (
        <CopyButton text={text} label="Copy message" className="mt-1 self-start text-zinc-400" />
      ) : null}
    </article>
  );
});
