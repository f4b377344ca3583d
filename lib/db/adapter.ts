// The Prisma driver adapter for DATABASE_URL. Used by the app's client and by scripts/db.ts (migrations), so both
// speak to the database the same way. SQLite runs in WAL mode so readers never block the writer.
import fs from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";
import {
  DEFAULT_POOL_SIZE,
  databaseProvider,
  driverDatabaseUrl,
  isTransactionPooled,
  SERVERLESS_POOL_SIZE,
  sqliteFilePath,
} from "./database-url";

/** How often a long-lived server refreshes SQLite's planner statistics (ms). */
const PLANNER_STATISTICS_MS = 60 * 60 * 1000;

/**
 * SQLite's query planner needs statistics (`sqlite_stat1`) to choose between indexes that start alike. Without them
 * it took the (user, status) index for a chat's settled spend and read all of a large user's settled entries:
 * 160 ms per chat page for a user with 250,000 of them, against 0.7 ms through (user, conversation). `PRAGMA
 * optimize` (as SQLite advises, at open and then periodically) analyzes the tables whose statistics are missing or
 * stale, from a sample (`analysis_limit`): 0.6 s for 500,000 ledger entries, nothing when nothing changed.
 */
function refreshPlannerStatistics(db: { pragma(source: string): unknown }) {
  db.pragma("analysis_limit = 400");
  db.pragma("optimize = 0x10002");
}

/**
 * The SQLite driver, loaded at the first connection: a PostgreSQL deployment never loads it, and its functions on
 * Vercel do not carry it (npm run verify:vercel checks). The file's folder is made, and the database put in WAL mode.
 */
function sqliteFactory(file: string): SqlDriverAdapterFactory {
  let loading: Promise<SqlDriverAdapterFactory> | undefined;
  const load = async () => {
    // Left to Node (not bundled, not traced): only an installation on SQLite, which has its node_modules, loads them.
    const [{ PrismaBetterSqlite3 }, { default: Database }] = await Promise.all([
      import(/* turbopackIgnore: true */ /* webpackIgnore: true */ "@prisma/adapter-better-sqlite3"),
      import(/* turbopackIgnore: true */ /* webpackIgnore: true */ "better-sqlite3"),
    ]);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file, { timeout: 5000 });
    try {
      db.pragma("journal_mode = WAL");
      refreshPlannerStatistics(db);
    } finally {
      db.close();
    }
    // A long-lived server's tables grow: the statistics are refreshed every hour, where they changed enough.
    setInterval(() => {
      const later = new Database(file, { timeout: 5000 });
      try {
        refreshPlannerStatistics(later);
      } catch {
        // Busy or read-only: the next hour tries again; the old statistics still hold.
      } finally {
        later.close();
      }
    }, PLANNER_STATISTICS_MS).unref();
    // busy_timeout: concurrent writers (several requests settling at once) wait instead of failing with SQLITE_BUSY.
    return new PrismaBetterSqlite3({ url: file, timeout: 5000 });
  };
  return {
    provider: "sqlite",
    adapterName: "@prisma/adapter-better-sqlite3",
    connect: async () => {
      loading ??= load();
      return (await loading).connect();
    },
  };
}

/** DATABASE_POOL_SIZE (validated with the rest of the environment in lib/env-schema.ts), with the same defaults. */
function poolSize(): number {
  const size = Number(process.env.DATABASE_POOL_SIZE);
  if (Number.isInteger(size) && size > 0) return size;
  return process.env.VERCEL ? SERVERLESS_POOL_SIZE : DEFAULT_POOL_SIZE;
}

/** How long a statement waits for a row lock, and an idle transaction lives, on the app's connections (ms). */
const LOCK_TIMEOUT_MS = 5_000;
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;

export type AdapterOptions = {
  /**
   * The app's settings for PostgreSQL (not the migration tool's): a pool of DATABASE_POOL_SIZE connections, and no
   * statement waits long for a connection or a row lock — it fails, the request answers 503 (nothing spent), and work
   * that must finish (settling, storing) retries (lib/db/retry.ts).
   */
  isApp?: boolean;
};

export function createAdapter(url: string, options: AdapterOptions = {}) {
  if (databaseProvider(url) === "postgresql") {
    const connectionString = driverDatabaseUrl(url);
    if (!options.isApp) return new PrismaPg({ connectionString }, {});
    const pool = { connectionString, max: poolSize(), connectionTimeoutMillis: 10_000 };
    // Through a transaction pooler (PgBouncer, serverless hosts) a connection's settings would not hold, and
    // PgBouncer refuses them as startup parameters: each transaction sets its own instead (below).
    if (isTransactionPooled(url)) return withTransactionTimeouts(new PrismaPg(pool, {}));
    return new PrismaPg(
      {
        ...pool,
        lock_timeout: LOCK_TIMEOUT_MS,
        // A transaction left open by a stalled process releases its locks.
        idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
      },
      {},
    );
  }
  const factory = sqliteFactory(sqliteFilePath(url));
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

/**
 * The app's timeouts for a pooled connection, set for each transaction alone (`set_config(…, true)` is `SET LOCAL`):
 * the transactions take the row locks (the budget's, a reservation's), so a statement in one waits at most
 * LOCK_TIMEOUT_MS for a lock, and a transaction its process abandoned releases its locks. A statement outside a
 * transaction waits for a lock at most as long as the transaction holding it can live.
 */
function withTransactionTimeouts<F extends SqlDriverAdapterFactory>(factory: F): F {
  return withOverrides(factory, {
    connect: async () => {
      const adapter = await factory.connect();
      return withOverrides<SqlDriverAdapter>(adapter, {
        startTransaction: async (isolationLevel) => {
          const transaction = await adapter.startTransaction(isolationLevel);
          try {
            await transaction.queryRaw({
              sql: `SELECT set_config('lock_timeout', '${LOCK_TIMEOUT_MS}', true), set_config('idle_in_transaction_session_timeout', '${IDLE_IN_TRANSACTION_TIMEOUT_MS}', true)`,
              args: [],
              argTypes: [],
            });
          } catch (error) {
            await transaction.rollback().catch(() => {});
            throw error;
          }
          return transaction;
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
