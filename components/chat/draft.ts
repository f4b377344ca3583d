"use client";

import { startTransition, useEffect, useState, useSyncExternalStore } from "react";

/**
 * The composer's text, held outside React state: the composer and the cost meter's estimate subscribe to it, and the
 * chat, which renders every message, only reads it when sending. A keystroke then re-renders no message, however
 * long the conversation.
 */
export type Draft = {
  get(): string;
  set(text: string): void;
  subscribe(listener: () => void): () => void;
};

function createDraft(): Draft {
  let text = "";
  const listeners = new Set<() => void>();
  return {
    get: () => text,
    set(next) {
      if (next === text) return;
      text = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

/** A draft that lives as long as the component that creates it. */
export function useDraft(): Draft {
  const [draft] = useState(createDraft);
  return draft;
}

/** The draft's text; re-renders the caller on every change. */
export function useDraftText(draft: Draft): string {
  return useSyncExternalStore(draft.subscribe, draft.get, draft.get);
}

/**
 * The draft's text, updated in a transition: the caller re-renders after the key's own task, in slices React can
 * interrupt, never inside it. For what may lag the box by a frame (the meter's estimate, which waits for its debounce
 * anyway), so that typing only renders the composer at once.
 */
export function useDraftTextInTransition(draft: Draft): string {
  const [text, setText] = useState(draft.get);
  useEffect(() => {
    const update = () => startTransition(() => setText(draft.get()));
    // What changed between the render and this subscription.
    update();
    return draft.subscribe(update);
  }, [draft]);
  return text;
}
