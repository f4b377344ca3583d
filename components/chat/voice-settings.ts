"use client";

import { useSyncExternalStore } from "react";

// "Send voice messages directly": a choice of this browser (localStorage), like the theme; not part of the account,
// since whether to review a transcript first depends on the device (a phone on the go, a desk with a keyboard).

const KEY = "chatledger.voice.sendDirectly";
const listeners = new Set<() => void>();

/** Whether a transcript is sent at once (read when the user starts, by voice-recorder.tsx). */
export function sendsVoiceDirectly(): boolean {
  try {
    return window.localStorage.getItem(KEY) === "1";
  } catch {
    // Storage blocked (private mode, a policy): the transcript goes to the composer, the safe default.
    return false;
  }
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

export function useSendVoiceDirectly(): [boolean, (value: boolean) => void] {
  const value = useSyncExternalStore(subscribe, sendsVoiceDirectly, () => false);
  const set = (next: boolean) => {
    try {
      if (next) window.localStorage.setItem(KEY, "1");
      else window.localStorage.removeItem(KEY);
    } catch {
      return;
    }
    for (const listener of listeners) listener();
  };
  return [value, set];
}
