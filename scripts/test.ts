// `npm test`: every suite, on every database available, then one closing line `N passed, N failed, N skipped` that CI
// reads (nothing may print after it).
//
//   1. prisma client for SQLite, typecheck and lint (one test each), vitest
//   2. only when TEST_POSTGRES_URL is set (a server URL whose user may CREATE DATABASE): on fresh throwaway databases,
//      prisma client for PostgreSQL, vitest with TEST_DATABASE_URL, the build made by Vercel's own `vercel build`
//      (`npm run verify:vercel`: the functions' sizes checked, one test), Playwright with E2E_DATABASE_URL on it
//   3. prisma client for SQLite again, `next build`, Playwright on a fresh SQLite file
// Each Playwright run ends with its "stress" project (e2e/stress, `npm run test:stress` alone): the money path under
// 200 and 40 concurrent requests, on that run's database.
//
// The generated client and the build are specific to the database provider, so PostgreSQL goes first and the work
// tree ends as a plain SQLite build. A step that cannot run (build broken, database unreachable) counts as one
// failure, and the steps that need it are skipped, so the closing line never hides it.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { BUILD_SECRETS } from "../e2e/app-server";

const ROOT = path.resolve(__dirname, "..");
const BIN = path.join(ROOT, "node_modules", ".bin");
const REPORTS = fs.mkdtempSync(path.join(os.tmpdir(), "chatledger-test-"));

/** Variables to add to (or, when undefined, remove from) the inherited environment. */
type Env = Record<string, string | undefined>;

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
const lines: string[] = [];
/** When the step being run began (its banner): the summary says how long each step took, to keep the suite lean. */
let stepStart = Date.now();

function record(label: string, tally: Tally) {
  total.passed += tally.passed;
  total.failed += tally.failed;
  total.skipped += tally.skipped;
  const seconds = Math.round((Date.now() - stepStart) / 1000);
  lines.push(`  ${label}: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped (${seconds} s)`);
}

function stepFailed(label: string, reason: string) {
  console.error(`\n✗ ${label}: ${reason}`);
  record(label, { passed: 0, failed: 1, skipped: 0 });
}

function banner(text: string) {
  stepStart = Date.now();
  console.log(`\n━━ ${text} ━━`);
}

