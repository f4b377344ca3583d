// A conversation is a tree of messages: each message's parent is the previous message on its branch, and messages
// with the same parent and role are versions of one another (a regenerated reply, an edited user message). The chat
// shows one branch, the path from the conversation's active leaf up to its root. Pure functions over a conversation's
// rows, so every reader (the turn, the chat page, the stored-message route) builds the same branch.

export type TreeMessage = {
  id: string;
  parentId: string | null;
  role: string;
  isContinuation: boolean;
  createdAt: Date;
};

function byAge(a: TreeMessage, b: TreeMessage): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The active branch, oldest first: from `leafId` up its parents. Without a leaf (a chat stored before branches, or
 * one whose leaf is gone) the branch ends at the newest message. A parent outside the conversation ends the walk.
 */
export function activeBranch<T extends TreeMessage>(messages: T[], leafId: string | null): T[] {
  // Rows written without the parent chain (by hand, or by older tools) read as one branch in the order stored.
  if (messages.length > 1 && messages.every((message) => message.parentId === null)) return [...messages].sort(byAge);
  const byId = new Map(messages.map((message) => [message.id, message]));
  let current = (leafId ? byId.get(leafId) : undefined) ?? [...messages].sort(byAge).at(-1);
  const path: T[] = [];
  const seen = new Set<string>();
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    path.push(current);
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return path.reverse();
}

/** The versions of a message, oldest first: the messages with its parent and role (a continuation has none). */
export function versionIds(messages: TreeMessage[], message: TreeMessage): string[] {
  if (message.isContinuation) return [message.id];
  return messages
    .filter((other) => other.parentId === message.parentId && other.role === message.role && !other.isContinuation)
    .sort(byAge)
    .map((other) => other.id);
}

/**
 * The leaf a version switch makes active: from the chosen message down, always the newest child, so choosing a
 * version shows it with the conversation as it last went on from it.
 */
export function newestLeafUnder(messages: TreeMessage[], messageId: string): string {
  const children = new Map<string, TreeMessage[]>();
  for (const message of messages) {
    if (message.parentId === null) continue;
    const list = children.get(message.parentId) ?? [];
    list.push(message);
    children.set(message.parentId, list);
  }
  let leafId = messageId;
  const seen = new Set<string>();
  for (;;) {
    seen.add(leafId);
    const next = children.get(leafId)?.sort(byAge).at(-1);
    if (!next || seen.has(next.id)) return leafId;
    leafId = next.id;
  }
}
