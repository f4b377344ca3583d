import type { ChatUIMessage, MessagePage } from "@/lib/chat/ui-message";
import { refusalMessage } from "@/lib/error-text";

// The chat's requests besides a turn's stream (older pages, the branch as stored, a stopped reply as stored) and how
// the chat shows what they bring: loaded on their first need, not with the page (use-chat-turn.ts).

/** After Stop, how long to wait before each look for the stored reply (ms): the server stores it within moments. */
const STORED_REPLY_WAITS_MS = [100, 250, 500, 1_000, 2_000, 3_000, 5_000, 8_000, 10_000];

/**
 * A page of messages, or the server's refusal: its message when it gave one (else the caller says what failed, in the
 * interface's language) and the status.
 */
export type Refused = { refusal: string | null; status: number };
type PageAnswer = { page: MessagePage } | Refused;

const conversationUrl = (conversationId: string) => `/api/conversations/${encodeURIComponent(conversationId)}`;

async function readPage(response: Response): Promise<PageAnswer> {
  if (!response.ok) {
    return { refusal: refusalMessage(await response.text()), status: response.status };
  }
  return { page: (await response.json()) as MessagePage };
}

async function fetchBranch(conversationId: string, init: RequestInit): Promise<PageAnswer> {
  const response = await fetch(`${conversationUrl(conversationId)}/branch`, {
    ...init,
    cache: "no-store",
    headers: { "content-type": "application/json" },
  });
  return readPage(response);
}

async function fetchOlderPage(conversationId: string, before: string): Promise<PageAnswer> {
  const response = await fetch(`${conversationUrl(conversationId)}/messages?before=${encodeURIComponent(before)}`, {
    cache: "no-store",
  });
  return readPage(response);
}

async function waitForStoredReply(conversationId: string, storedId: string): Promise<ChatUIMessage | null> {
  const url = `${conversationUrl(conversationId)}/messages/${encodeURIComponent(storedId)}`;
  for (const wait of STORED_REPLY_WAITS_MS) {
    await new Promise((resolve) => setTimeout(resolve, wait));
    const response = await fetch(url, { cache: "no-store" });
    if (response.ok) return ((await response.json()) as { message: ChatUIMessage }).message;
    if (response.status !== 404) {
      console.error(`[chat] reading the stopped reply ${storedId} failed: ${response.status}`);
      return null;
    }
  }
  console.error(`[chat] the stopped reply ${storedId} was not stored in time; reload to see it`);
  return null;
}

type SetMessages = (update: ChatUIMessage[] | ((list: ChatUIMessage[]) => ChatUIMessage[])) => void;

/** What of the chat these requests change (use-chat-turn.ts gives it). */
export type ChatState = {
  conversationId: string;
  /** The messages shown now. */
  shown: () => ChatUIMessage[];
  setMessages: SetMessages;
  setHasOlder: (hasOlder: boolean) => void;
};

/**
 * Shows the active branch as stored (GET), or makes the branch through a message the active one (POST) and shows it;
 * resolves to the refusal when the server refused.
 */
export async function showBranch(chat: ChatState, init: RequestInit): Promise<Refused | null> {
  const answer = await fetchBranch(chat.conversationId, init);
  if ("refusal" in answer) return answer;
  const { page } = answer;
  // The page starts at or above the message that changed: what the chat holds above its first message is that
  // message's ancestors, the same on every branch through it, so it stays.
  const first = page.messages[0];
  // Read at the answer: a refusal calls this from useChat's first callbacks, with the first render's messages.
  const shown = chat.shown();
  const at = first ? shown.findIndex((m) => m.id === first.id) : -1;
  chat.setMessages(at < 0 ? page.messages : [...shown.slice(0, at), ...page.messages]);
  if (at < 0) chat.setHasOlder(page.hasOlder);
  return null;
}

/** Puts the page before the message `before` above it; resolves to the refusal when the server refused. */
export async function showOlderPage(chat: ChatState, before: string): Promise<Refused | null> {
  const answer = await fetchOlderPage(chat.conversationId, before);
  if ("refusal" in answer) return answer;
  const { page } = answer;
  chat.setMessages((list) => {
    const shown = new Set(list.map((m) => m.id));
    return [...page.messages.filter((m) => !shown.has(m.id)), ...list];
  });
  chat.setHasOlder(page.hasOlder);
  return null;
}

/**
 * Stop cuts the stream that would have brought the reply's final metadata, and the server may have received a chunk
 * more than this browser: the reply is marked stopped at once, then replaced by the reply as stored, with its cost.
 * Resolves to whether the meter should be read again.
 */
export async function showStoredReply(chat: ChatState, reply: ChatUIMessage): Promise<boolean> {
  // Without its start (stopped before the server answered) the reply has no stored id to look for.
  if (!reply.metadata?.model) return true;
  chat.setMessages((list) =>
    list.map((m) => (m.id === reply.id ? { ...m, metadata: { ...m.metadata, status: "stopped" } } : m)),
  );
  // A continued reply's stored part is the one the stream started (metadata.id); the answer is the whole reply.
  const stored = await waitForStoredReply(chat.conversationId, reply.metadata.id ?? reply.id);
  if (!stored) return false;
  chat.setMessages((list) => list.map((m) => (m.id === stored.id ? stored : m)));
  return true;
}
