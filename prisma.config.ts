// Configuration for the Prisma CLI: `prisma generate` (run by `npm run db:generate`) and, where Prisma can download
// its native engine, stock commands such as `prisma migrate status|deploy` or `prisma studio`. The provider follows
// DATABASE_URL, read like Next reads it (.env.local wins); see docs/database.md.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadEnvConfig } from "@next/env";
import { defineConfig } from "prisma/config";
import { databaseProvider, migrationDatabaseUrl, sqliteFilePath } from "./lib/db/database-url";
import { externalTables, migrationsPath, writeProviderSchema } from "./scripts/db/schema";

const root = path.dirname(fileURLToPath(import.meta.url));
loadEnvConfig(root, false, { info: () => {}, error: console.error });

// Migrations and Studio take the direct connection when DATABASE_URL is a transaction pooler's.
const url = migrationDatabaseUrl();
const provider = databaseProvider(url);

export default defineConfig({
  // For PostgreSQL, a copy of prisma/schema.prisma with the provider swapped; (re)written here so stock commands
  // never see a stale one.
  schema: writeProviderSchema(root, provider),
  migrations: { path: migrationsPath(provider) },
  // The search tables made in raw SQL, which migrate must not drop as drift (as scripts/db.ts does).
  experimental: { externalTables: true },
  tables: { external: externalTables(provider) },
  datasource: {
    // Absolute, so the CLI and the app (which resolves against the project root) open the same SQLite file.
    url: provider === "sqlite" ? `file:${sqliteFilePath(url)}` : url,
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL || undefined,
  },
});
