// The sidebar's list of conversations: its order, how pages join, and its groups by day. Pure; times in the browser's
// time zone.

export type ConversationItem = {
  id: string;
  title: string;
  updatedAt: string;
  pinnedAt: string | null;
  /** Where the conversation is held: "web", or a messaging channel ("telegram"), which its row marks. */
  source: string;
};

export type ConversationPage = { conversations: ConversationItem[]; nextCursor: string | null };

/** The server's order (lib/db/conversations.ts): pinned first, then last activity, newest first, then id. */
export function compareConversations(a: ConversationItem, b: ConversationItem): number {
  if ((a.pinnedAt === null) !== (b.pinnedAt === null)) return a.pinnedAt === null ? 1 : -1;
  const byTime = Date.parse(b.updatedAt) - Date.parse(a.updatedAt);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * The list with one conversation put in (or back in) its place. When more pages remain, a conversation that would sort
 * after the last one loaded is left for those pages to bring.
 */
export function placeConversation(list: ConversationPage, item: ConversationItem): ConversationPage {
  const others = list.conversations.filter((c) => c.id !== item.id);
  const last = others.at(-1);
  if (list.nextCursor !== null && last && compareConversations(item, last) > 0)
    return { ...list, conversations: others };
  return { ...list, conversations: [...others, item].sort(compareConversations) };
}

/**
 * The list after reloading its first page (a chat moved up or began): the fresh first page, then what was loaded past
 * it, keeping the older cursor when more than one page was loaded.
 */
export function mergeFirstPage(list: ConversationPage, firstPage: ConversationPage): ConversationPage {
  const fresh = new Set(firstPage.conversations.map((c) => c.id));
  const last = firstPage.conversations.at(-1);
  const rest = list.conversations.filter(
    (c) => !fresh.has(c.id) && (firstPage.nextCursor === null ? false : !last || compareConversations(c, last) > 0),
  );
  if (rest.length === 0) return firstPage;
  return { conversations: [...firstPage.conversations, ...rest], nextCursor: list.nextCursor };
}

/** A group's name, as its message key (the sidebar says it in the interface's language). */
export type GroupLabel = "pinned" | "today" | "yesterday" | "previous7Days" | "older";

export type ConversationGroup = { label: GroupLabel; conversations: ConversationItem[] };

const DAY_LABELS = ["today", "yesterday", "previous7Days", "older"] as const;

/** Local midnight `days` calendar days before `now`'s (right across daylight-saving changes). */
function startOfDay(now: Date, days: number): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - days).getTime();
}

/** Pinned first, then by the local day of last activity: Today, Yesterday, Previous 7 days, Older. Empty groups go. */
export function groupConversations(conversations: ConversationItem[], now: Date): ConversationGroup[] {
  const bounds = [startOfDay(now, 0), startOfDay(now, 1), startOfDay(now, 7), Number.NEGATIVE_INFINITY];
  const groups: ConversationGroup[] = [{ label: "pinned", conversations: [] }];
  for (const label of DAY_LABELS) groups.push({ label, conversations: [] });
  for (const conversation of conversations) {
    const time = Date.parse(conversation.updatedAt);
    const index = conversation.pinnedAt !== null ? 0 : 1 + bounds.findIndex((bound) => time >= bound);
    groups[index]?.conversations.push(conversation);
  }
  return groups.filter((group) => group.conversations.length > 0);
}
