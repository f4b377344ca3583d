import { describe, expect, it } from "vitest";
import { isNewChatPress, isSearchPress, type KeyPress, shortcutFor } from "./shortcuts";

const key = (key: string, modifiers: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...modifiers,
});
const idle = { isTyping: false, isStreaming: false, isOverlayOpen: false, wasHandled: false };

describe("shortcutFor", () => {
  it("opens a new chat on Ctrl/⌘+Shift+O, even while typing", () => {
    expect(shortcutFor(key("O", { ctrlKey: true, shiftKey: true }), { ...idle, isTyping: true })).toBe("newChat");
    expect(shortcutFor(key("o", { metaKey: true, shiftKey: true }), idle)).toBe("newChat");
    expect(shortcutFor(key("o", { ctrlKey: true }), idle)).toBeNull();
    expect(shortcutFor(key("O", { ctrlKey: true, shiftKey: true, altKey: true }), idle)).toBeNull();
  });

  it("takes / and ? as shortcuts only when focus is not in a text field", () => {
    expect(shortcutFor(key("/"), idle)).toBe("focusComposer");
    expect(shortcutFor(key("?", { shiftKey: true }), idle)).toBe("help");
    expect(shortcutFor(key("/"), { ...idle, isTyping: true })).toBeNull();
    expect(shortcutFor(key("?", { shiftKey: true }), { ...idle, isTyping: true })).toBeNull();
    expect(shortcutFor(key("/", { ctrlKey: true }), idle)).toBeNull();
    expect(shortcutFor(key("a"), idle)).toBeNull();
  });

  it("stops a streaming reply on Esc unless a dialog, a menu or the focused field has it", () => {
    expect(shortcutFor(key("Escape"), { ...idle, isStreaming: true, isTyping: true })).toBe("stop");
    expect(shortcutFor(key("Escape"), idle)).toBeNull();
    expect(shortcutFor(key("Escape"), { ...idle, isStreaming: true, isOverlayOpen: true })).toBeNull();
    expect(shortcutFor(key("Escape"), { ...idle, isStreaming: true, wasHandled: true })).toBeNull();
  });

  it("focuses the composer on Shift+Esc from anywhere but a dialog or menu", () => {
    expect(shortcutFor(key("Escape", { shiftKey: true }), { ...idle, isTyping: true, wasHandled: true })).toBe(
      "focusComposer",
    );
    expect(shortcutFor(key("Escape", { shiftKey: true }), { ...idle, isOverlayOpen: true })).toBeNull();
  });

  it("tells the first load's keys: Ctrl/⌘+Shift+O a new chat, Ctrl/⌘+K the search box", () => {
    expect(isNewChatPress(key("O", { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(isNewChatPress(key("o", { metaKey: true, shiftKey: true }))).toBe(true);
    expect(isNewChatPress(key("o", { ctrlKey: true }))).toBe(false);
    expect(isNewChatPress(key("O", { ctrlKey: true, shiftKey: true, altKey: true }))).toBe(false);
    expect(isSearchPress(key("k", { ctrlKey: true }))).toBe(true);
    expect(isSearchPress(key("K", { metaKey: true }))).toBe(true);
    expect(isSearchPress(key("k", { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isSearchPress(key("k"))).toBe(false);
  });
});
