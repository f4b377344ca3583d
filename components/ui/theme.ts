/**
 * The theme: light, dark or the system's, kept in localStorage under `theme` (next-themes' key and values, which this
 * replaced: a choice made before stays). <html> gets the class `light` or `dark` and that color-scheme from an inline
 * script that runs before the first paint (theme-script.ts), so the wrong theme never flashes; the same script follows
 * the system's scheme, other tabs and setTheme for the page's life, so the pages ship no theme provider (next-themes
 * was ~1 KiB gzip of every page's first load).
 */
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

export const STORAGE_KEY = "theme";
/** setTheme → the script: apply the stored choice. */
export const CHOSEN_EVENT = "chatledger:theme-chosen";
/** The script → the page: the class and the choice may have changed. */
export const APPLIED_EVENT = "chatledger:theme-applied";

/** Where storage is blocked, this page's choice. */
let chosenHere: Theme = "system";

/** The stored choice ("system" when none). */
export function storedTheme(): Theme {
  try {
    const chosen = localStorage.getItem(STORAGE_KEY);
    return THEMES.find((theme) => theme === chosen) ?? "system";
  } catch {
    return chosenHere;
  }
}

export function setTheme(theme: Theme) {
  chosenHere = theme;
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Storage blocked: the theme holds for this page only.
  }
  window.dispatchEvent(new CustomEvent(CHOSEN_EVENT, { detail: theme }));
}

/** For useSyncExternalStore: calls `onChange` after the script has applied a choice or a change of the system's scheme. */
export function subscribeToTheme(onChange: () => void) {
  window.addEventListener(APPLIED_EVENT, onChange);
  return () => window.removeEventListener(APPLIED_EVENT, onChange);
}
