// Shared by the app and the scripts (no "server-only": scripts import it too). Decides which database we talk to.
import path from "node:path";

export type DatabaseProvider = "sqlite" | "postgresql";

export const DEFAULT_DATABASE_URL = "file:./data/chatledger.db";

export function resolveDatabaseUrl(raw: string | undefined = process.env.DATABASE_URL): string {
  const url = raw?.trim();
  return url ? url : DEFAULT_DATABASE_URL;
}

export function databaseProvider(url: string): DatabaseProvider {
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgresql";
  if (url.startsWith("file:")) return "sqlite";
  throw new Error(
    `DATABASE_URL must start with "file:" (embedded SQLite) or "postgres://" / "postgresql://" (PostgreSQL); got "${url.split(":")[0]}:…"`,
  );
}

/** Absolute path of an SQLite `file:` URL, relative paths resolved against the project root (the working directory). */
export function sqliteFilePath(url: string): string {
  const file = url.slice("file:".length).split("?")[0] ?? "";
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), file);
}
