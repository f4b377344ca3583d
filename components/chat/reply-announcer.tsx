"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { type ChatUIMessage, messageText } from "@/lib/chat/ui-message";
import { whenLoadedAndIdle } from "./when-idle";

// What to say of a reply (spoken-text.ts) is needed once one streams, not in the page's first load: fetched when the
// page is idle; a reply that starts sooner is read from its start once it has come.
type SpokenRules = typeof import("./spoken-text");
let loading: Promise<SpokenRules> | undefined;
const loadSpokenRules = () => (loading ??= import("./spoken-text"));

/**
 * At most this many announcements stay in the region, and only the current reply's: an earlier reply's sentences go
 * when the next reply starts (removing them is not announced), so browsing the page does not find them twice.
 */
const KEPT = 20;

/**
 * Reads a reply to screen readers politely as it is written: each completed sentence once (not each streamed word,
 * which would flood the speech queue), and the rest when the reply ends. Replies already on the page when it opened
 * are not read; the page's own content is there to browse.
 */
export function ReplyAnnouncer({ messages, isBusy }: { messages: ChatUIMessage[]; isBusy: boolean }) {
  const t = useTranslations("a11y");
  const last = messages.at(-1);
  const reply = last?.role === "assistant" ? last : null;
  const text = reply ? messageText(reply) : "";
  // What of which reply has been announced: the page's replies count as announced from the start.
  const announced = useRef({ id: reply?.id ?? null, length: text.length });
  const [spoken, setSpoken] = useState<{ key: number; replyId: string; text: string }[]>([]);
  const nextKey = useRef(0);
  const [rules, setRules] = useState<SpokenRules | null>(null);

  useEffect(() => whenLoadedAndIdle(() => void loadSpokenRules().then(setRules)), []);

  useEffect(() => {
    if (!reply) return;
    if (!rules) {
      // Only when there is something new to read: the page's own replies are not.
      if (announced.current.id !== reply.id || text.length > announced.current.length) {
        void loadSpokenRules().then(setRules);
      }
      return;
    }
    const { announceableEnd, spokenText } = rules;
    if (announced.current.id !== reply.id) announced.current = { id: reply.id, length: 0 };
    const end = announceableEnd(text, !isBusy);
    if (end <= announced.current.length) return;
    const words = spokenText(text.slice(announced.current.length, end), (language) =>
      t("codeBlock", { language: language || "text" }),
    );
    announced.current.length = end;
    if (!words) return;
    const key = nextKey.current++;
    setSpoken((before) => [
      ...before.filter((part) => part.replyId === reply.id).slice(-(KEPT - 1)),
      { key, replyId: reply.id, text: words },
    ]);
  }, [reply, text, isBusy, t, rules]);

  return (
    <div aria-live="polite" className="sr-only" data-testid="reply-announcer">
      {spoken
        .filter((part) => part.replyId === reply?.id)
        .map((part) => (
          <p key={part.key}>{part.text}</p>
        ))}
    </div>
  );
}
