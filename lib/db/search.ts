import "server-only";
import { prisma } from "./client";
import { databaseProvider, resolveDatabaseUrl } from "./database-url";
import { Prisma } from "./generated/client";

// Search over a user's conversation titles and message text, through an index made in raw SQL by the
// conversation_history migrations (Prisma's schema cannot describe either): on SQLite an FTS5 trigram index kept in
// step by triggers, on PostgreSQL a pg_trgm GIN index on lower("content"). Both find any 3+ characters as typed, in
// any script, case-insensitively. Shorter text has no trigram to look up: it is searched by scanning, bounded to the
// user's SHORT_QUERY_WINDOW most recently active conversations.

/** Trigrams: a query needs this many characters (code points) to use the index. */
export const MIN_INDEXED_QUERY_CHARS = 3;
/** How many of the user's most recent conversations a 1–2 character query scans. */
export const SHORT_QUERY_WINDOW = 1_000;

export type SearchHit = {
  id: string;
  title: string;
  updatedAt: Date;
  pinnedAt: Date | null;
  /** The newest message that contains the query, or null when only the title does. */
  message: { id: string; content: string } | null;
};

type Row = {
  id: string;
  title: string;
  updatedAt: Date | string;
  pinnedAt: Date | string | null;
  messageId: string | null;
  content: string | null;
};

const isPostgres = () => databaseProvider(resolveDatabaseUrl()) === "postgresql";

/** A LIKE pattern for text containing `query` (matched with ESCAPE '\'). */
function containsPattern(query: string): string {
  return `%${query.replace(/[\\%_]/g, "\\$&")}%`;
}

/**
 * This user's conversations whose title or messages contain `query` (case-insensitive), most recently active first,
 * at most `limit`. `isWindowed`: the query was too short for the index and only the SHORT_QUERY_WINDOW most recent
 * conversations were searched, while the user has more.
 */
export async function searchConversations({
  userId,
  query,
  limit,
}: {
  userId: string;
  query: string;
  limit: number;
}): Promise<{ hits: SearchHit[]; isWindowed: boolean }> {
  if ([...query].length < MIN_INDEXED_QUERY_CHARS) return searchRecent({ userId, query, limit });
  const rows = isPostgres()
    ? await searchPostgres({ userId, query, limit })
    : await searchSqlite({ userId, query, limit });
  return { hits: rows.map(toHit), isWindowed: false };
}

function searchSqlite({ userId, query, limit }: { userId: string; query: string; limit: number }) {
  // One FTS5 phrase: the trigrams of the query, next to each other, i.e. the query as a substring.
  const phrase = `"${query.replaceAll('"', '""')}"`;
  return prisma.$queryRaw<Row[]>`
    SELECT c."id", c."title", c."updatedAt", c."pinnedAt", m."id" AS "messageId", m."content"
    FROM (
      SELECT d."conversationId", max(CASE WHEN d."messageId" IS NOT NULL THEN d."id" END) AS "documentId"
      FROM "SearchIndex" JOIN "SearchDocument" d ON d."id" = "SearchIndex"."rowid"
      WHERE "SearchIndex" MATCH ${phrase} AND d."userId" = ${userId}
      GROUP BY d."conversationId"
    ) h
    JOIN "Conversation" c ON c."id" = h."conversationId" AND c."userId" = ${userId}
    LEFT JOIN "SearchDocument" md ON md."id" = h."documentId"
    LEFT JOIN "Message" m ON m."id" = md."messageId"
    ORDER BY c."updatedAt" DESC, c."id" DESC
    LIMIT ${limit}`;
}

function searchPostgres({ userId, query, limit }: { userId: string; query: string; limit: number }) {
  const pattern = containsPattern(query);
  // The inner query is what the trigram index answers (matching messages, then this user's); titles are read through
  // the user's conversations.
  return prisma.$queryRaw<Row[]>`
    SELECT c."id", c."title", c."updatedAt", c."pinnedAt", h."messageId", h."content"
    FROM "Conversation" c
    LEFT JOIN (
      SELECT DISTINCT ON (m."conversationId") m."conversationId", m."id" AS "messageId", m."content"
      FROM "Message" m JOIN "Conversation" mc ON mc."id" = m."conversationId"
      WHERE mc."userId" = ${userId} AND lower(m."content") LIKE lower(${pattern}) ESCAPE '\\'
      ORDER BY m."conversationId", m."createdAt" DESC, m."id" DESC
    ) h ON h."conversationId" = c."id"
    WHERE c."userId" = ${userId} AND (h."messageId" IS NOT NULL OR lower(c."title") LIKE lower(${pattern}) ESCAPE '\\')
    ORDER BY c."updatedAt" DESC, c."id" DESC
    LIMIT ${limit}`;
}

/**
 * 1–2 characters (a Chinese word is often two): scanned, newest conversations first, stopping at `limit` matches and
 * never looking past the SHORT_QUERY_WINDOW most recent conversations, so the cost is bounded however much the user
 * has. The same SQL on both databases.
 */
async function searchRecent({ userId, query, limit }: { userId: string; query: string; limit: number }) {
  // The oldest conversation in the window, and whether there is one past it.
  const [edge, beyond] = await prisma.conversation.findMany({
    where: { userId },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    select: { id: true, updatedAt: true },
    skip: SHORT_QUERY_WINDOW - 1,
    take: 2,
  });
  const pattern = containsPattern(query);
  const window =
    beyond && edge
      ? Prisma.sql`AND (c."updatedAt" > ${edge.updatedAt} OR (c."updatedAt" = ${edge.updatedAt} AND c."id" >= ${edge.id}))`
      : Prisma.empty;
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT c."id", c."title", c."updatedAt", c."pinnedAt", m."id" AS "messageId", m."content"
    FROM "Conversation" c
    LEFT JOIN "Message" m ON m."id" = (
      SELECT x."id" FROM "Message" x
      WHERE x."conversationId" = c."id" AND lower(x."content") LIKE lower(${pattern}) ESCAPE '\\'
      ORDER BY x."createdAt" DESC, x."id" DESC
      LIMIT 1
    )
    WHERE c."userId" = ${userId} ${window}
      AND (m."id" IS NOT NULL OR lower(c."title") LIKE lower(${pattern}) ESCAPE '\\')
    ORDER BY c."updatedAt" DESC, c."id" DESC
    LIMIT ${limit}`;
  return { hits: rows.map(toHit), isWindowed: beyond !== undefined };
}

function toHit(row: Row): SearchHit {
  return {
    id: row.id,
    title: row.title,
    updatedAt: new Date(row.updatedAt),
    pinnedAt: row.pinnedAt === null ? null : new Date(row.pinnedAt),
    message: row.messageId !== null && row.content !== null ? { id: row.messageId, content: row.content } : null,
  };
}
