"use client";

import { type ComponentType, lazy, Suspense, useEffect, useState } from "react";
import { type ChatUIMessage, messageText } from "@/lib/chat/ui-message";
import type { ReplyAnnouncementsProps } from "./reply-announcements";
import { whenLoadedAndIdle } from "./when-idle";

// What reads replies out (sentence splitting, code blocks named) has nothing to do before a reply streams: it loads
// once the page is idle, or with the first turn if that comes sooner. The live region is there from the start, as
// screen readers want it before anything is said into it.
const Announcements = lazy<ComponentType<ReplyAnnouncementsProps>>(() =>
  import("./reply-announcements").then(
    (module) => ({ default: module.ReplyAnnouncements }),
    (failure: unknown) => {
      // Not worth the chat's error page: the replies are still there to read.
      console.error("[chat] the reply announcer failed to load", failure);
      return { default: () => null };
    },
  ),
);

/**
 * Reads a reply to screen readers politely as it is written (reply-announcements.tsx). Replies already on the page
 * when it opened are not read; the page's own content is there to browse.
 */
export function ReplyAnnouncer({ messages, isBusy }: { messages: ChatUIMessage[]; isBusy: boolean }) {
  // The page's last reply and its length, as announced: taken at the first render, whenever the rest loads.
  const [onPage] = useState(() => {
    const last = messages.at(-1);
    return last?.role === "assistant" ? { id: last.id, length: messageText(last).length } : { id: null, length: 0 };
  });
  // Once on, it stays: the end of a reply is said as the turn stops being busy.
  const [isOn, setIsOn] = useState(false);
  if (isBusy && !isOn) setIsOn(true);
  useEffect(() => whenLoadedAndIdle(() => setIsOn(true)), []);
  return (
    <div aria-live="polite" className="sr-only" data-testid="reply-announcer">
      {isOn ? (
        <Suspense fallback={null}>
          <Announcements messages={messages} isBusy={isBusy} onPage={onPage} />
        </Suspense>
      ) : null}
    </div>
  );
}
