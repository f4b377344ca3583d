/** Runs `task` when the browser is next idle (soon after the page has loaded); returns the cancel. */
export function whenIdle(task: () => void): () => void {
  if (typeof requestIdleCallback === "function") {
    // The timeout bounds the wait on a page that is never idle (a reply streaming in).
    const handle = requestIdleCallback(task, { timeout: 3_000 });
    return () => cancelIdleCallback(handle);
  }
  // Safari has no requestIdleCallback.
  const timer = setTimeout(task, 1_000);
  return () => clearTimeout(timer);
}

/**
 * Runs `task` once the page has loaded (its load event) and the browser is then idle; returns the cancel. For what the
 * first paint does not need but the user soon will: fetched after what the page shows, before they act.
 */
export function whenLoadedAndIdle(task: () => void): () => void {
  if (document.readyState === "complete") return whenIdle(task);
  let cancel = () => {};
  const onLoad = () => {
    cancel = whenIdle(task);
  };
  window.addEventListener("load", onLoad, { once: true });
  return () => {
    window.removeEventListener("load", onLoad);
    cancel();
  };
}
