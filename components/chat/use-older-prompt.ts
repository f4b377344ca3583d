"use client";

import { useEffect, useMemo, useState } from "react";
import type { PromptMessage } from "@/lib/billing/prompt-counter";

type Counted = { before: string; model: string; messages: PromptMessage[] };

/**
 * The history the composer's estimate counts when the chat holds only the latest messages: the older part, counted by
 * the server (GET /api/conversations/[id]/prompt, as a turn counts it, for `model`), then `loaded`. Null while that
 * part is on its way (the estimate waits rather than show a count of part of the prompt). Asked for once the user
 * starts a message (`isActive`), again for another model, or when the chat's first message is no longer the one it
 * was counted before (another branch); older pages loaded meanwhile replace their counted messages.
 */
export function useOlderPrompt({
  conversationId,
  hasOlder,
  loaded,
  model,
  isActive,
}: {
  conversationId: string;
  /** The chat has not loaded the conversation's first messages. */
  hasOlder: boolean;
  /** The history of the messages the chat holds (promptHistory). */
  loaded: readonly PromptMessage[];
  model: string;
  isActive: boolean;
}): readonly PromptMessage[] | null {
  const [counted, setCounted] = useState<Counted | null>(null);
  const loadedIds = useMemo(() => new Set(loaded.map((message) => message.id)), [loaded]);
  const isValid = counted !== null && counted.model === model && loadedIds.has(counted.before);
  // What the older part is counted before: the first message of the history the chat holds.
  const before = loaded[0]?.id;

  useEffect(() => {
    if (!hasOlder || !isActive || isValid || !before) return;
    const controller = new AbortController();
    const query = new URLSearchParams({ before, model });
    fetch(`/api/conversations/${encodeURIComponent(conversationId)}/prompt?${query}`, {
      cache: "no-store",
      signal: controller.signal,
    })
      .then(async (response) => {
        if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
        const body = (await response.json()) as { messages: { id: string; role: string; contentTokens: number }[] };
        setCounted({ before, model, messages: body.messages.map((message) => ({ ...message, content: "" })) });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) console.error("[prompt estimate] the older messages were not counted", error);
      });
    return () => controller.abort();
  }, [conversationId, hasOlder, isActive, isValid, before, model]);

  return useMemo(() => {
    if (!hasOlder) return loaded;
    if (!isValid || !counted) return null;
    return [...counted.messages.filter((message) => !loadedIds.has(message.id)), ...loaded];
  }, [hasOlder, isValid, counted, loaded, loadedIds]);
}
