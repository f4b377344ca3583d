"use client";

import { useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { RequestTexts } from "./conversation-requests";
import { announceConversationRenamed, CONVERSATIONS_CHANGED } from "./events";
import { type ConversationItem, type ConversationPage, mergeFirstPage, placeConversation } from "./history";

/** How long a deleted conversation can be brought back before it is really deleted. */
export const UNDO_MS = 6_000;

// The requests themselves load on their first need (conversation-requests.ts).
const loadRequests = () => import("./conversation-requests");
type Requests = Awaited<ReturnType<typeof loadRequests>>;

/** DELETE, sent with keepalive so it completes even when the page is being left (before its answer's reader loads). */
function sendDelete(id: string) {
  return fetch(`/api/conversations/${encodeURIComponent(id)}`, { method: "DELETE", keepalive: true });
}

/**
 * The sidebar's conversations: pages loaded on demand, the first page reloaded after each chat turn, renames and pins,
 * and deletions that wait UNDO_MS for an Undo before they are sent (at once if the page is left). Deleting through the
 * DELETE route matters: it also stops a reply still running in that chat.
 */
export function useConversationList(firstPage: ConversationPage) {
  const t = useTranslations("sidebar");
  const texts = useMemo<RequestTexts>(
    () => ({
      loadOffline: t("loadOffline"),
      loadFailed: t("loadFailed"),
      saveOffline: t("saveOffline"),
      saveFailed: t("saveFailed"),
      deleteRefused: t("deleteRefused"),
      offline: t("offline"),
    }),
    [t],
  );
  const [list, setList] = useState(firstPage);
  const [isLoadingMore, setIsLoadingMore] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  /** Deleted from the user's view: waiting for Undo, or being deleted. */
  const [hiddenIds, setHiddenIds] = useState<string[]>([]);
  /** The deletion Undo can still cancel. */
  const [undoable, setUndoable] = useState<ConversationItem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const pending = useRef<{ item: ConversationItem; timer: ReturnType<typeof setTimeout> } | null>(null);
  const loadingCursor = useRef<string | null>(null);

  const reload = useCallback(async () => {
    const page = await (await loadRequests()).fetchConversationPage({ cursor: null, texts });
    if ("problem" in page) return;
    setList((current) => mergeFirstPage(current, page));
  }, [texts]);

  useEffect(() => {
    window.addEventListener(CONVERSATIONS_CHANGED, reload);
    return () => window.removeEventListener(CONVERSATIONS_CHANGED, reload);
  }, [reload]);

  const loadMore = useCallback(async () => {
    const cursor = list.nextCursor;
    if (cursor === null || loadingCursor.current === cursor) return;
    loadingCursor.current = cursor;
    setIsLoadingMore(true);
    try {
      const page = await (await loadRequests()).fetchConversationPage({ cursor, texts });
      if ("problem" in page) {
        setLoadError(page.problem);
        return;
      }
      setLoadError(null);
      setList((current) => {
        // A reload in between already moved on.
        if (current.nextCursor !== cursor) return current;
        const known = new Set(current.conversations.map((c) => c.id));
        const added = page.conversations.filter((c) => !known.has(c.id));
        return { conversations: [...current.conversations, ...added], nextCursor: page.nextCursor };
      });
    } catch {
      setLoadError(texts.loadOffline);
    } finally {
      loadingCursor.current = null;
      setIsLoadingMore(false);
    }
  }, [list.nextCursor, texts]);

  const update = useCallback(
    async (item: ConversationItem, change: { title?: string; pinned?: boolean }): Promise<string | null> => {
      let answer: Awaited<ReturnType<Requests["updateConversation"]>>;
      try {
        answer = await (await loadRequests()).updateConversation({ id: item.id, change, texts });
      } catch {
        return texts.saveOffline;
      }
      if ("problem" in answer) return answer.problem;
      const updated = answer.conversation;
      setList((current) => placeConversation(current, updated));
      if (updated.title !== item.title) announceConversationRenamed(updated);
      return null;
    },
    [texts],
  );

  const rename = useCallback((item: ConversationItem, title: string) => update(item, { title }), [update]);

  const togglePin = useCallback(
    async (item: ConversationItem) => {
      const problem = await update(item, { pinned: item.pinnedAt === null });
      if (problem) setNotice(problem);
    },
    [update],
  );

  const commit = useCallback(
    async (item: ConversationItem) => {
      const response = sendDelete(item.id);
      let problem: string | null;
      try {
        problem = await (await loadRequests()).deletionProblem({ response, texts });
      } catch {
        problem = texts.offline;
      }
      if (problem === null)
        setList((current) => ({ ...current, conversations: current.conversations.filter((c) => c.id !== item.id) }));
      else setNotice(t("deleteFailed", { title: item.title, problem }));
      setHiddenIds((ids) => ids.filter((id) => id !== item.id));
    },
    [t, texts],
  );

  /** The deletion waiting for Undo, no longer waiting. */
  const takePending = useCallback((): ConversationItem | null => {
    const current = pending.current;
    if (!current) return null;
    pending.current = null;
    clearTimeout(current.timer);
    setUndoable(null);
    return current.item;
  }, []);

  /** Sends the deletion waiting for Undo now. */
  const flush = useCallback(() => {
    const item = takePending();
    if (item) void commit(item);
  }, [takePending, commit]);

  const remove = useCallback(
    (item: ConversationItem) => {
      flush();
      setNotice(null);
      setHiddenIds((ids) => [...ids, item.id]);
      setUndoable(item);
      pending.current = { item, timer: setTimeout(flush, UNDO_MS) };
    },
    [flush],
  );

  const undo = useCallback(() => {
    const item = takePending();
    if (item) setHiddenIds((ids) => ids.filter((id) => id !== item.id));
  }, [takePending]);

  // Leaving the page (closing the tab, reloading, following a link out) deletes what is waiting for Undo.
  useEffect(() => {
    window.addEventListener("pagehide", flush);
    return () => {
      window.removeEventListener("pagehide", flush);
      flush();
    };
  }, [flush]);

  useEffect(() => {
    if (notice === null) return;
    const timer = setTimeout(() => setNotice(null), UNDO_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  const conversations =
    hiddenIds.length === 0 ? list.conversations : list.conversations.filter((c) => !hiddenIds.includes(c.id));
  return {
    conversations,
    hiddenIds,
    hasMore: list.nextCursor !== null,
    isLoadingMore,
    loadError,
    loadMore,
    reload,
    rename,
    togglePin,
    remove,
    undo,
    undoable,
    notice,
  };
}
