"use client";

import { type ComponentType, lazy, memo, type ReactNode, Suspense, useEffect, useLayoutEffect, useRef } from "react";
import { whenLoadedAndIdle } from "./when-idle";

type Options = {
  /** Shown while the code loads when the part is rendered afresh in the browser (not hydrating the server's HTML). */
  fallback?: ReactNode;
  /**
   * The part has controls: a click (a link's too, unless it opens elsewhere), an edit or a change made in it before its
   * code has come fetches the code at once and is made again once the part has hydrated. Its HTML is then wrapped in
   * a `display: contents` element.
   */
  isInteractive?: boolean;
};

/** What the user did in a deferred part before it hydrated, to be done again then. */
type Pending = { target: EventTarget; type: string };

const REPLAYED = ["click", "dblclick", "input", "change"];

/**
 * Tells React of text typed into a field before it hydrated. React took that text as the field's value while
 * hydrating, so an input event alone would change nothing for it: the field is emptied through React's own record of
 * its value, given its text back past that record, and the event sent.
 */
function retype(field: HTMLInputElement | HTMLTextAreaElement) {
  const text = field.value;
  field.value = "";
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field), "value")?.set?.call(field, text);
  field.dispatchEvent(new Event("input", { bubbles: true }));
}

/**
 * A part of the page whose code is left out of the page's first load. The server renders it in full; in the browser its
 * HTML stays as sent until the page has loaded and is idle (or `preload` is called, at the first sign the user needs
 * it), and then it hydrates. Until then React handles no event inside it: a part with controls says so
 * (`isInteractive`) and what the user does there is made again once it has hydrated. Made once, at a module's top
 * level.
 */
export function deferred<P extends object>(
  load: () => Promise<ComponentType<P>>,
  { fallback = null, isInteractive = false }: Options = {},
): { Deferred: ComponentType<P>; preload: () => void } {
  let isHydrated = false;
  let pending: Pending[] = [];
  const replay = () => {
    isHydrated = true;
    const events = pending;
    pending = [];
    for (const { target, type } of events) {
      if (!(target instanceof HTMLElement) || !target.isConnected) continue;
      if (type === "click") target.click();
      else if (type === "dblclick") target.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true }));
      else if (type === "input" && (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement)) {
        retype(target);
      } else target.dispatchEvent(new Event(type, { bubbles: true }));
    }
  };
  let loading: Promise<{ default: ComponentType<P> }> | undefined;
  const start = () => {
    loading ??= load().then((Component) => ({
      default: function Hydrated(props: P) {
        useLayoutEffect(replay, []);
        return <Component {...props} />;
      },
    }));
    return loading;
  };
  let ask = () => {};
  const asked = new Promise<void>((resolve) => {
    ask = resolve;
  });
  const preload = () => {
    ask();
    void start();
  };
  const Lazy = lazy(() =>
    typeof window === "undefined"
      ? start()
      : Promise.race([asked, new Promise<void>((resolve) => whenLoadedAndIdle(resolve))]).then(start),
  );
  // biome-ignore lint/correctness/noComponentHookFactories: made once, at a module's top level (as React.lazy is).
  function Deferred(props: P) {
    const box = useRef<HTMLDivElement>(null);
    // Listening on the window, in the capture phase: before React's listener at the root, which would try to hydrate
    // the part at once and, its code not there yet, drop the event.
    useEffect(() => {
      const element = box.current;
      if (!element || isHydrated) return;
      const hold = (event: Event) => {
        const target = event.target as Element;
        if (isHydrated || !element.contains(target)) return;
        const isClick = event instanceof MouseEvent;
        // A click with a modifier or another button (a link opened elsewhere) is left to the browser.
        if (isClick && (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)) return;
        event.stopPropagation();
        if (isClick) event.preventDefault();
        // A field's edits are made again as one (its text as it is then); each click is made again.
        if (isClick || !pending.some((held) => held.target === target && held.type === event.type)) {
          pending.push({ target, type: event.type });
        }
        preload();
      };
      for (const type of REPLAYED) window.addEventListener(type, hold, true);
      return () => {
        for (const type of REPLAYED) window.removeEventListener(type, hold, true);
      };
    }, []);
    const part = (
      <Suspense fallback={fallback}>
        <Lazy {...props} />
      </Suspense>
    );
    return isInteractive ? (
      <div ref={box} className="contents">
        {part}
      </div>
    ) : (
      part
    );
  }
  return {
    // Memoized: a parent's render with the same props leaves the HTML as sent (new props before the code has come
    // would show `fallback` until it does).
    // biome-ignore lint/correctness/noComponentHookFactories: as above.
    Deferred: memo(Deferred),
    preload,
  };
}
