"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { AppError } from "@/lib/errors";
import { TOUCH_TARGET } from "./touch";

type Share = { id: string; path: string; createdAt: string };

/** What the dialog knows: still asking, the link (or none), or why asking failed. */
type State = { status: "loading" } | { status: "ready"; share: Share | null } | { status: "failed"; message: string };

async function shareRequest({
  url,
  method,
  failed,
}: {
  url: string;
  method: "GET" | "POST" | "DELETE";
  /** What to say when the server gives no message of its own, from its status. */
  failed: (status: number) => string;
}): Promise<Share | null> {
  const response = await fetch(url, { method, cache: "no-store" });
  if (response.status === 204) return null;
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw AppError.fromBody(body) ?? new AppError("internal", failed(response.status));
  return (body as { share: Share | null }).share;
}

/** Creates, copies and revokes the conversation's public read-only link, in a modal dialog. */
export function ShareDialog({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const t = useTranslations("share");
  const tCommon = useTranslations("common");
  const dialog = useRef<HTMLDialogElement>(null);
  const [state, setState] = useState<State>({ status: "loading" });
  const [isBusy, setIsBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const url = `/api/conversations/${encodeURIComponent(conversationId)}/share`;

  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
    shareRequest({ url, method: "GET", failed: (status) => t("serverAnswered", { status }) }).then(
      (share) => setState({ status: "ready", share }),
      (error: Error) => setState({ status: "failed", message: error.message }),
    );
  }, [url, t]);

  async function change(method: "POST" | "DELETE") {
    setIsBusy(true);
    setNotice(null);
    try {
      const share = await shareRequest({ url, method, failed: (status) => t("serverAnswered", { status }) });
      setState({ status: "ready", share });
      setNotice(method === "DELETE" ? t("stopped") : null);
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
      setNotice(t("copied"));
    } catch {
      setNotice(t("copyRefused"));
    }
  }

  return (
    <dialog
      ref={dialog}
      aria-labelledby="share-dialog-title"
      onClose={onClose}
      className="m-auto w-[32rem] max-w-[calc(100vw-2rem)] rounded-2xl border border-zinc-200 p-6 max-sm:p-4 shadow-xl backdrop:bg-black/30"
    >
      <h2 id="share-dialog-title" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p className="mt-2 text-sm text-zinc-600">{t("explanation")}</p>
      <div className="mt-4 flex flex-col gap-3">
        {state.status === "loading" ? <p className="text-sm text-zinc-500">{tCommon("loading")}</p> : null}
        {state.status === "failed" ? (
          <p role="alert" className="text-sm text-red-800">
            {state.message}
          </p>
        ) : null}
        {link ? (
          <>
            <label className="flex flex-col gap-1 text-sm font-medium">
              {t("link")}
              <input
                readOnly
                value={link}
                onFocus={(event) => event.currentTarget.select()}
                className="rounded-lg border border-zinc-300 bg-zinc-50 px-3 py-2 font-mono text-xs"
              />
            </label>
            <div className="flex flex-wrap gap-2">
              <Button className={TOUCH_TARGET} onClick={copy}>
                {t("copyLink")}
              </Button>
              <Button variant="danger" className={TOUCH_TARGET} disabled={isBusy} onClick={() => change("DELETE")}>
                {t("stop")}
              </Button>
            </div>
          </>
        ) : state.status === "ready" ? (
          <div>
            <Button className={TOUCH_TARGET} disabled={isBusy} onClick={() => change("POST")}>
              {t("create")}
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
        <Button variant="secondary" className={TOUCH_TARGET} onClick={() => dialog.current?.close()}>
          {tCommon("close")}
        </Button>
      </div>
    </dialog>
  );
}
