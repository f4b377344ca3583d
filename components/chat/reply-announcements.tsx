"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { type ChatUIMessage, messageText } from "@/lib/chat/ui-message";
import { announceableEnd, spokenText } from "./spoken-text";

/**
 * At most this many announcements stay in the region, and only the current reply's: an earlier reply's sentences go
 * when the next reply starts (removing them is not announced), so browsing the page does not find them twice.
 */
const KEPT = 20;

export type ReplyAnnouncementsProps = {
  messages: ChatUIMessage[];
  isBusy: boolean;
  onPage: { id: string | null; length: number };
};

/**
 * What ReplyAnnouncer (reply-announcer.tsx) puts in its live region: the reply as it is written, each completed
 * sentence once (not each streamed word, which would flood the speech queue), and the rest when the reply ends.
 * `onPage`: the reply the page opened with and its length, counted as announced.
 */
export function ReplyAnnouncements({ messages, isBusy, onPage }: ReplyAnnouncementsProps) {
  const t = useTranslations("a11y");
  const last = messages.at(-1);
  const reply = last?.role === "assistant" ? last : null;
  const text = reply ? messageText(reply) : "";
  // What of which reply has been announced: the page's replies count as announced from the start.
  const announced = useRef({ ...onPage });
  const [spoken, setSpoken] = useState<{ key: number; replyId: string; text: string }[]>([]);
  const nextKey = useRef(0);

  useEffect(() => {
    if (!reply) return;
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
  }, [reply, text, isBusy, t]);

  return spoken.filter((part) => part.replyId === reply?.id).map((part) => <p key={part.key}>{part.text}</p>);
}
