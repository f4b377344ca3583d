// The sidebar listens for this after a chat turn, so a new or re-ordered conversation shows without a reload.
export const CONVERSATIONS_CHANGED = "chatledger:conversations-changed";

export function announceConversationsChanged() {
  window.dispatchEvent(new Event(CONVERSATIONS_CHANGED));
}
