// Direct access to the app's database from a spec, for three things only: creating users fast (fixtures), seeding
// history in bulk (seedConversations), and reading the ledger's raw state to assert invariants no page shows (an entry
// still "reserved", the running totals matching the ledger). Plain SQL through the drivers, never the app's own
// modules. SQLite or PostgreSQL, from E2E_DATABASE_URL.
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";

export type Row = Record<string, unknown>;

export interface TestDatabase {
  /** `$1`, `$2`… placeholders on both databases. */
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export function openDatabase(url = process.env.E2E_DATABASE_URL): TestDatabase {
  if (!url) throw new Error("E2E_DATABASE_URL is not set: run the specs through `playwright test`");
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    return {
      async query<T extends Row>(sql: string, params: unknown[] = []) {
        return (await pool.query(sql, params)).rows as T[];
      },
      close: () => pool.end(),
    };
  }
  const db = new Database(url.slice("file:".length));
  db.pragma("busy_timeout = 10000");
  return {
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      // PostgreSQL-style $N placeholders become SQLite's positional ?, their values in order of appearance.
      const order = [...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]) - 1);
      const statement = db.prepare(sql.replace(/\$\d+/g, "?"));
      const values = order.map((index) => {
        const value = params[index];
        return typeof value === "boolean" ? Number(value) : value;
      });
      if (statement.reader) return statement.all(...values) as T[];
      statement.run(...values);
      return [];
    },
    close: async () => {
      db.close();
    },
  };
}

/** A BigInt, number or numeric string column as a number (micro-USD fit 2^53). */
export function num(value: unknown): number {
  return typeof value === "bigint" ? Number(value) : Number(value ?? 0);
}

export type SeededConversation = {
  title: string;
  /** Last activity; messages are dated just before it. */
  updatedAt: Date;
  messages?: string[];
  pinnedAt?: Date | null;
};

/** A timestamp as the app stores it (Prisma's SQLite adapter writes ISO 8601 with "+00:00"; PostgreSQL reads it). */
function timestamp(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

/**
 * Conversations with their messages for `userId`, inserted directly (many chats in a moment, no upstream calls). The
 * search index follows by itself (triggers on SQLite, an index on PostgreSQL). Returns their ids, in order.
 */
export async function seedConversations(
  db: TestDatabase,
  userId: string,
  conversations: SeededConversation[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const { title, updatedAt, messages = [], pinnedAt = null } of conversations) {
    const id = randomUUID();
    await db.query(
      `INSERT INTO "Conversation" ("id", "userId", "title", "model", "createdAt", "updatedAt", "pinnedAt") VALUES ($1, $2, $3, $4, $5, $5, $6)`,
      [id, userId, title, "gpt-5-mini", timestamp(updatedAt), pinnedAt ? timestamp(pinnedAt) : null],
    );
    // One branch, as the app stores it: each message's parent is the one before it, the last is the active leaf.
    let parentId: string | null = null;
    for (const [index, content] of messages.entries()) {
      const messageId = randomUUID();
      await db.query(
        `INSERT INTO "Message" ("id", "conversationId", "role", "content", "createdAt", "parentId") VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          messageId,
          id,
          index % 2 === 0 ? "user" : "assistant",
          content,
          timestamp(new Date(updatedAt.getTime() - (messages.length - index) * 1000)),
          parentId,
        ],
      );
      parentId = messageId;
    }
    if (parentId) await db.query(`UPDATE "Conversation" SET "activeLeafId" = $1 WHERE "id" = $2`, [parentId, id]);
    ids.push(id);
  }
  return ids;
}
