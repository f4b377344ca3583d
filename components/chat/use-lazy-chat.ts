"use client";

import type { Chat } from "@ai-sdk/react";
import type { ChatInit, ChatStatus, ChatTransport, UIMessage } from "ai";
import { useEffect, useMemo, useRef, useState } from "react";

// The AI SDK's chat client is ~50 KiB gzip with the zod it validates the stream with: more than the rest of the chat
// page's own code. It is needed only to send, or to follow a reply being written, so it loads then (or as the user
// starts typing: preloadChatClient) instead of with the page.
const loadClient = () => import("./chat-client");
export type ChatClient = Awaited<ReturnType<typeof loadClient>>;

/** Starts loading the chat client, so that sending waits for no download. */
export function preloadChatClient() {
  void loadClient().catch(() => {
    // Sending loads it again, and says so if that fails too.
  });
}

export type LazyChatOptions<M extends UIMessage> = Omit<ChatInit<M>, "transport" | "id" | "messages"> & {
  id: string;
  messages: M[];
  /** The transport, built once the client has loaded. */
  transport: (client: ChatClient) => ChatTransport<M>;
  /** Follow the reply being written (the page was rendered while one was): loads the client at once. */
  resume?: boolean;
  /** The client could not be loaded for a send, regenerate or resume: nothing was sent. */
  onLoadFailed: () => void;
};

/** `store` tells which chat the snapshot is of. */
type Snapshot<M> = { store: object; messages: M[]; status: ChatStatus; error: Error | undefined };

type SendMessage<M extends UIMessage> = Chat<M>["sendMessage"];
type Regenerate<M extends UIMessage> = Chat<M>["regenerate"];

/**
 * What @ai-sdk/react's useChat gives (the part this app uses), with the client loaded on first need: until then the
 * chat shows its initial messages, "ready", and `setMessages` works on them; the first send, regenerate or resume
 * loads the client and hands it the messages as they are then. Callbacks are the latest given, as with useChat.
 */
export function useLazyChat<M extends UIMessage>(options: LazyChatOptions<M>) {
  const latest = useRef(options);
  latest.current = options;
  // biome-ignore lint/correctness/useExhaustiveDependencies: one store per chat, as useChat keeps one Chat per id.
  const store = useMemo(() => createLazyChat(latest), [options.id]);
  // State set from the store's callbacks, as useChat does: a stream's many updates then render at the default
  // priority, batched. (useSyncExternalStore renders each one synchronously, and a fast stream exceeded React's
  // limit of nested updates.)
  const [snapshot, setSnapshot] = useState(store.getSnapshot);
  // Another chat (as useChat does for a new id): its own messages at once.
  if (snapshot.store !== store.token) setSnapshot(store.getSnapshot());
  useEffect(() => {
    const publish = () => setSnapshot(store.getSnapshot());
    const unsubscribe = store.subscribe(publish);
    // What changed between the render and this subscription.
    publish();
    return unsubscribe;
  }, [store]);

  useEffect(() => () => store.dispose(), [store]);
  useEffect(() => {
    if (options.resume) return store.resume();
  }, [options.resume, store]);

  return {
    messages: snapshot.messages,
    status: snapshot.status,
    error: snapshot.error,
    sendMessage: store.sendMessage,
    regenerate: store.regenerate,
    setMessages: store.setMessages,
    clearError: store.clearError,
    stop: store.stop,
  };
}

function createLazyChat<M extends UIMessage>(options: { current: LazyChatOptions<M> }) {
  let chat: Chat<M> | null = null;
  let loading: Promise<Chat<M>> | null = null;
  const initial = options.current;
  const token = {};
  let snapshot: Snapshot<M> = { store: token, messages: initial.messages, status: "ready", error: undefined };
  const listeners = new Set<() => void>();

  function publish(next: Snapshot<M>) {
    if (next.messages === snapshot.messages && next.status === snapshot.status && next.error === snapshot.error) return;
    snapshot = next;
    for (const listener of listeners) listener();
  }
  const publishChat = () => {
    if (chat) publish({ store: token, messages: chat.messages, status: chat.status, error: chat.error });
  };

  function load(): Promise<Chat<M>> {
    loading ??= loadClient().then(
      (client) => {
        const { id, transport, resume: _resume, messages: _messages, onLoadFailed: _onLoadFailed, ...init } = initial;
        const created = new client.Chat<M>({
          ...init,
          id,
          messages: snapshot.messages,
          transport: transport(client),
          onFinish: (event) => options.current.onFinish?.(event),
          onError: (error) => options.current.onError?.(error),
          onData: (part) => options.current.onData?.(part),
          onToolCall: (call) => options.current.onToolCall?.(call),
        });
        chat = created;
        created["~registerMessagesCallback"](publishChat);
        created["~registerStatusCallback"](publishChat);
        created["~registerErrorCallback"](publishChat);
        publishChat();
        return created;
      },
      (failure: unknown) => {
        // A later send tries again.
        loading = null;
        console.error("[chat] the chat client failed to load", failure);
        throw failure;
      },
    );
    return loading;
  }

  /** Runs `action` on the client once loaded; if it cannot be loaded, says so and does nothing. */
  function withChat(action: (loaded: Chat<M>) => Promise<void>): Promise<void> {
    if (chat) return action(chat);
    return load().then(action, () => options.current.onLoadFailed());
  }

  const sendMessage: SendMessage<M> = (...args) => withChat((loaded) => loaded.sendMessage(...args));
  const regenerate: Regenerate<M> = (...args) => withChat((loaded) => loaded.regenerate(...args));

  return {
    token,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getSnapshot: () => snapshot,
    sendMessage,
    regenerate,
    setMessages(messages: M[] | ((messages: M[]) => M[])) {
      const current = chat ? chat.messages : snapshot.messages;
      const next = typeof messages === "function" ? messages(current) : messages;
      if (chat) chat.messages = next;
      else publish({ ...snapshot, messages: next });
    },
    clearError() {
      chat?.clearError();
    },
    stop(): Promise<void> {
      // Before the client has loaded no request is out; one on its way is stopped as soon as it is.
      return chat
        ? chat.stop()
        : (loading?.then(
            (loaded) => loaded.stop(),
            () => undefined,
          ) ?? Promise.resolve());
    },
    /** As useChat's `resume`: follow the reply being written, and again when the page becomes visible after losing it. */
    resume() {
      let isActive = true;
      const onVisible = () => {
        if (document.visibilityState !== "visible" || !chat) return;
        const resumeIfDisconnected = (chat as unknown as ResumableChat)["~resumeStreamIfDisconnected"];
        void resumeIfDisconnected?.({ shouldResume: () => isActive && document.visibilityState === "visible" });
      };
      document.addEventListener("visibilitychange", onVisible);
      void withChat((loaded) =>
        isActive && loaded.status !== "submitted" && loaded.status !== "streaming"
          ? loaded.resumeStream()
          : Promise.resolve(),
      );
      return () => {
        isActive = false;
        document.removeEventListener("visibilitychange", onVisible);
      };
    },
    /** Leaving the chat stops reading the stream (as useChat does); the server goes on writing the reply. */
    dispose() {
      void chat?.stop();
    },
  };
}

/** The SDK's own hook resumes a stream cut while the page was hidden with this internal method (as of AI SDK 7). */
type ResumableChat = {
  "~resumeStreamIfDisconnected"?: (options: { shouldResume: () => boolean }) => Promise<void>;
};
