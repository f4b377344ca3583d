// The Prisma driver adapter for DATABASE_URL. Used by the app's client and by scripts/db.ts (migrations), so both
// speak to the database the same way. SQLite runs in WAL mode so readers never block the writer.
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import Database from "better-sqlite3";
import { databaseProvider, sqliteFilePath } from "./database-url";

export function prepareSqliteFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
  } finally {
    db.close();
  }
}

/** DATABASE_POOL_SIZE (validated with the rest of the environment in lib/env-schema.ts). */
function poolSize(): number {
  const size = Number(process.env.DATABASE_POOL_SIZE);
  return Number.isInteger(size) && size > 0 ? size : 20;
}

export type AdapterOptions = {
  shadowDatabaseUrl?: string;
  /**
   * The app's settings for PostgreSQL (not the migration tool's): a pool of DATABASE_POOL_SIZE connections, and no
   * statement waits long for a connection or a row lock — it fails, the request answers 503 (nothing spent), and work
   * that must finish (settling, storing) retries (lib/db/retry.ts).
   */
  isApp?: boolean;
};

export function createAdapter(url: string, options: AdapterOptions = {}) {
  if (databaseProvider(url) === "postgresql") {
    if (!options.isApp) return new PrismaPg({ connectionString: url }, {});
    return new PrismaPg(
      {
        connectionString: url,
        max: poolSize(),
        connectionTimeoutMillis: 10_000,
        lock_timeout: 5_000,
        // A transaction left open by a stalled process releases its locks.
        idle_in_transaction_session_timeout: 30_000,
      },
      {},
    );
  }
  const file = sqliteFilePath(url);
  prepareSqliteFile(file);
  // busy_timeout: concurrent writers (several requests settling at once) wait instead of failing with SQLITE_BUSY.
  return new PrismaBetterSqlite3({ url: file, timeout: 5000 }, { shadowDatabaseUrl: options.shadowDatabaseUrl });
}
