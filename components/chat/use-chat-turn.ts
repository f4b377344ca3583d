"use client";

import { useTranslations } from "next-intl";
import { useMemo, useRef, useState } from "react";
import { useErrorText } from "@/components/i18n/use-error-text";
import type { ChatSettings } from "@/lib/chat/settings";
import type { ChatUIMessage, MessageFile, MeterState } from "@/lib/chat/ui-message";
import { AppError } from "@/lib/errors";
import type { TurnKind, TurnOption } from "./chat-transport";
import { isShownMessage } from "./message-list";
import { createTurnStopper } from "./stop-turn";
import { type ChatClient, useLazyChat } from "./use-lazy-chat";

const loadRequests = () => import("./turn-requests");

type Meter = { apply: (meter: MeterState) => void; refresh: () => Promise<void> };

/**
 * One chat's turns: sending a message, retrying a failed reply, regenerating or continuing the last reply, sending an
 * edited message, stopping a reply, showing another version of a message, and the messages as they stream in. The
 * server keeps the history (a tree of versions; the chat shows its active branch), so a request carries only the new
 * message or names the message it is about; each reply's final metadata updates the meter. `onRefused` hears of a
 * request the server refused before storing anything (bad input, budget, no API key): a new message is already gone
 * again, and after any other kind of turn the branch is read again as stored. The chat starts with the branch's
 * latest page; older pages load on request (`loadOlder`).
 */
