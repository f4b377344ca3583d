import "server-only";
import { SHORT_QUERY_WINDOW, searchConversations } from "@/lib/db/search";
import { type ConversationSearchResponse, highlight, snippet } from "./search-results";

/** Results a search shows: the most recently active matching conversations. */
export const SEARCH_RESULT_LIMIT = 30;

/** The signed-in user's conversations whose title or messages contain `query`, with the matches marked. */
export async function searchHistory({
  userId,
  query,
}: {
  userId: string;
  query: string;
}): Promise<ConversationSearchResponse> {
  const { hits, isWindowed } = await searchConversations({ userId, query, limit: SEARCH_RESULT_LIMIT });
  return {
    results: hits.map((hit) => ({
      id: hit.id,
      title: highlight(hit.title, query),
      snippet: hit.message ? snippet(hit.message.content, query) : null,
      updatedAt: hit.updatedAt.toISOString(),
      isPinned: hit.pinnedAt !== null,
    })),
    window: isWindowed ? SHORT_QUERY_WINDOW : null,
  };
}
