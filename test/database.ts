// For vitest suites that need a real database: TEST_DATABASE_URL (a fresh PostgreSQL database in `npm test`'s
// PostgreSQL pass) or else a new SQLite file. Migrations are applied with the project's own tool, as in production.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export function prepareTestDatabase(): string {
  const url = process.env.TEST_DATABASE_URL || newSqliteUrl();
  migrateAndUse(url);
  return url;
}

function newSqliteUrl(): string {
  return `file:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), "chatledger-vitest-")), "test.db")}`;
}

/**
 * A database no other suite writes to, for tests that need to know every row (the first account of an
 * installation): a new SQLite file, or a new database on TEST_DATABASE_URL's PostgreSQL server, dropped by `drop`.
 */
export async function prepareOwnTestDatabase(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const shared = process.env.TEST_DATABASE_URL;
  if (!shared || !/^postgres(ql)?:\/\//i.test(shared)) {
    const url = newSqliteUrl();
    migrateAndUse(url);
    return { url, drop: async () => {} };
  }
  const database = `chatledger_${name}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await adminQuery(shared, `CREATE DATABASE "${database}"`);
  const url = new URL(shared);
  url.pathname = `/${database}`;
  migrateAndUse(url.toString());
  return { url: url.toString(), drop: () => adminQuery(shared, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`) };
}

function migrateAndUse(url: string) {
  const root = path.resolve(__dirname, "..");
  execFileSync(path.join(root, "node_modules", ".bin", "tsx"), [path.join(root, "scripts", "db.ts"), "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: "pipe",
  });
  // lib/db/client.ts reads DATABASE_URL when first imported.
  process.env.DATABASE_URL = url;
}

async function adminQuery(connectionString: string, sql: string) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
