// What the HTTP benchmarks share: the production build (`npm run build` first) started on a fresh database with the
// fake OpenAI upstream, torn down afterwards, and percentiles.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import bcrypt from "bcryptjs";
import { type AppServer, freshDatabase, startApp } from "../e2e/app-server";
import { openDatabase, type TestDatabase } from "../e2e/db";
import { startFakeOpenAI } from "../e2e/fake-openai/server";
import type { LargeUser } from "./bench-seed";
import { percentile } from "./bench-table";

/**
 * Runs `bench` against the app on a fresh database of `kind` ("sqlite", or "postgresql" on the server of
 * TEST_POSTGRES_URL, whose user may create databases), then stops everything and drops the database. With `seeded`
 * (the database `npm run bench` seeded, `--seeded FILE`), on that database instead, which is left as it is. With
 * `profileDir` (a benchmark's `--profile DIR`), the server writes its V8 CPU profile there when it stops.
 */
export async function withBenchApp(
  {
    kind,
    name,
    env,
    profileDir,
    seeded,
  }: { kind: string; name: string; env?: Record<string, string>; profileDir?: string; seeded?: SeededDatabase },
  bench: (context: { app: AppServer; db: TestDatabase; databaseUrl: string; upstreamUrl: string }) => Promise<void>,
) {
  const database = seeded ? { url: seeded.databaseUrl, drop: async () => {} } : await freshDatabaseOf(kind, name);
  // Everything started is stopped, and a fresh database dropped, also when the app fails to start.
  let fake: Awaited<ReturnType<typeof startFakeOpenAI>> | undefined;
  let app: AppServer | undefined;
  let db: TestDatabase | undefined;
  try {
    fake = await startFakeOpenAI({ port: 0 });
    const nodeArgs = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : undefined;
    app = await startApp({ name, databaseUrl: database.url, upstreamUrl: fake.url, env, nodeArgs });
    db = openDatabase(database.url);
    await bench({ app, db, databaseUrl: database.url, upstreamUrl: fake.url });
  } finally {
    await db?.close();
    await app?.stop();
    await fake?.close();
    await database.drop();
  }
}

/** A database `npm run bench` (scripts/bench.ts) seeded with the large user, as it hands it to each benchmark. */
export type SeededDatabase = { kind: "sqlite" | "postgresql"; databaseUrl: string; user: LargeUser };

/** `--seeded FILE`: the seeded database to run on, or undefined to seed a fresh one. */
export function readSeeded(file: string | undefined): SeededDatabase | undefined {
  return file ? (JSON.parse(fs.readFileSync(file, "utf8")) as SeededDatabase) : undefined;
}

/**
 * `--json FILE`: a benchmark's figures for scripts/bench.ts, which writes BENCHMARKS.md from them. Numbers as
 * measured (ms, bytes, ratios), never formatted; a list of times is a distribution.
 */
export function writeJson(file: string | undefined, result: Record<string, unknown>) {
  if (file) fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}

async function freshDatabaseOf(kind: string, name: string) {
  if (kind === "postgresql") {
    if (!process.env.TEST_POSTGRES_URL) throw new Error("--db postgresql needs TEST_POSTGRES_URL");
    process.env.E2E_DATABASE_URL = process.env.TEST_POSTGRES_URL;
  } else {
    delete process.env.E2E_DATABASE_URL;
  }
  return freshDatabase(name);
}

/** Runs a benchmark's main; a failure prints and sets the exit code. */
/** The value after `--<name>` on the command line (`npm run bench:x -- --db postgresql`), if given. */
export function benchArg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

export function runBench(main: () => Promise<void>) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

