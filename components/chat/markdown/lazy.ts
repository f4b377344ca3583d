"use client";

import { useEffect, useSyncExternalStore } from "react";

/** Something loaded on first need (a code chunk, a grammar), shared by every component that needs it. */
export interface Lazy<T> {
  /** The value once loaded, else null. */
  get(): T | null;
  load(): void;
  subscribe(onChange: () => void): () => void;
}

export function lazy<T>(name: string, loader: () => Promise<T>): Lazy<T> {
  let value: T | null = null;
  let isLoading = false;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    load() {
      if (value !== null || isLoading) return;
      isLoading = true;
      loader().then(
        (loaded) => {
          value = loaded;
          for (const listener of listeners) listener();
        },
        (error: unknown) => {
          // What needed it stays plain (code without colours, math as TeX); the next need tries again.
          isLoading = false;
          console.error(`[markdown] loading ${name} failed`, error);
        },
      );
    },
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
  };
}

const onServer = () => null;

/**
 * The value of `resource` once loaded (null until then, and always while hydrating, as on the server); asks for it
 * when `isNeeded`. A component that does not need it neither loads it nor renders again when it arrives.
 */
export function useLazy<T>(resource: Lazy<T> | null, isNeeded: boolean): T | null {
  const needed = isNeeded ? resource : null;
  const value = useSyncExternalStore(needed?.subscribe ?? noSubscription, needed?.get ?? onServer, onServer);
  useEffect(() => needed?.load(), [needed]);
  return value;
}

const noSubscription = () => () => {};
