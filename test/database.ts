// For vitest suites that need a real database: TEST_DATABASE_URL (a fresh PostgreSQL database in `npm test`'s
// PostgreSQL pass) or else a new SQLite file. Migrations are applied with the project's own tool, as in production.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export function prepareTestDatabase(): string {
  const url =
    process.env.TEST_DATABASE_URL ||
    `file:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), "chatledger-vitest-")), "test.db")}`;
  const root = path.resolve(__dirname, "..");
  execFileSync(path.join(root, "node_modules", ".bin", "tsx"), [path.join(root, "scripts", "db.ts"), "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: "pipe",
  });
  // lib/db/client.ts reads DATABASE_URL when first imported.
  process.env.DATABASE_URL = url;
  return url;
}
