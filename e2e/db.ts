// Direct access to the app's database from a spec, for two things only: creating users fast (fixtures) and reading
// the ledger's raw state to assert invariants no page shows (an entry still "reserved", the running totals matching the
// ledger). Plain SQL through the drivers, never the app's own modules. SQLite or PostgreSQL, from E2E_DATABASE_URL.
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
