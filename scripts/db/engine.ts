// Prisma's schema engine, compiled to WebAssembly (@prisma/schema-engine-wasm), driven over the same driver adapters
// the app uses. Prisma 7's CLI would download a native engine binary for migrations; this needs no download, so
// migrations work offline and in locked-down build environments.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  type ErrorRegistry,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import pg from "pg";
import { createAdapter } from "../../lib/db/adapter";
import type { DatabaseProvider } from "../../lib/db/database-url";

/** A failure worth a one-line message and exit code 1, never a stack trace. */
export class DbToolError extends Error {
  override name = "DbToolError";
}

type EngineModule = typeof import("@prisma/schema-engine-wasm");

let engineModule: Promise<EngineModule> | undefined;

// The package's entry imports the .wasm file as an ES module, which Node 20 cannot do; instantiate it by hand the way
// the generated glue expects (its import namespace is "./schema_engine_bg.js").
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const glue = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bindings = (await import(pathToFileURL(glue).href)) as EngineModule & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const wasm = new WebAssembly.Module(fs.readFileSync(path.join(path.dirname(glue), "schema_engine_bg.wasm")));
    const instance = new WebAssembly.Instance(wasm, {
      "./schema_engine_bg.js": bindings as unknown as WebAssembly.ModuleImports,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  return engineModule;
}

const PG_INTERNAL_CHAR_OID = 18;
const PG_TEXT_OID = 25;

type FieldsCarrier = { fields?: { dataTypeID: number }[] };

/**
 * adapter-pg refuses result columns of Postgres's internal `"char"` type (OID 18), which the engine's catalog queries
 * (pg_constraint.contype, pg_class.relkind, …) return. pg already parsed those values as strings, so relabelling the
 * columns as text is all the adapter needs.
 */
export function relabelInternalCharAsText<T>(result: T): T {
  for (const part of Array.isArray(result) ? result : [result]) {
    for (const field of (part as FieldsCarrier | null)?.fields ?? []) {
      if (field.dataTypeID === PG_INTERNAL_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
  }
  return result;
}

function migrationPool(connectionString: string): pg.Pool {
  // One connection, like the native engine: its advisory lock (one migrator at a time) is held per session.
  const pool = new pg.Pool({ connectionString, max: 1 });
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    // pg-pool calls query(text, values, callback); adapter-pg awaits query(config). Both are covered.
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const callback = args.at(-1);
      if (typeof callback === "function") {
        args[args.length - 1] = (error: unknown, result: unknown) =>
          callback(error, error ? result : relabelInternalCharAsText(result));
        return query(...args);
      }
      const pending = query(...args);
      return pending instanceof Promise ? pending.then(relabelInternalCharAsText) : pending;
    };
  });
  return pool;
}

/**
 * The engine replays migration scripts on the shadow database through `executeRaw`, but better-sqlite3 prepares
 * exactly one statement per call. Hand such scripts to SQLite's own multi-statement `exec`
 * rather than splitting SQL ourselves (triggers, strings and comments make naive splitting wrong).
 */
function acceptScriptsInExecuteRaw(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (query.args.length > 0 || !(error instanceof RangeError) || !/more than one statement/.test(error.message)) {
        throw error;
      }
      await adapter.executeScript(query.sql);
      return 0;
    }
  };
  return adapter;
}

/**
 * The engine applies migrations with `executeScript`, which adapter-pg splits on every ";" (breaking on semicolons
 * inside literals or comments). Postgres takes a whole script as one simple-protocol query, as the native engine
 * sends it, and runs it as one transaction; pg uses that protocol for a query without parameters. Going through
 * executeRaw keeps the adapter's error mapping.
 */
function sendScriptsWhole(adapter: SqlDriverAdapter): SqlDriverAdapter {
  adapter.executeScript = async (script) => {
    await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
  };
  return adapter;
}

type Connections = {
  factory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
};

function sqliteConnections(url: string | undefined): Connections {
  const main: SqlDriverAdapterFactory = url ? createAdapter(url) : new PrismaBetterSqlite3({ url: ":memory:" });
  // The shadow database (for replaying migrations) is a private in-memory database, gone once closed.
  const shadow = new PrismaBetterSqlite3({ url: ":memory:" });
  const opened: SqlDriverAdapter[] = [];
  const connect = async (factory: SqlDriverAdapterFactory) => {
    const adapter = acceptScriptsInExecuteRaw(await factory.connect());
    opened.push(adapter);
    return adapter;
  };
  return {
    factory: {
      provider: main.provider,
      adapterName: main.adapterName,
      connect: () => connect(main),
      connectToShadowDb: () => connect(shadow),
    },
    // Closing a better-sqlite3 handle twice is harmless, and the engine does not always dispose what it opened.
    close: async () => {
      await Promise.all(opened.map((adapter) => adapter.dispose()));
    },
  };
}