export function useChatTurn({
  conversationId,
  initialMessages,
  hasOlderMessages,
  isReplying,
  model,
  settings,
  meter,
  onRefused,
}: {
  conversationId: string;
  initialMessages: ChatUIMessage[];
  /** Older messages of the branch come before `initialMessages`, not loaded yet. */
  hasOlderMessages: boolean;
  /** A reply was being written when the page was rendered (after a reload, or coming back): it streams on here. */
  isReplying: boolean;
  /** The model the next request goes to. */
  model: string;
  /** The conversation's parameters: those the model takes are sent (chat-transport.ts), and stored with the turn. */
  settings: ChatSettings;
  meter: Meter;
  onRefused: (message: string, kind: TurnKind) => void;
}) {
  const t = useTranslations("chat");
  const modelRef = useRef(model);
  modelRef.current = model;
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  // The transport and the callbacks below are made once per chat: they read the latest values through these.
  const latest = useRef({ meter, onRefused });
  latest.current = { meter, onRefused };
  /** The charged failed reply that a retry keeps in the chat (see retry below). */
  const keptOnRetry = useRef<ChatUIMessage | null>(null);
  /** The kind of the request on its way, for a refusal. */
  const pendingKind = useRef<TurnKind>("send");
  const [hasOlder, setHasOlder] = useState(hasOlderMessages);
  const [isLoadingOlder, setIsLoadingOlder] = useState(false);
  const loadingOlder = useRef(false);

  const stopper = useMemo(() => createTurnStopper(conversationId), [conversationId]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: setMessages, from useLazyChat below, is stable.
  const transport = useMemo(
    () => (client: ChatClient) =>
      client.createTurnTransport({
        conversationId,
        fetch: stopper.fetch,
        current: () => ({ model: modelRef.current, settings: settingsRef.current }),
        onKind: (kind) => {
          pendingKind.current = kind;
        },
        takeKeptOnRetry: () => {
          const kept = keptOnRetry.current;
          keptOnRetry.current = null;
          return kept;
        },
        setMessages: (list) => {
          setMessages(list);
        },
      }),
    [conversationId, stopper],
  );

  const { messages, sendMessage, regenerate, stop, status, error, setMessages, clearError } =
    useLazyChat<ChatUIMessage>({
      id: conversationId,
      messages: initialMessages,
      transport,
      resume: isReplying,
      // Nothing reached the server: as a refusal, the text goes back to the box.
      onLoadFailed: () => latest.current.onRefused(t("loadFailed"), pendingKind.current),
      // Also after an error: a failed reply carries the meter too; a refusal or a dropped connection does not.
      onFinish: ({ message, isAbort }) => {
        takeStoredUserMessage(message);
        const state = message.metadata?.meter;
        // Leaving the chat cuts the read too, but not the reply: the chat shows it when it opens again.
        if (isAbort) {
          if (stopper.isStopping) void showStoredReply(message);
        } else if (state) latest.current.meter.apply(state);
        else void latest.current.meter.refresh();
      },
      onError: (failure) => {
        const appError = AppError.fromText(failure.message);
        if (!appError) return;
        const kind = pendingKind.current;
        // Refused before anything was stored: drop the optimistic message, or show the branch as it still is.
        if (kind === "send") {
          setMessages((list) => {
            const lastUser = list.findLastIndex((m) => m.role === "user");
            return lastUser >= 0 ? list.slice(0, lastUser) : list;
          });
        } else void readBranch({ method: "GET" });
        clearError();
        latest.current.onRefused(appError.message, kind);
      },
    });

  const shownMessages = useRef(messages);
  shownMessages.current = messages;

  /**
   * The browser's copy of the user message a reply answers takes its stored id (so it can be edited later) and, after
   * an edit, its versions.
   */
  function takeStoredUserMessage(reply: ChatUIMessage) {
    const stored = reply.metadata?.userMessage;
    if (!stored) return;
    setMessages((list) => {
      const at = list.findIndex((m) => m.id === reply.id);
      const asked = list.slice(0, at < 0 ? list.length : at).findLastIndex((m) => m.role === "user");
      const message = list[asked];
      if (!message) return list;
      const copy = [...list];
      copy[asked] = { ...message, id: stored.id, metadata: { ...message.metadata, ...stored } };
      return copy;
    });
  }

  /** Reads the active branch as stored (GET), or makes the branch through a message the active one (POST). */
  async function readBranch(init: RequestInit) {
    const answer = await (await loadRequests()).fetchBranch(conversationId, init);
    if ("refusal" in answer) {
      return latest.current.onRefused(answer.refusal ?? t("readFailed", { status: answer.status }), "retry");
    }
    const { page } = answer;
    // The page starts at or above the message that changed: what the chat holds above its first message is that
    // message's ancestors, the same on every branch through it, so it stays.
    const first = page.messages[0];
    // Read through the ref: a refusal calls this from useChat's first callbacks, with the first render's messages.
    const shown = shownMessages.current;
    const at = first ? shown.findIndex((m) => m.id === first.id) : -1;
    setMessages(at < 0 ? page.messages : [...shown.slice(0, at), ...page.messages]);
    if (at < 0) setHasOlder(page.hasOlder);
  }

  /** Puts the page before the oldest message shown above it (the reader scrolled up). */
  async function loadOlder() {
    const oldest = messages[0];
    if (!hasOlder || !oldest || loadingOlder.current) return;
    loadingOlder.current = true;
    setIsLoadingOlder(true);
    try {
      const answer = await (await loadRequests()).fetchOlderPage(conversationId, oldest.id);
      if ("refusal" in answer) {
        return latest.current.onRefused(answer.refusal ?? t("olderFailed", { status: answer.status }), "retry");
      }
      const { page } = answer;
      setMessages((list) => {
        const shown = new Set(list.map((m) => m.id));
        return [...page.messages.filter((m) => !shown.has(m.id)), ...list];
      });
      setHasOlder(page.hasOlder);
    } finally {
      loadingOlder.current = false;
      setIsLoadingOlder(false);
    }
  }

  /**
   * Stop cuts the stream that would have brought the reply's final metadata, and the server may have received a chunk
   * more than this browser: the reply is marked stopped at once, then replaced by the reply as stored, with its cost.
   */
  async function showStoredReply(reply: ChatUIMessage) {
    // Without its start (stopped before the server answered) the reply has no stored id to look for.
    const { meter } = latest.current;
    if (!reply.metadata?.model) return void meter.refresh();
    setMessages((list) =>
      list.map((m) => (m.id === reply.id ? { ...m, metadata: { ...m.metadata, status: "stopped" } } : m)),
    );
    // A continued reply's stored part is the one the stream started (metadata.id); the answer is the whole reply.
    const stored = await (await loadRequests()).waitForStoredReply(conversationId, reply.metadata.id ?? reply.id);
    if (!stored) return;
    setMessages((list) => list.map((m) => (m.id === stored.id ? stored : m)));
    void meter.refresh();
  }

  /** A new message, with the images attached to it (already uploaded): shown with it at once. */
  function send(text: string, files: MessageFile[] = []) {
    pendingKind.current = "send";
    void sendMessage({ text, metadata: files.length > 0 ? { files } : undefined });
  }

  function retry() {
    clearError();
    // regenerate() drops the last message when it is a reply; a failed reply that was charged is put back.
    const last = messages.at(-1);
    keptOnRetry.current = last?.role === "assistant" && isShownMessage(last) ? last : null;
    pendingKind.current = "retry";
    void regenerate();
  }

  const isBusy = status === "submitted" || status === "streaming";

  /** A new version of the last reply; the earlier ones stay browsable. */
  function regenerateReply(messageId: string) {
    if (isBusy) return;
    clearError();
    pendingKind.current = "regenerate";
    void regenerate({ messageId, body: { turn: "regenerate", messageId } satisfies TurnOption });
  }

  /** More of the last reply, cut off by the output limit: the stream extends the reply in place. */
  function continueReply(messageId: string) {
    if (isBusy || messages.at(-1)?.id !== messageId) return;
    clearError();
    pendingKind.current = "continue";
    void sendMessage(undefined, { body: { turn: "continue", messageId } satisfies TurnOption });
  }

  /** The user message said differently: sent in its place, the later messages kept on the old version's branch. */
  function editMessage(messageId: string, text: string) {
    if (isBusy) return;
    clearError();
    pendingKind.current = "edit";
    void sendMessage({ text, messageId }, { body: { turn: "edit", messageId } satisfies TurnOption });
  }

  /** Shows another version of a message, and the conversation as it went on from it. */
  function showVersion(messageId: string) {
    if (isBusy) return;
    void readBranch({ method: "POST", body: JSON.stringify({ messageId }) });
  }

  const errorText = useErrorText();
  const lastMessage = messages.at(-1);
  // A stored failed reply (after a reload) or a failure of this session's stream.
  const storedFailure =
    lastMessage?.role === "assistant" && lastMessage.metadata?.status === "error" ? lastMessage.metadata.error : null;
  // An error the server refused with (JSON body) is shown as the refusal notice, not as a failed reply.
  const failure = error && !AppError.fromText(error.message) ? error.message : storedFailure;

  return {
    messages,
    hasOlder,
    isLoadingOlder,
    loadOlder,
    status,
    isBusy,
    isThinking: status === "submitted" && lastMessage?.role === "user",
    failure: failure ? errorText(failure) : null,
    send,
    retry,
    regenerateReply,
    continueReply,
    editMessage,
    showVersion,
    /** Puts messages into the chat that came another way (an image request's answer). */
    setMessages,
    stop: () => {
      stopper.stop();
      void stop();
    },
  };
}