function run(command: string, args: string[], env: Env = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
    child.on("error", (error) => {
      console.error(`cannot run ${command}: ${error.message}`);
      resolve(127);
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

async function generateClient(databaseUrl: string): Promise<boolean> {
  if (!fs.existsSync(path.join(ROOT, "scripts", "db.ts"))) {
    console.warn("⚠ scripts/db.ts not found: not generating the Prisma client");
    return true;
  }
  banner(`prisma generate (${providerOf(databaseUrl)})`);
  const code = await run(path.join(BIN, "tsx"), ["scripts/db.ts", "generate"], { DATABASE_URL: databaseUrl });
  if (code !== 0) stepFailed(`prisma generate (${providerOf(databaseUrl)})`, `exit ${code}`);
  return code === 0;
}

async function vitest(label: string, env: Env) {
  banner(label);
  const report = path.join(REPORTS, `${label.replace(/\W+/g, "-")}.json`);
  const code = await run(
    path.join(BIN, "vitest"),
    ["run", "--passWithNoTests", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`],
    env,
  );
  const json = readJson(report) as {
    numPassedTests?: number;
    numFailedTests?: number;
    numPendingTests?: number;
    numTodoTests?: number;
    numFailedTestSuites?: number;
  } | null;
  const tally: Tally = {
    passed: json?.numPassedTests ?? 0,
    failed: json?.numFailedTests ?? 0,
    skipped: (json?.numPendingTests ?? 0) + (json?.numTodoTests ?? 0),
  };
  // A file that fails to import fails its suite without failing a test: still a failure.
  if (code !== 0 && tally.failed === 0) tally.failed = Math.max(1, json?.numFailedTestSuites ?? 0);
  record(label, tally);
}

async function build(databaseUrl: string): Promise<boolean> {
  const label = `next build (${providerOf(databaseUrl)})`;
  banner(label);
  const code = await run(path.join(BIN, "next"), ["build"], {
    DATABASE_URL: databaseUrl,
    NEXT_TELEMETRY_DISABLED: "1",
    // The build validates the environment. It sees the e2e servers' secrets (e2e/app-server.ts), so that
    // e2e/secrets.spec.ts proves that neither reaches the client assets even when present at build time.
    ...BUILD_SECRETS,
    AUTH_TRUST_HOST: "true",
  });
  if (code !== 0) stepFailed(label, `exit ${code}`);
  return code === 0;
}

/**
 * PostgreSQL's production build made by `vercel build` (scripts/verify-vercel.ts: it also checks that the embedded
 * database is refused and that every function fits Vercel's limit), one test. It leaves the build in .next/, which
 * the PostgreSQL end-to-end run then serves: the whole suite runs on what Vercel would deploy.
 */
async function vercelBuild(databaseUrl: string): Promise<boolean> {
  const label = "vercel build (postgresql)";
  banner(label);
  const code = await run(path.join(BIN, "tsx"), ["scripts/verify-vercel.ts"], {
    DATABASE_URL: databaseUrl,
    NEXT_TELEMETRY_DISABLED: "1",
    // As for `next build` below: the build sees the e2e servers' secrets.
    ...BUILD_SECRETS,
    AUTH_TRUST_HOST: "true",
  });
  record(label, code === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 });
  return code === 0;
}

async function playwright(label: string, runName: string, env: Env) {
  banner(label);
  const report = path.join(REPORTS, `playwright-${runName}.json`);
  const code = await run(path.join(BIN, "playwright"), ["test"], {
    ...env,
    E2E_RUN_NAME: runName,
    PLAYWRIGHT_JSON_OUTPUT_FILE: report,
  });
  const json = readJson(report) as {
    stats?: { expected?: number; unexpected?: number; flaky?: number; skipped?: number };
  } | null;
  const stats = json?.stats ?? {};
  const tally: Tally = {
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed: stats.unexpected ?? 0,
    skipped: stats.skipped ?? 0,
  };
  // Global setup failing (app did not start, migration failed) fails the run without failing a test.
  if (code !== 0 && tally.failed === 0) tally.failed = 1;
  record(label, tally);
}

function providerOf(url: string): string {
  return /^postgres/i.test(url) ? "postgresql" : "sqlite";
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(serverUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function postgresPhase(serverUrl: string) {
  const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const names = [`chatledger_e2e_${suffix}`, `chatledger_unit_${suffix}`];
  const created: string[] = [];
  try {
    for (const name of names) {
      await adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
      created.push(name);
    }
  } catch (error) {
    stepFailed("postgresql databases", `cannot create them on TEST_POSTGRES_URL: ${(error as Error).message}`);
  }
  try {
    if (created.length < names.length) return;
    const [e2eUrl, unitUrl] = names.map((name) => withDatabase(serverUrl, name)) as [string, string];
    if (!(await generateClient(e2eUrl))) return;
    await vitest("vitest (postgresql)", { TEST_DATABASE_URL: unitUrl });
    if (!(await vercelBuild(e2eUrl))) return;
    await playwright("playwright (postgresql)", "postgresql", { E2E_DATABASE_URL: e2eUrl });
  } finally {
    for (const name of created) {
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch((error: Error) =>
        console.warn(`⚠ could not drop database ${name}: ${error.message}`),
      );
    }
  }
}

/** Typecheck and lint, each counted as one test: a red check fails the run like a red test. */
async function staticChecks() {
  for (const [label, command, args] of [
    ["typecheck", path.join(BIN, "tsc"), ["--noEmit"]],
    ["lint", path.join(BIN, "biome"), ["check", "."]],
  ] as const) {
    banner(label);
    const code = await run(command, [...args]);
    record(label, code === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 });
  }
}

async function main() {
  // Builds and unit tests get a throwaway SQLite file, never the developer's own database.
  const sqliteUrl = `file:${path.join(REPORTS, "build.db")}`;
  if (await generateClient(sqliteUrl)) {
    await staticChecks();
    await vitest("vitest (sqlite)", { TEST_DATABASE_URL: undefined });
    const postgresUrl = process.env.TEST_POSTGRES_URL;
    if (postgresUrl) await postgresPhase(postgresUrl);
    // The PostgreSQL phase leaves its own client generated: back to SQLite's before building.
    const ready = !postgresUrl || (await generateClient(sqliteUrl));
    if (ready && (await build(sqliteUrl))) {
      await playwright("playwright (sqlite)", "sqlite", { E2E_DATABASE_URL: undefined });
    }
  }
  fs.rmSync(REPORTS, { recursive: true, force: true });
  console.log(`\n${lines.join("\n")}`);
  console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exitCode = total.failed > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  console.log(`${total.passed} passed, ${total.failed + 1} failed, ${total.skipped} skipped`);
  process.exitCode = 1;
});