function postgresConnections(url: string, shadowDatabaseUrl: string | undefined): Connections {
  const pools: pg.Pool[] = [];
  const connect = async (connectionString: string) => {
    const pool = migrationPool(connectionString);
    pools.push(pool);
    // Same pg at run time; only the @types/pg versions differ (adapter-pg brings a newer one).
    const adapterPool = pool as unknown as ConstructorParameters<typeof PrismaPg>[0];
    return sendScriptsWhole(await new PrismaPg(adapterPool).connect());
  };
  return {
    factory: {
      provider: "postgres",
      adapterName: "@prisma/adapter-pg",
      connect: () => connect(url),
      // adapter-pg's own helper creates the shadow database on the main server; ours uses the one we were given.
      connectToShadowDb: () => {
        if (!shadowDatabaseUrl) {
          throw new DbToolError(
            "Replaying PostgreSQL migrations needs a throwaway database: set SHADOW_DATABASE_URL (see docs/database.md).",
          );
        }
        return connect(shadowDatabaseUrl);
      },
    },
    close: async () => {
      await Promise.all(pools.map((pool) => pool.end()));
    },
  };
}

/** Hides credentials: postgres://user:secret@host/db → postgres://user:***@host/db. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]+):[^@/]*@/i, "$1:***@");
}

/**
 * The engine's errors carry a Rust span trace after the message, and report JavaScript failures (from the adapter)
 * as "External error id#N" with the error itself in the registry. Produce the readable part.
 */
export function engineErrorMessage(error: unknown, registry?: ErrorRegistry): string {
  if (error instanceof DbToolError) return error.message;
  const raw = error instanceof Error ? error.message : String(error);
  const [message = raw, trace = ""] = raw.split(/\n(?=\s+0: )/);
  const readable = message
    .replace(/^external connector error\n/, "")
    .replace(/External error id#(\d+)/g, (text, id: string) => {
      const record = registry?.consumeError(Number(id));
      if (!record) return text;
      return record.error instanceof Error ? record.error.message : String(record.error);
    })
    .trim();
  // The trace names the migration that failed; the message does not.
  const migration = /migration_name="([^"]+)"/.exec(trace)?.[1];
  return migration && !readable.includes(migration) ? `${readable} (migration ${migration})` : readable;
}

export type EngineTarget = {
  provider: DatabaseProvider;
  /** The database to apply migrations to; omitted when only computing migrations (SQLite then uses memory). */
  url?: string;
  /** PostgreSQL only: a throwaway database for replaying migrations. */
  shadowDatabaseUrl?: string;
  /** The Prisma schema text for `provider`. */
  schema: string;
};

/** Opens an engine on `target`, runs `work`, and always closes the connections; engine errors become DbToolError. */
export async function withSchemaEngine<T>(
  target: EngineTarget,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  let connections: Connections | undefined;
  let registry: ErrorRegistry | undefined;
  let engine: SchemaEngine | undefined;
  try {
    connections = openConnections(target);
    const factory = bindMigrationAwareSqlAdapterFactory(connections.factory);
    registry = factory.errorRegistry;
    engine = await SchemaEngine.new(
      { datamodels: [["schema.prisma", target.schema]] },
      (line: string) => {
        if (/"level":"(WARN|ERROR)"/.test(line)) console.error(line);
      },
      factory,
    );
    return await work(engine);
  } catch (error) {
    throw new DbToolError(engineErrorMessage(error, registry), { cause: error });
  } finally {
    engine?.free();
    await connections?.close();
  }
}

function openConnections(target: EngineTarget): Connections {
  if (target.provider === "sqlite") return sqliteConnections(target.url);
  const url = target.url ?? target.shadowDatabaseUrl;
  if (!url) throw new DbToolError("A PostgreSQL engine needs DATABASE_URL or SHADOW_DATABASE_URL.");
  return postgresConnections(url, target.shadowDatabaseUrl);
}
