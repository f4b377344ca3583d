// The Prisma driver adapter for DATABASE_URL. Used by the app's client and by scripts/db.ts (migrations), so both
// speak to the database the same way. SQLite runs in WAL mode so readers never block the writer.
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";
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
  const factory = new PrismaBetterSqlite3(
    { url: file, timeout: 5000 },
    { shadowDatabaseUrl: options.shadowDatabaseUrl },
  );
  return options.isApp ? oneTransactionAtATime(factory) : factory;
}

/**
 * The SQLite adapter has one connection per process, and its lock covers only transactions: a statement sent outside
 * one (a one-statement `updateMany`, a raw query) while another request's transaction was open ran inside that
 * transaction. It read that request's uncommitted rows, and its write was undone by that request's rollback (a reply's
 * settle lost to another chat's refused admission, say; lib/db/adapter.test.ts). So every connection this factory
 * opens for the app runs a statement outside a transaction only while no transaction is open, in the order they were
 * sent. (Migrations, scripts/db.ts, run alone and keep the adapter as it is.)
 */
function oneTransactionAtATime<F extends SqlDriverAdapterFactory>(factory: F): F {
  return withOverrides(factory, {
    connect: async () => {
      const adapter = await factory.connect();
      const lock = new Lock();
      const alone = async <T>(work: () => Promise<T>): Promise<T> => {
        const release = await lock.acquire();
        try {
          return await work();
        } finally {
          release();
        }
      };
      return withOverrides<SqlDriverAdapter>(adapter, {
        queryRaw: (query) => alone(() => adapter.queryRaw(query)),
        executeRaw: (query) => alone(() => adapter.executeRaw(query)),
        executeScript: (script) => alone(() => adapter.executeScript(script)),
        startTransaction: async (isolationLevel) => {
          const release = await lock.acquire();
          let transaction: Transaction;
          try {
            transaction = await adapter.startTransaction(isolationLevel);
          } catch (error) {
            release();
            throw error;
          }
          const ending = (end: () => Promise<void>) => async () => {
            try {
              await end();
            } finally {
              release();
            }
          };
          return withOverrides(transaction, {
            commit: ending(() => transaction.commit()),
            rollback: ending(() => transaction.rollback()),
          });
        },
      });
    },
  } as Partial<F>);
}

/** A first-come, first-served lock within this process. */
class Lock {
  #last: Promise<void> = Promise.resolve();

  /** Waits for every holder before this one; resolves to the function that releases this hold. */
  acquire(): Promise<() => void> {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const before = this.#last;
    this.#last = before.then(() => released);
    return before.then(() => release);
  }
}

/** `target` with some members replaced; the others still run on `target` itself (its private fields). */
function withOverrides<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, key) {
      if (Object.hasOwn(overrides, key)) return overrides[key as keyof T];
      const value = Reflect.get(object, key, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}
