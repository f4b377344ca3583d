"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import type { Shortcut } from "./shortcuts";

/** The keys of each shortcut as the help dialog lists them; `mod` is ⌘ on Apple devices, Ctrl elsewhere. */
const KEYS: { shortcut: Shortcut | "search" | "send" | "newLine"; keys: string[][] }[] = [
  { shortcut: "newChat", keys: [["mod", "Shift", "O"]] },
  { shortcut: "search", keys: [["mod", "K"]] },
  { shortcut: "focusComposer", keys: [["Shift", "Esc"], ["/"]] },
  { shortcut: "send", keys: [["Enter"]] },
  { shortcut: "newLine", keys: [["Shift", "Enter"]] },
  { shortcut: "stop", keys: [["Esc"]] },
  { shortcut: "help", keys: [["?"]] },
];

/**
 * Tab and Shift+Tab cycle through the dialog's controls: a modal <dialog> makes the page behind it inert, but Tab
 * from its last control would still leave it for the browser's own bar.
 */
function keepTabInside(event: React.KeyboardEvent<HTMLDialogElement>) {
  if (event.key !== "Tab") return;
  const controls = [
    ...event.currentTarget.querySelectorAll<HTMLElement>("a[href], button:not(:disabled), input, select, textarea"),
  ];
  const first = controls[0];
  const last = controls.at(-1);
  if (!first || !last) return;
  if (event.shiftKey ? document.activeElement === first : document.activeElement === last) {
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
  }
}

/** The list of shortcuts, in a modal <dialog>: labelled, focus kept inside, Esc closes, focus goes back. */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const t = useTranslations("shortcuts");
  const tCommon = useTranslations("common");
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [mod] = useState(() => (/Mac|iPhone|iPad/.test(navigator.platform) ? "⌘" : "Ctrl"));

  useEffect(() => {
    const element = dialog.current;
    const openedFrom = document.activeElement;
    element?.showModal();
    return () => {
      element?.close();
      if (openedFrom instanceof HTMLElement && openedFrom.isConnected) openedFrom.focus();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onClose={onClose}
      onKeyDown={keepTabInside}
      className="m-auto w-full max-w-md rounded-xl border border-zinc-200 bg-white p-5 text-zinc-900 shadow-xl backdrop:bg-black/40"
    >
      <h2 id={titleId} className="text-base font-semibold">
        {t("title")}
      </h2>
      <table className="mt-3 w-full text-sm">
        <thead className="sr-only">
          <tr>
            <th scope="col">{t("action")}</th>
            <th scope="col">{t("keys")}</th>
          </tr>
        </thead>
        <tbody>
          {KEYS.map(({ shortcut, keys }) => (
            <tr key={shortcut} className="border-t border-zinc-200 first:border-t-0">
              <th scope="row" className="py-2 pr-4 text-left font-normal text-zinc-700">
                {t(shortcut)}
              </th>
              <td className="py-2 text-right whitespace-nowrap">
                {keys.map((combo, index) => (
                  <span key={combo.join("+")}>
                    {index > 0 ? <span className="px-1 text-zinc-600">{t("or")}</span> : null}
                    {combo.map((key) => (
                      <kbd
                        key={key}
                        className="ml-1 rounded border border-zinc-300 bg-zinc-50 px-1.5 py-0.5 font-mono text-xs"
                      >
                        {key === "mod" ? mod : key}
                      </kbd>
                    ))}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="mt-4 flex justify-end">
        {/* First in the dialog to take focus, so Enter closes it at once. */}
        <Button variant="secondary" autoFocus onClick={() => dialog.current?.close()}>
          {tCommon("close")}
        </Button>
      </div>
    </dialog>
  );
}
