"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { AppError } from "@/lib/errors";

type Share = { id: string; path: string; createdAt: string };

/** What the dialog knows: still asking, the link (or none), or why asking failed. */
type State = { status: "loading" } | { status: "ready"; share: Share | null } | { status: "failed"; message: string };

async function shareRequest(url: string, method: "GET" | "POST" | "DELETE"): Promise<Share | null> {
  const response = await fetch(url, { method, cache: "no-store" });
  if (response.status === 204) return null;
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    throw AppError.fromBody(body) ?? new AppError("internal", `The server answered ${response.status}. Try again.`);
  }
  return (body as { share: Share | null }).share;
}

/** Creates, copies and revokes the conversation's public read-only link, in a modal dialog. */
export function ShareDialog({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [state, setState] = useState<State>({ status: "loading" });
  const [isBusy, setIsBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const url = `/api/conversations/${encodeURIComponent(conversationId)}/share`;

  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
    shareRequest(url, "GET").then(
      (share) => setState({ status: "ready", share }),
      (error: Error) => setState({ status: "failed", message: error.message }),
    );
  }, [url]);

  async function change(method: "POST" | "DELETE") {
    setIsBusy(true);
    setNotice(null);
    try {
      const share = await shareRequest(url, method);
      setState({ status: "ready", share });
      setNotice(method === "DELETE" ? "Sharing stopped: the link no longer works." : null);
    } catch (error) {
      setState({ status: "failed", message: (error as Error).message });
    } finally {
      setIsBusy(false);
    }
  }

  const link = state.status === "ready" && state.share ? new URL(state.share.path, window.location.origin).href : null;

  async function copy() {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
      setNotice("Link copied.");
    } catch {
      setNotice("Copying was refused by the browser: select the link and copy it.");
    }
  }

  return (
    <dialog
      ref={dialog}
      aria-labelledby="share-dialog-title"
      onClose={onClose}
      className="m-auto w-[32rem] max-w-[calc(100vw-2rem)] rounded-2xl border border-zinc-200 p-6 shadow-xl backdrop:bg-black/30"
    >
      <h2 id="share-dialog-title" className="text-lg font-semibold">
        Share conversation
      </h2>
      <p className="mt-2 text-sm text-zinc-600">
        Anyone with the link can read this conversation&apos;s title and messages, without signing in. Costs, models and
        your account are never shown. Stopping sharing makes the link stop working.
      </p>
      <div className="mt-4 flex flex-col gap-3">
        {state.status === "loading" ? <p className="text-sm text-zinc-500">Loading…</p> : null}
        {state.status === "failed" ? (
          <p role="alert" className="text-sm text-red-800">
            {state.message}
          </p>
        ) : null}
        {link ? (
          <>
            <label className="flex flex-col gap-1 text-sm font-medium">
              Share link
              <input
                readOnly
                value={link}
                onFocus={(event) => event.currentTarget.select()}
                className="rounded-lg border border-zinc-300 bg-zinc-50 px-3 py-2 font-mono text-xs"
              />
            </label>
            <div className="flex gap-2">
              <Button onClick={copy}>Copy link</Button>
              <Button variant="danger" disabled={isBusy} onClick={() => change("DELETE")}>
                Stop sharing
              </Button>
            </div>
          </>
        ) : state.status === "ready" ? (
          <div>
            <Button disabled={isBusy} onClick={() => change("POST")}>
              Create link
            </Button>
          </div>
        ) : null}
        {notice ? (
          <p role="status" className="text-sm text-zinc-700">
            {notice}
          </p>
        ) : null}
      </div>
      <div className="mt-6 flex justify-end">
        <Button variant="secondary" onClick={() => dialog.current?.close()}>
          Close
        </Button>
      </div>
    </dialog>
  );
}
