import type { ChatUIMessage, MessagePage } from "@/lib/chat/ui-message";
import { AppError } from "@/lib/errors";

// The chat's requests besides a turn's stream (older pages, the branch as stored, a stopped reply as stored): loaded
// on their first need, not with the page (use-chat-turn.ts).

/** After Stop, how long to wait before each look for the stored reply (ms): the server stores it within moments. */
const STORED_REPLY_WAITS_MS = [100, 250, 500, 1_000, 2_000, 3_000, 5_000, 8_000, 10_000];

/**
 * A page of messages, or the server's refusal: its message when it gave one (else the caller says what failed, in the
 * interface's language) and the status.
 */
export type PageAnswer = { page: MessagePage } | { refusal: string | null; status: number };

const conversationUrl = (conversationId: string) => `/api/conversations/${encodeURIComponent(conversationId)}`;

async function readPage(response: Response): Promise<PageAnswer> {
  if (!response.ok) {
    const appError = AppError.fromText(await response.text());
    return { refusal: appError?.message ?? null, status: response.status };
  }
  return { page: (await response.json()) as MessagePage };
}

/** Reads the active branch as stored (GET), or makes the branch through a message the active one (POST). */
export async function fetchBranch(conversationId: string, init: RequestInit): Promise<PageAnswer> {
  const response = await fetch(`${conversationUrl(conversationId)}/branch`, {
    ...init,
    cache: "no-store",
    headers: { "content-type": "application/json" },
  });
  return readPage(response);
}

/** The page of the branch before the message `before`. */
export async function fetchOlderPage(conversationId: string, before: string): Promise<PageAnswer> {
  const response = await fetch(`${conversationUrl(conversationId)}/messages?before=${encodeURIComponent(before)}`, {
    cache: "no-store",
  });
  return readPage(response);
}

/** The stopped reply `storedId` as stored, looked for a few times while the server stores it; null if it never is. */
export async function waitForStoredReply(conversationId: string, storedId: string): Promise<ChatUIMessage | null> {
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
