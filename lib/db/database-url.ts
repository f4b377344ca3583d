// Shared by the app and the scripts (no "server-only": scripts import it too). Decides which database we talk to.
import path from "node:path";

export type DatabaseProvider = "sqlite" | "postgresql";

export const DEFAULT_DATABASE_URL = "file:./data/chatledger.db";

/** PostgreSQL connections per server process (DATABASE_POOL_SIZE unset), and per function instance on Vercel. */
export const DEFAULT_POOL_SIZE = 20;
export const SERVERLESS_POOL_SIZE = 5;

export function resolveDatabaseUrl(raw: string | undefined = process.env.DATABASE_URL): string {
  const url = raw?.trim();
  return url ? url : DEFAULT_DATABASE_URL;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export function databaseProvider(url: string): DatabaseProvider {
  if (isPostgresUrl(url)) return "postgresql";
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

/**
 * The connection string migrations use (scripts/db.ts, prisma.config.ts): DIRECT_DATABASE_URL, or the
 * DATABASE_URL_UNPOOLED Vercel's Neon integration sets, when DATABASE_URL goes through a transaction pooler (which
 * cannot hold the migration's session lock); otherwise DATABASE_URL itself.
 */
export function migrationDatabaseUrl(env: Record<string, string | undefined> = process.env): string {
  const url = resolveDatabaseUrl(env.DATABASE_URL);
  if (!isPostgresUrl(url)) return url;
  const direct = [env.DIRECT_DATABASE_URL, env.DATABASE_URL_UNPOOLED].map((value) => value?.trim()).find(Boolean);
  return direct && isPostgresUrl(direct) ? direct : url;
}

/**
 * Whether a PostgreSQL connection string goes through a pooler in transaction mode, where a session's settings do not
 * hold from one transaction to the next and PgBouncer refuses unknown startup parameters: `pgbouncer=true` in the
 * URL (Prisma's convention), Neon's `-pooler` hosts and Supabase's pooler (pooler.supabase.com, port 6543).
 */
export function isTransactionPooled(url: string): boolean {
  const parsed = URL.parse(url);
  if (!parsed) return false;
  if (parsed.searchParams.get("pgbouncer") === "true") return true;
  const host = parsed.hostname.toLowerCase();
  return /-pooler\./.test(host) || (host.endsWith(".pooler.supabase.com") && parsed.port === "6543");
}

/** The URL without `pgbouncer=…`, which is ours (and Prisma's) to read, not a parameter for the driver. */
export function driverDatabaseUrl(url: string): string {
  const parsed = URL.parse(url);
  if (!parsed?.searchParams.has("pgbouncer")) return url;
  parsed.searchParams.delete("pgbouncer");
  return parsed.toString();
}
