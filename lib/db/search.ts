import "server-only";
import { prisma } from "./client";
import { databaseProvider, resolveDatabaseUrl } from "./database-url";
import { Prisma } from "./generated/client";

// Search over a user's conversation titles and message text, through an index made in raw SQL by the
// conversation_history migrations (Prisma's schema cannot describe either): on SQLite an FTS5 trigram index kept in
// step by triggers, on PostgreSQL a pg_trgm GIN index on lower("content"). Both find any 3+ characters as typed, in
// any script, case-insensitively. Shorter text has no trigram to look up: it is found by scanning the user's
// conversations, newest first, bounded to the SHORT_QUERY_WINDOW most recent.

/** Trigrams: a query needs this many characters (code points) to use the index. */
export const MIN_INDEXED_QUERY_CHARS = 3;
/** How many of the user's most recent conversations a 1–2 character query scans. */
export const SHORT_QUERY_WINDOW = 1_000;
/**
 * PostgreSQL: how many recent conversations are scanned before the index is asked. A trigram index answers rare text
 * at once but must recheck every row that holds a common one ("the"); such text fills the results within the first
 * conversations scanned.
 */
const POSTGRES_SCAN_FIRST = 200;

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

type SearchInput = { userId: string; query: string; limit: number };

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
export async function searchConversations(input: SearchInput): Promise<{ hits: SearchHit[]; isWindowed: boolean }> {
  if ([...input.query].length < MIN_INDEXED_QUERY_CHARS) {
    const { rows, hasMore } = await scanRecent({ ...input, window: SHORT_QUERY_WINDOW });
    return { hits: rows.map(toHit), isWindowed: hasMore };
  }
  if (!isPostgres()) return { hits: (await searchSqlite(input)).map(toHit), isWindowed: false };
  // The scan stops at `limit` matches: when it has them, they are the newest there are.
  const recent = await scanRecent({ ...input, window: POSTGRES_SCAN_FIRST });
  const rows = recent.rows.length === input.limit || !recent.hasMore ? recent.rows : await searchPostgres(input);
  return { hits: rows.map(toHit), isWindowed: false };
}

function searchSqlite({ userId, query, limit }: SearchInput) {
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

function searchPostgres({ userId, query, limit }: SearchInput) {
  const pattern = containsPattern(query);
  // The EXISTS is answered once, through the trigram index (rare text: a few rows to recheck), and the user's
  // conversations are read newest first; then the newest matching message of each of the few found.
  return prisma.$queryRaw<Row[]>`
    SELECT c."id", c."title", c."updatedAt", c."pinnedAt", m."id" AS "messageId", m."content"
    FROM (
      SELECT c."id", c."title", c."updatedAt", c."pinnedAt" FROM "Conversation" c
      WHERE c."userId" = ${userId} AND (lower(c."title") LIKE lower(${pattern}) ESCAPE '\\' OR EXISTS (
        SELECT 1 FROM "Message" x WHERE x."conversationId" = c."id" AND lower(x."content") LIKE lower(${pattern}) ESCAPE '\\'
      ))
      ORDER BY c."updatedAt" DESC, c."id" DESC
      LIMIT ${limit}
    ) c
    LEFT JOIN LATERAL (
      SELECT x."id", x."content" FROM "Message" x
      WHERE x."conversationId" = c."id" AND lower(x."content") LIKE lower(${pattern}) ESCAPE '\\'
      ORDER BY x."createdAt" DESC, x."id" DESC
      LIMIT 1
    ) m ON true
    ORDER BY c."updatedAt" DESC, c."id" DESC`;
}

/**
 * The user's conversations whose title or messages contain `query`, found by reading them newest first and stopping at
 * `limit` matches, never past the `window` most recent: bounded however much the user has. `hasMore`: the user has
 * conversations past the window. Case-insensitive as the indexes are (SQLite's LIKE folds ASCII letters only; the FTS5
 * index folds all, so a 1–2 character query in other scripts is matched as typed).
 */
async function scanRecent({ userId, query, limit, window }: SearchInput & { window: number }) {
  // The oldest conversation in the window, and whether there is one past it.
  const [edge, beyond] = await prisma.conversation.findMany({
    where: { userId },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    select: { id: true, updatedAt: true },
    skip: window - 1,
    take: 2,
  });
  const pattern = containsPattern(query);
  const contains = (column: Prisma.Sql) =>
    isPostgres()
      ? Prisma.sql`lower(${column}) LIKE lower(${pattern}) ESCAPE '\\'`
      : Prisma.sql`${column} LIKE ${pattern} ESCAPE '\\'`;
  const withinWindow =
    beyond && edge
      ? Prisma.sql`AND c."updatedAt" >= ${edge.updatedAt}
          AND (c."updatedAt" > ${edge.updatedAt} OR (c."updatedAt" = ${edge.updatedAt} AND c."id" >= ${edge.id}))`
      : Prisma.empty;
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT c."id", c."title", c."updatedAt", c."pinnedAt", m."id" AS "messageId", m."content"
    FROM "Conversation" c
    LEFT JOIN "Message" m ON m."id" = (
      SELECT x."id" FROM "Message" x
      WHERE x."conversationId" = c."id" AND ${contains(Prisma.sql`x."content"`)}
      ORDER BY x."createdAt" DESC, x."id" DESC
      LIMIT 1
    )
    WHERE c."userId" = ${userId} ${withinWindow}
      AND (m."id" IS NOT NULL OR ${contains(Prisma.sql`c."title"`)})
    ORDER BY c."updatedAt" DESC, c."id" DESC
    LIMIT ${limit}`;
  return { rows, hasMore: beyond !== undefined };
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
