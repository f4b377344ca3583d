"use client";

import { useTranslations } from "next-intl";
import { type ReactNode, useSyncExternalStore } from "react";
import { type ConversationItem, groupConversations } from "./history";

const subscribeToNothing = () => () => {};

/** False while rendering on the server and hydrating: day groups wait for the browser's clock and time zone. */
function useIsInBrowser(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}

type Props = {
  conversations: ConversationItem[];
  hasMore: boolean;
  /** One row; `now` is absent while hydrating. */
  row: (conversation: ConversationItem, now: Date | null) => ReactNode;
};

/** The sidebar's conversations in their groups (Pinned, Today, …), or that there are none. */
export function ConversationGroups({ conversations, hasMore, row }: Props) {
  const t = useTranslations("sidebar");
  const now = useIsInBrowser() ? new Date() : null;
  if (conversations.length === 0 && !hasMore) return <p className="px-2 py-4 text-sm text-zinc-500">{t("empty")}</p>;
  const groups = now ? groupConversations(conversations, now) : [{ label: null, conversations }];
  return groups.map((group) => (
    <section
      key={group.label ?? "all"}
      aria-label={group.label ? t(`groups.${group.label}`) : undefined}
      className="pb-2"
    >
      {group.label ? (
        <h2 className="px-3 pt-2 pb-1 text-xs font-medium text-zinc-500">{t(`groups.${group.label}`)}</h2>
      ) : null}
      <ul className="flex flex-col gap-0.5">{group.conversations.map((conversation) => row(conversation, now))}</ul>
    </section>
  ));
}
