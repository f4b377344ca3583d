// The sidebar listens for this after a chat turn, so a new or re-ordered conversation shows without a reload.
export const CONVERSATIONS_CHANGED = "chatledger:conversations-changed";

let conversationChanges = 0;

export function announceConversationsChanged() {
  conversationChanges += 1;
  window.dispatchEvent(new Event(CONVERSATIONS_CHANGED));
}

/** A turn changed the list since the page loaded (the sidebar's list may have hydrated after it: it reloads then). */
export function conversationsChangedSinceLoad(): boolean {
  return conversationChanges > 0;
}

/**
 * How many times the list changed since the page loaded. A listener added after its component rendered (an effect
 * runs a moment after the render) compares it with the count at the render, so a change in between is not missed.
 */
export function conversationChangeCount(): number {
  return conversationChanges;
}

// The sidebar renames a conversation; the chat showing it updates its header and the tab's title.
const CONVERSATION_RENAMED = "chatledger:conversation-renamed";

type Renamed = { id: string; title: string };

export function announceConversationRenamed(conversation: Renamed) {
  window.dispatchEvent(new CustomEvent<Renamed>(CONVERSATION_RENAMED, { detail: conversation }));
}

/** Calls `onRename` with the new title whenever conversation `id` is renamed; returns the unsubscribe function. */
export function onConversationRenamed(id: string, onRename: (title: string) => void): () => void {
  const listener = (event: Event) => {
    const { detail } = event as CustomEvent<Renamed>;
    if (detail.id === id) onRename(detail.title);
  };
  window.addEventListener(CONVERSATION_RENAMED, listener);
  return () => window.removeEventListener(CONVERSATION_RENAMED, listener);
}
