// The open drawer's behaviour as a modal dialog (use-drawer.ts loads this when it first opens, or at the first sign the
// user will open it): focus goes in, Tab stays inside, Esc and following a link close it, and focus comes back to the
// menu button when it closes.

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex="0"]';

/** Makes `panel` modal until the returned function is called (the drawer closed). */
export function holdModal({
  panel,
  opener,
  close,
}: {
  panel: HTMLElement;
  opener: HTMLElement | null;
  close: () => void;
}): () => void {
  // After the transition has started, the panel is visible, so it can take focus.
  panel.querySelector<HTMLElement>(FOCUSABLE)?.focus();

  // Esc anywhere closes it (focus may have left it for the page, a blurred field), unless something inside used the
  // key (a menu, the search box clearing itself) or a dialog opened above it has it.
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== "Escape" || event.defaultPrevented || (event.target as Element | null)?.closest?.("dialog"))
      return;
    event.preventDefault();
    close();
  };
  const keepTabInside = (event: KeyboardEvent) => {
    if (event.key !== "Tab") return;
    const items = [...panel.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((item) => item.offsetParent !== null);
    const first = items[0];
    const last = items.at(-1);
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  };
  // A link followed in the drawer closes it, also when it leads to the page already shown.
  const closeOnLink = (event: MouseEvent) => {
    if ((event.target as Element).closest("a[href]")) close();
  };
  document.addEventListener("keydown", closeOnEscape);
  panel.addEventListener("keydown", keepTabInside);
  panel.addEventListener("click", closeOnLink);
  return () => {
    document.removeEventListener("keydown", closeOnEscape);
    panel.removeEventListener("keydown", keepTabInside);
    panel.removeEventListener("click", closeOnLink);
    const active = document.activeElement;
    // Focus goes back to the menu button unless the user has moved it somewhere meaningful outside.
    if (!active || active === document.body || panel.contains(active)) opener?.focus();
  };
}
