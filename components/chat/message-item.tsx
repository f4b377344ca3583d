"use client";

import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";
import { type ChatUIMessage, messageText } from "@/lib/ai/ui-message";
import { cn, formatTokens } from "@/lib/utils";

export function TokenUsage({ metadata }: { metadata: NonNullable<ChatUIMessage["metadata"]> }) {
  const { promptTokens, completionTokens, cachedTokens, reasoningTokens, model } = metadata;
  const hasUsage = promptTokens != null && completionTokens != null;
  return (
    <section aria-label="Token usage" className="mt-2 flex flex-wrap gap-x-3 text-xs text-zinc-500">
      {model ? <span>{model}</span> : null}
      {hasUsage ? (
        <>
          <span>{formatTokens(promptTokens)} prompt tokens</span>
          {cachedTokens ? <span>{formatTokens(cachedTokens)} cached</span> : null}
          <span>{formatTokens(completionTokens)} completion tokens</span>
          {reasoningTokens ? <span>{formatTokens(reasoningTokens)} reasoning</span> : null}
        </>
      ) : metadata.status ? (
        <span>usage not reported</span>
      ) : null}
      {metadata.status === "stopped" ? <span className="font-medium text-amber-700">Stopped</span> : null}
    </section>
  );
}

export function MessageItem({ message, isStreaming }: { message: ChatUIMessage; isStreaming: boolean }) {
  const text = messageText(message);
  if (message.role === "user") {
    return (
      <div className="flex justify-end" data-role="user">
        <div className="max-w-[85%] rounded-2xl bg-zinc-100 px-4 py-2.5 whitespace-pre-wrap break-words">{text}</div>
      </div>
    );
  }
  const metadata = message.metadata;
  return (
    <article data-role="assistant" aria-busy={isStreaming} className="flex flex-col">
      <div className={cn("prose-chat break-words leading-relaxed", !text && "text-zinc-400")}>
        {text ? (
          <ReactMarkdown remarkPlugins={[remarkGfm]}>{text}</ReactMarkdown>
        ) : isStreaming ? (
          <span className="animate-pulse">Thinking…</span>
        ) : null}
      </div>
      {metadata && !isStreaming && metadata.status !== "error" ? <TokenUsage metadata={metadata} /> : null}
    </article>
  );
}
