"use client";

import { useCallback, useState } from "react";
import type { MeterBudget, MeterChat, MeterState } from "@/lib/chat/ui-message";

/**
 * The cost meter's figures for one chat: they start from the page's and follow each reply's final metadata (the
 * server sends the meter's new state with it). `refresh` reads them again, for the few ways a reply ends without that
 * metadata (Stop, a refusal, a dropped connection).
 */
export function useMeter({
  conversationId,
  budget: initialBudget,
  chat: initialChat,
}: {
  conversationId: string;
  budget: MeterBudget;
  chat: MeterChat | null;
}) {
  const [budget, setBudget] = useState(initialBudget);
  const [chat, setChat] = useState(initialChat);

  const apply = useCallback((meter: MeterState) => {
    setBudget(meter.budget);
    if (meter.chat) setChat(meter.chat);
  }, []);

  const refresh = useCallback(async () => {
    const response = await fetch(`/api/usage/summary?conversationId=${encodeURIComponent(conversationId)}`, {
      cache: "no-store",
    });
    if (response.ok) return apply((await response.json()) as MeterState);
    // A chat refused before its first message was stored does not exist yet: the month still updates.
    const month = await fetch("/api/usage/summary", { cache: "no-store" });
    if (month.ok) apply((await month.json()) as MeterState);
  }, [conversationId, apply]);

  return { budget, chat, apply, refresh };
}
