// `npm run bench [-- --quick] [-- --build] [-- --out BENCHMARKS.md]`: issue 10's table in one command. Seeds the large
// user (scripts/bench-seed.ts: 10,000 conversations, 500,000 messages and ledger entries) on a fresh embedded SQLite
// database, and on PostgreSQL too when BENCH_DATABASE_URL is set (a server URL whose user may create databases: a
// database named after the URL's own plus `_bench_…` is created there and dropped at the end); then runs each benchmark
// on the production build against it, one after another (bench:chat-page, bench:page, bench:usage, bench:stream with
// the fake upstream and the floor route; then bench:typing and bench:js in Chromium, which need no seeded user), each
// as its own process with `--seeded FILE --json FILE`; and writes the table, every figure from this run, with the
// machine, date and commit, to BENCHMARKS.md (scripts/bench-table.ts).
//
//   --quick   a tenth of the sizes, for a smoke run (the table says so)
//   --build   build first (`npm run build`'s generate + next build) even for SQLite (else the build in .next is used,
//             made by `npm run build`); PostgreSQL is always built for, since the build holds the database's Prisma
//             client, and SQLite is built for again after the table is written
//   --only    a comma-separated list of benchmarks to run (chat-page,page,usage,stream,typing,js)
//
// A benchmark, not a test: a benchmark that fails is reported in the table and the exit code, the others still run.
import { execFileSync, type SpawnOptions, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { adminQuery } from "../e2e/app-server";
import type { SeededDatabase } from "./bench-app";
import type { LargeUser } from "./bench-seed";
import { type BenchRun, benchmarksMarkdown, type DatabaseResults } from "./bench-table";

const ROOT = path.resolve(__dirname, "..");
const BIN = path.join(ROOT, "node_modules", ".bin");

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    build: { type: "boolean", default: false },
    out: { type: "string", default: path.join(ROOT, "BENCHMARKS.md") },
    only: { type: "string" },
  },
});
const DATABASE_BENCHES = ["chat-page", "page", "usage", "stream"] as const;
const BROWSER_BENCHES = ["typing", "js"] as const;
const only = values.only ? new Set(values.only.split(",")) : null;
const wanted = (name: string) => !only || only.has(name);

/** Where each benchmark lives, and whether it imports server-only modules (then with `--conditions=react-server`). */
const SCRIPTS: Record<string, { file: string; server: boolean }> = {
  "chat-page": { file: "bench-chat-page.ts", server: true },
  page: { file: "bench-page.ts", server: true },
  usage: { file: "bench-usage.ts", server: true },
  stream: { file: "bench-stream.ts", server: false },
  typing: { file: "bench-typing.ts", server: false },
  js: { file: "bench-js.ts", server: false },
};

const steps: { name: string; ms: number }[] = [];
let failures = 0;

/** Runs a command with the output shown; resolves to its exit code. */
function run(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  const options: SpawnOptions = { cwd: ROOT, env: { ...process.env, ...env }, stdio: "inherit" };
  return new Promise((resolve) => {
    const child = spawn(command, args, options);
    child.on("exit", (code) => resolve(code ?? 1));
    child.on("error", () => resolve(1));
  });
}

async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  console.log(`\n=== ${name}`);
  const start = performance.now();
  try {
    return await work();
  } finally {
    steps.push({ name, ms: performance.now() - start });
  }
}

const tsx = (file: string, server: boolean, args: string[], env?: Record<string, string>) =>
  run(
    path.join(BIN, "tsx"),
    [...(server ? ["--conditions=react-server"] : []), path.join(__dirname, file), ...args],
    env,
  );

/** The Prisma client for this database's kind, then the production build, as `npm run build` makes them. */
async function build(databaseUrl: string) {
  const env = { DATABASE_URL: databaseUrl };
  if ((await tsx("db.ts", false, ["generate"], env)) !== 0) throw new Error("prisma generate failed");
  const buildEnv = {
    ...env,
    // The build checks the environment; the server's own values come from e2e/app-server.ts.
    AUTH_SECRET: randomBytes(33).toString("base64"),
    AUTH_TRUST_HOST: "true",
  };
  if ((await run(path.join(BIN, "next"), ["build"], buildEnv)) !== 0) throw new Error("next build failed");
}

