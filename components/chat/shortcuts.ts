// Which key press is which shortcut: pure, so the rules (when a key is text and when a command) are tested without a
// browser (shortcuts.test.ts). components/chat/keyboard-shortcuts.tsx acts on the answer.

export type Shortcut = "newChat" | "focusComposer" | "stop" | "help";

export type KeyPress = Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey">;

/** The `data-shortcut` attributes of what the shortcuts act on (the composer's field, the Stop button, the search box). */
export const SHORTCUT_TARGET = { composer: "composer", stop: "stop", search: "search" } as const;

type Context = {
  /** Focus is in a text field: `/` and `?` are text there. */
  isTyping: boolean;
  /** A reply is being written (the Stop button is there). */
  isStreaming: boolean;
  /** A dialog or menu is open: Esc (and what is behind it) is theirs. */
  isOverlayOpen: boolean;
  /** The focused element already used the key (the search box clears on Esc, the message editor cancels). */
  wasHandled: boolean;
};

/** Ctrl/⌘+Shift+O, as in ChatGPT (the key is "O" with Shift held, "o" on some layouts): a new chat. */
export function isNewChatPress(press: KeyPress): boolean {
  return (press.ctrlKey || press.metaKey) && press.shiftKey && !press.altKey && press.key.toLowerCase() === "o";
}

/** Ctrl/⌘+K: focus the sidebar's search box. */
export function isSearchPress(press: KeyPress): boolean {
  return (press.ctrlKey || press.metaKey) && !press.shiftKey && !press.altKey && press.key.toLowerCase() === "k";
}

export function shortcutFor(
  press: KeyPress,
  { isTyping, isStreaming, isOverlayOpen, wasHandled }: Context,
): Shortcut | null {
  if (isNewChatPress(press)) return "newChat";
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  if (press.key === "Escape") {
    if (isOverlayOpen) return null;
    if (press.shiftKey) return "focusComposer";
    return isStreaming && !wasHandled ? "stop" : null;
  }
  if (isTyping) return null;
  if (press.key === "/") return "focusComposer";
  if (press.key === "?") return "help";
  return null;
}
