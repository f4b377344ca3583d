"use client";

import { useTranslations } from "next-intl";
import { useMemo, useRef, useState } from "react";
import { useErrorText } from "@/components/i18n/use-error-text";
import type { ChatSettings } from "@/lib/chat/settings";
import type { ChatUIMessage, MessageFile, MeterState } from "@/lib/chat/ui-message";
import { refusalMessage } from "@/lib/error-text";
import type { TurnKind, TurnOption } from "./chat-transport";
import { isShownMessage } from "./message-list";
import { createTurnStopper } from "./stop-turn";
import type { ChatState } from "./turn-requests";
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
        const refusal = refusalMessage(failure.message);
        if (refusal === null) return;
        const kind = pendingKind.current;
        // Refused before anything was stored: drop the optimistic message, or show the branch as it still is.
        if (kind === "send") {
          setMessages((list) => {
            const lastUser = list.findLastIndex((m) => m.role === "user");
            return lastUser >= 0 ? list.slice(0, lastUser) : list;
          });
        } else void readBranch({ method: "GET" });
        clearError();
        latest.current.onRefused(refusal, kind);
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

  // What of the chat the requests of turn-requests.ts change.
  const state: ChatState = {
    conversationId,
    // Read through the ref: a refusal calls readBranch from useChat's first callbacks, with the first render's messages.
    shown: () => shownMessages.current,
    setMessages,
    setHasOlder,
  };

  /** Reads the active branch as stored (GET), or makes the branch through a message the active one (POST). */
  async function readBranch(init: RequestInit) {
    const refused = await (await loadRequests()).showBranch(state, init);
    if (refused) {
      latest.current.onRefused(refused.refusal ?? t("readFailed", { status: refused.status }), "retry");
    }
  }

  /** Puts the page before the oldest message shown above it (the reader scrolled up). */
  async function loadOlder() {
    const oldest = messages[0];
    if (!hasOlder || !oldest || loadingOlder.current) return;
    loadingOlder.current = true;
    setIsLoadingOlder(true);
    try {
      const refused = await (await loadRequests()).showOlderPage(state, oldest.id);
      if (refused) {
        latest.current.onRefused(refused.refusal ?? t("olderFailed", { status: refused.status }), "retry");
      }
    } finally {
      loadingOlder.current = false;
      setIsLoadingOlder(false);
    }
  }

  /** A stopped reply: marked so at once, then shown as stored, with its cost (turn-requests.ts). */
  async function showStoredReply(reply: ChatUIMessage) {
    if (await (await loadRequests()).showStoredReply(state, reply)) void latest.current.meter.refresh();
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
  const failure = error && refusalMessage(error.message) === null ? error.message : storedFailure;

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