type Database = { kind: "sqlite" | "postgresql"; url: string; drop(): Promise<void> };

async function createDatabase(kind: "sqlite" | "postgresql", workDir: string): Promise<Database> {
  if (kind === "sqlite") {
    const file = path.join(workDir, "bench.db");
    return { kind, url: `file:${file}`, drop: async () => {} };
  }
  const server = new URL(process.env.BENCH_DATABASE_URL ?? "");
  const base = server.pathname.replace(/^\//, "").replace(/[^a-z0-9_]/gi, "_") || "chatledger";
  const name = `${base}_bench_${Date.now().toString(36)}`.toLowerCase();
  await adminQuery(server.toString(), `CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    drop: () => adminQuery(server.toString(), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/**
 * Runs one benchmark with `--json` (and `args`); its figures, or undefined with the failure noted in `errors`. The
 * step is named after the benchmark and `prefix` (the database), e.g. "bench:usage (sqlite)".
 */
async function runBenchmark(
  name: string,
  prefix: string,
  args: string[],
  errors: Record<string, string>,
  workDir: string,
): Promise<unknown> {
  const script = SCRIPTS[name];
  if (!script) throw new Error(`no benchmark ${name}`);
  const jsonFile = path.join(workDir, `${prefix}${name}.json`);
  const stepName = prefix ? `bench:${name} (${prefix.slice(0, -1)})` : `bench:${name}`;
  const code = await step(stepName, () => tsx(script.file, script.server, [...args, "--json", jsonFile]));
  if (code !== 0 || !fs.existsSync(jsonFile)) {
    errors[name] = `exit ${code}, see the output above`;
    failures++;
    return undefined;
  }
  return JSON.parse(fs.readFileSync(jsonFile, "utf8"));
}

/** Seeds, then runs the database's benchmarks against it; their results, and errors by benchmark. */
async function benchDatabase(
  database: Database,
  workDir: string,
): Promise<{ results: DatabaseResults; user: LargeUser }> {
  const label = database.kind;
  const env = { DATABASE_URL: database.url };
  const results: DatabaseResults = { errors: {} };
  if ((await tsx("db.ts", false, ["deploy"], env)) !== 0) throw new Error(`migrating the ${label} database failed`);
  const userFile = path.join(workDir, `${label}-user.json`);
  const seedArgs = ["--db", database.url, "--out", userFile, ...(values.quick ? ["--quick"] : [])];
  const seeded = await step(`seed (${label})`, () => tsx("bench-seed.ts", true, seedArgs));
  if (seeded !== 0) throw new Error(`seeding the ${label} database failed`);
  const user = JSON.parse(fs.readFileSync(userFile, "utf8")) as LargeUser;
  const seededFile = path.join(workDir, `${label}-seeded.json`);
  const handOver: SeededDatabase = { kind: database.kind, databaseUrl: database.url, user };
  fs.writeFileSync(seededFile, JSON.stringify(handOver));
  const args = ["--seeded", seededFile];
  for (const name of DATABASE_BENCHES) {
    if (!wanted(name)) continue;
    const result = await runBenchmark(name, `${label}-`, args, results.errors, workDir);
    if (name === "chat-page") results.chatPage = result as DatabaseResults["chatPage"];
    else if (name === "page") results.page = result as DatabaseResults["page"];
    else if (name === "usage") results.usage = result as DatabaseResults["usage"];
    else results.stream = result as DatabaseResults["stream"];
  }
  return { results, user };
}

function commit(): string {
  const head = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: ROOT, encoding: "utf8" });
  return dirty.trim() ? `${head} (with uncommitted changes)` : head;
}

async function main() {
  const started = performance.now();
  const loadAverage = os.loadavg() as [number, number, number];
  // What is measured is the tree as it is now (it is built from it), whatever is edited while the run goes on.
  const measuredCommit = commit();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "chatledger-bench-"));
  // SQLite first, on the build there is (or a new one); PostgreSQL's build after it.
  const kinds: ("sqlite" | "postgresql")[] = process.env.BENCH_DATABASE_URL ? ["sqlite", "postgresql"] : ["sqlite"];
  const databases: Record<string, DatabaseResults> = {};
  const seededMs: Record<string, number> = {};
  let seed: LargeUser["size"] | null = null;
  const browser: BenchRun["browser"] = { errors: {} };
  try {
    for (const kind of kinds) {
      const kindDir = fs.mkdtempSync(path.join(workDir, `${kind}-`));
      try {
        const database = await createDatabase(kind, kindDir);
        try {
          // PostgreSQL needs its own build; SQLite the one there is, unless asked or there is none.
          const hasBuild = fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"));
          if (kind === "postgresql" || values.build || !hasBuild) {
            await step(`build (${kind})`, () => build(database.url));
          }
          const { results, user } = await benchDatabase(database, kindDir);
          databases[kind] = results;
          seededMs[kind] = user.seededMs;
          seed = user.size;
        } finally {
          await database.drop();
        }
      } catch (error) {
        // This database's figures are missing from the table, with the reason; the other's are still written.
        console.error(error);
        failures++;
        const reason = `not measured: ${(error as Error).message.split("\n")[0]}`;
        databases[kind] = { errors: Object.fromEntries(DATABASE_BENCHES.map((name) => [name, reason])) };
      }
      // In Chromium, each on a fresh SQLite database of its own: while the build is SQLite's.
      for (const name of kind === "sqlite" ? BROWSER_BENCHES : []) {
        if (!wanted(name)) continue;
        const result = await runBenchmark(name, "", [], browser.errors, workDir);
        if (name === "typing") browser.typing = result as BenchRun["browser"]["typing"];
        else browser.js = result as BenchRun["browser"]["js"];
      }
    }
    const cpus = os.cpus();
    const benchRun: BenchRun = {
      date: `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
      commit: measuredCommit,
      machine: {
        cpu: cpus[0]?.model.trim() ?? "unknown CPU",
        cores: cpus.length,
        loadAverage,
        loadAverageEnd: os.loadavg() as [number, number, number],
        ramBytes: os.totalmem(),
        node: process.version,
      },
      quick: values.quick,
      seed: {
        conversations: seed?.conversations ?? 0,
        messages: seed?.messages ?? 0,
        entries: seed?.entries ?? 0,
        seededMs,
      },
      databases,
      browser,
      durationMs: performance.now() - started,
      steps,
    };
    const markdown = benchmarksMarkdown(benchRun);
    fs.writeFileSync(values.out, markdown);
    fs.writeFileSync(path.join(workDir, "run.json"), JSON.stringify(benchRun, null, 2));
    console.log(`\n${markdown}\nWritten to ${values.out} (the raw figures: ${path.join(workDir, "run.json")})`);
    if (kinds.includes("postgresql")) {
      // The work tree ends as it was, a SQLite build (not part of the figures).
      console.log("\n=== build (sqlite) again, as the tree was");
      await build(`file:${path.join(workDir, "build.db")}`);
    }
  } finally {
    for (const entry of fs.readdirSync(workDir)) {
      // The SQLite databases are large; the JSON figures stay for a look afterwards.
      if (fs.statSync(path.join(workDir, entry)).isDirectory()) {
        for (const file of fs.readdirSync(path.join(workDir, entry))) {
          if (/\.db(-wal|-shm)?$/.test(file)) fs.rmSync(path.join(workDir, entry, file), { force: true });
        }
      }
    }
  }
  if (failures > 0) {
    console.error(`${failures} benchmark(s) failed`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
