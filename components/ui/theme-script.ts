import { APPLIED_EVENT, CHOSEN_EVENT, STORAGE_KEY } from "./theme";

// The theme's inline script (components/ui/theme.ts), apart from what the pages' JavaScript imports: only the root
// layout renders it, so its source is in the HTML and not in a chunk.

/**
 * The inline script's body: sets the class now and whenever the choice or the system's scheme changes, with CSS
 * transitions off for that frame (colours switch at once, not fading one by one). Its source is the script
 * (Function.prototype.toString), so it uses nothing from outside but its arguments.
 */
function applyThemes(storageKey: string, chosenEvent: string, appliedEvent: string) {
  const root = document.documentElement;
  const dark = window.matchMedia("(prefers-color-scheme: dark)");
  // `given`: the choice setTheme made, which holds even where storage is blocked.
  const apply = (isChange: boolean, given?: unknown) => {
    let chosen = typeof given === "string" ? given : null;
    try {
      chosen ??= localStorage.getItem(storageKey);
    } catch {
      // Storage blocked: the system's scheme.
    }
    const resolved = chosen === "light" || chosen === "dark" ? chosen : dark.matches ? "dark" : "light";
    const noTransitions = isChange ? document.createElement("style") : null;
    if (noTransitions) {
      noTransitions.textContent = "*,*::before,*::after{transition:none!important}";
      document.head.appendChild(noTransitions);
    }
    root.classList.remove("light", "dark");
    root.classList.add(resolved);
    root.style.colorScheme = resolved;
    if (noTransitions) {
      // Styles recomputed without transitions before they come back.
      window.getComputedStyle(document.body);
      setTimeout(() => noTransitions.remove(), 1);
    }
    window.dispatchEvent(new Event(appliedEvent));
  };
  apply(false);
  dark.addEventListener("change", () => apply(true));
  window.addEventListener("storage", (event) => {
    if (event.key === storageKey || event.key === null) apply(true);
  });
  window.addEventListener(chosenEvent, (event) => apply(true, (event as CustomEvent).detail));
}

/** The script app/layout.tsx puts first in <body>, with the response's CSP nonce. */
export const THEME_SCRIPT = `(${applyThemes.toString()})(${JSON.stringify([STORAGE_KEY, CHOSEN_EVENT, APPLIED_EVENT]).slice(1, -1)})`;
