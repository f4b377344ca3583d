import { AppError } from "@/lib/errors";
import type { ConversationItem, ConversationPage } from "./history";

// The sidebar's requests (further pages, the first page again after a turn, renames and pins, what a deletion's
// answer means): loaded on their first need, not with the page (use-conversation-list.ts).

type Summary = ConversationItem & Record<string, unknown>;

const toItem = ({ id, title, updatedAt, pinnedAt, source }: Summary): ConversationItem => ({
  id,
  title,
  updatedAt,
  pinnedAt,
  source,
});

/** What to tell the user when the server gave no message of its own, in the interface's language. */
export type RequestTexts = {
  loadOffline: string;
  loadFailed: string;
  saveOffline: string;
  saveFailed: string;
  deleteRefused: string;
  offline: string;
};

async function errorMessage(response: Response, fallback: string): Promise<string> {
  const body: unknown = await response.json().catch(() => null);
  return AppError.fromBody(body)?.message ?? fallback;
}

/** A page of the list (the first without a cursor), or what to tell the user. */
export async function fetchConversationPage({
  cursor,
  texts,
}: {
  cursor: string | null;
  texts: RequestTexts;
}): Promise<ConversationPage | { problem: string }> {
  const query = cursor === null ? "" : `?cursor=${encodeURIComponent(cursor)}`;
  let response: Response;
  try {
    response = await fetch(`/api/conversations${query}`, { cache: "no-store" });
  } catch {
    return { problem: texts.loadOffline };
  }
  if (!response.ok) return { problem: await errorMessage(response, texts.loadFailed) };
  const page = (await response.json()) as { conversations: Summary[]; nextCursor: string | null };
  return { conversations: page.conversations.map(toItem), nextCursor: page.nextCursor };
}

/** Renames or pins a conversation: the conversation as saved, or what to tell the user. */
export async function updateConversation({
  id,
  change,
  texts,
}: {
  id: string;
  change: { title?: string; pinned?: boolean };
  texts: RequestTexts;
}): Promise<{ conversation: ConversationItem } | { problem: string }> {
  let response: Response;
  try {
    response = await fetch(`/api/conversations/${encodeURIComponent(id)}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(change),
    });
  } catch {
    return { problem: texts.saveOffline };
  }
  if (!response.ok) return { problem: await errorMessage(response, texts.saveFailed) };
  const { conversation } = (await response.json()) as { conversation: Summary };
  return { conversation: toItem(conversation) };
}

/** Why a deletion failed, or null when the conversation is gone (404: already deleted, in another tab). */
export async function deletionProblem({
  response,
  texts,
}: {
  response: Promise<Response>;
  texts: RequestTexts;
}): Promise<string | null> {
  try {
    const answer = await response;
    if (answer.ok || answer.status === 404) return null;
    return await errorMessage(answer, texts.deleteRefused);
  } catch {
    return texts.offline;
  }
}
