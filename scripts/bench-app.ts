// What the HTTP benchmarks share: the production build (`npm run build` first) started on a fresh database with the
// fake OpenAI upstream, torn down afterwards, and percentiles.
import { type AppServer, freshDatabase, startApp } from "../e2e/app-server";
import { openDatabase, type TestDatabase } from "../e2e/db";
import { startFakeOpenAI } from "../e2e/fake-openai/server";

/**
 * Runs `bench` against the app on a fresh database of `kind` ("sqlite", or "postgresql" on the server of
 * TEST_POSTGRES_URL, whose user may create databases), then stops everything and drops the database.
 */
export async function withBenchApp(
  { kind, name, env }: { kind: string; name: string; env?: Record<string, string> },
  bench: (context: { app: AppServer; db: TestDatabase; databaseUrl: string }) => Promise<void>,
) {
  if (kind === "postgresql") {
    if (!process.env.TEST_POSTGRES_URL) throw new Error("--db postgresql needs TEST_POSTGRES_URL");
    process.env.E2E_DATABASE_URL = process.env.TEST_POSTGRES_URL;
  } else {
    delete process.env.E2E_DATABASE_URL;
  }
  const database = await freshDatabase(name);
  const fake = await startFakeOpenAI({ port: 0 });
  const app = await startApp({ name, databaseUrl: database.url, upstreamUrl: fake.url, env });
  const db = openDatabase(database.url);
  try {
    await bench({ app, db, databaseUrl: database.url });
  } finally {
    await db.close();
    await app.stop();
    await fake.close();
    await database.drop();
  }
}

/** Runs a benchmark's main; a failure prints and sets the exit code. */
export function runBench(main: () => Promise<void>) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