/** Multi-row inserts, a few hundred rows per statement (under both databases' limit of bound parameters). */
export async function insertRows(db: TestDatabase, table: string, columns: string[], rows: unknown[][]) {
  const perStatement = Math.floor(8000 / columns.length);
  for (let start = 0; start < rows.length; start += perStatement) {
    const batch = rows.slice(start, start + perStatement);
    const placeholders = batch.map(
      (_, row) => `(${columns.map((_, column) => `$${row * columns.length + column + 1}`).join(", ")})`,
    );
    await db.query(
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${placeholders.join(", ")}`,
      batch.flat(),
    );
  }
}

/** Times `runs` calls after `warmUp` unmeasured ones; returns the durations (ms) and the last call's result. */
export async function timeCalls<T>(
  call: () => Promise<T>,
  { runs, warmUp = 2 }: { runs: number; warmUp?: number },
): Promise<{ times: number[]; result: T }> {
  let result = await call();
  for (let run = 1; run < warmUp; run++) result = await call();
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    result = await call();
    times.push(performance.now() - start);
  }
  return { times, result };
}

export { percentile } from "./bench-table";

/** A duration for a benchmark's printout: a decimal below 10 ms. */
export const formatMs = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

/** p50 and p99 of durations, for a benchmark's printout. */
export const summarizeTimes = (times: number[]) =>
  `p50 ${formatMs(percentile(times, 50))}, p99 ${formatMs(percentile(times, 99))}`;

const PASSWORD = "bench user 42";
const PASSWORD_HASH = bcrypt.hashSync(PASSWORD, 4);

export type BenchUser = { id: string; cookie: string };

/** A user with the benchmarks' password, inserted directly. */
export async function insertUser(
  db: TestDatabase,
  { budgetMicros, prefix = "bench" }: { budgetMicros: number | null; prefix?: string },
): Promise<{ id: string; email: string }> {
  const id = randomUUID();
  const email = `${prefix}-${id}@example.test`;
  await db.query(
    `INSERT INTO "User" ("id", "email", "passwordHash", "updatedAt", "budgetMode", "monthlyBudgetMicros") VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, email, PASSWORD_HASH, new Date().toISOString(), budgetMicros === null ? "unlimited" : "limited", budgetMicros],
  );
  return { id, email };
}

export async function createUser(baseUrl: string, db: TestDatabase, budgetMicros: number | null): Promise<BenchUser> {
  const { id, email } = await insertUser(db, { budgetMicros });
  return signIn(baseUrl, { id, email });
}

/** Signs in a user made by insertUser: its session cookie. */
export async function signIn(baseUrl: string, { id, email }: { id: string; email: string }): Promise<BenchUser> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const [name = "", ...value] = pair.split("=");
      jar.set(name, value.join("="));
    }
  };
  const header = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const signIn = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: header(), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: PASSWORD, csrfToken, callbackUrl: baseUrl }),
  });
  keep(signIn);
  if (![...jar.keys()].some((name) => name.includes("session-token"))) throw new Error(`sign-in of ${email} failed`);
  return { id, cookie: header() };
}

export type ChatOutcome = {
  status: number;
  ok: boolean;
  firstTokenMs: number | null;
  totalMs: number;
  /** SSE events the browser would have received. */
  events: number;
  error?: string;
};

export async function chat(baseUrl: string, user: BenchUser, text: string): Promise<ChatOutcome> {
  const start = performance.now();
  try {
    const response = await fetch(`${baseUrl}/api/chat`, {
      method: "POST",
      headers: { cookie: user.cookie, "content-type": "application/json" },
      body: JSON.stringify({ conversationId: randomUUID(), model: "gpt-5-mini", text }),
    });
    if (!response.ok || !response.body) {
      const body = await response.text();
      return {
        status: response.status,
        ok: false,
        firstTokenMs: null,
        totalMs: performance.now() - start,
        events: 0,
        error: body.slice(0, 200),
      };
    }
    const { body, firstTokenMs } = await readStream(response.body, start, (text) => text.includes('"text-delta"'));
    const isFinished = body.includes('"type":"finish"');
    const error = /"type":"error","errorText":"([^"]*)"/.exec(body)?.[1];
    const events = body.split("\n").filter((line) => line.startsWith("data:")).length;
    return { status: 200, ok: isFinished && !error, firstTokenMs, totalMs: performance.now() - start, events, error };
  } catch (error) {
    return {
      status: 0,
      ok: false,
      firstTokenMs: null,
      totalMs: performance.now() - start,
      events: 0,
      error: String(error),
    };
  }
}

/**
 * Reads a streamed body to its end: its text, and when (ms after `start`) what had arrived first satisfied
 * `hasFirstToken`.
 */
export async function readStream(
  stream: ReadableStream<Uint8Array>,
  start: number,
  hasFirstToken: (text: string) => boolean,
): Promise<{ body: string; firstTokenMs: number | null }> {
  let firstTokenMs: number | null = null;
  let body = "";
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    body += decoder.decode(value, { stream: true });
    if (firstTokenMs === null && hasFirstToken(body)) firstTokenMs = performance.now() - start;
  }
  return { body, firstTokenMs };
}
