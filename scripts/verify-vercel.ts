// `npm run verify:vercel`: proves the app deploys to Vercel, offline, with Vercel's own tooling (docs/deploy-vercel.md).
//
//   1. the Vercel CLI, pinned in scripts/vercel/ (installed there on first use: it is not part of the app's install)
//   2. `vercel build` refuses the embedded database, with the message the build prints on Vercel (lib/env-schema.ts)
//   3. `vercel build` with DATABASE_URL (PostgreSQL: a server URL whose database exists, or whose user may create it;
//      default TEST_POSTGRES_URL's server, on a fresh database) → .vercel/output, as Vercel's builders make it
//   4. every function's unzipped size (its own files and the project files it maps in) under Vercel's 250 MB, the
//      largest reported with what fills it; the PostgreSQL deployment carries no SQLite driver
//
// The project settings (.vercel/project.json, framework nextjs) are written here and never committed. The build also
// leaves the production build in .next/, which `npm test` then serves (`next start`) for the PostgreSQL end-to-end run.
// Exit code 0 only when every step passed; `--json FILE` writes the figures for npm test.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { VERCEL_NEEDS_POSTGRES } from "../lib/env-schema";

const ROOT = path.resolve(__dirname, "..");
const CLI_DIR = path.join(ROOT, "scripts", "vercel");
const CLI = path.join(CLI_DIR, "node_modules", ".bin", "vercel");
const OUTPUT = path.join(ROOT, ".vercel", "output");
/** Vercel's limit on a function's size, unzipped (bytes). */
export const FUNCTION_LIMIT_BYTES = 250 * 1024 * 1024;
const SQLITE_PACKAGES = ["better-sqlite3", "@prisma/adapter-better-sqlite3"];

const { values } = parseArgs({ options: { json: { type: "string" } } });

function fail(message: string): never {
  console.error(`\nverify:vercel: ${message}`);
  process.exit(1);
}

function ensureCli() {
  if (fs.existsSync(CLI)) return;
  console.log("verify:vercel: installing the pinned Vercel CLI into scripts/vercel/ (once)");
  const install = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: CLI_DIR,
    stdio: "inherit",
  });
  if (install.status !== 0 || !fs.existsSync(CLI))
    fail("could not install the Vercel CLI (npm install in scripts/vercel)");
}

function writeProjectSettings() {
  fs.mkdirSync(path.join(ROOT, ".vercel"), { recursive: true });
  // What linking the project on vercel.com would write; installCommand "": the checkout is installed already.
  const project = {
    projectId: "prj_offline",
    orgId: "team_offline",
    settings: { framework: "nextjs", installCommand: "" },
  };
  fs.writeFileSync(path.join(ROOT, ".vercel", "project.json"), `${JSON.stringify(project, null, 2)}\n`);
}

/** Runs `vercel build`, its output echoed and kept; resolves to its exit code and output. */
function vercelBuild(env: Record<string, string | undefined>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(CLI, ["build"], {
      cwd: ROOT,
      // No telemetry, no update check: the build runs offline.
      env: { ...process.env, VERCEL_TELEMETRY_DISABLED: "1", NEXT_TELEMETRY_DISABLED: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const keep = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      // npm's engine warnings (the AI SDK declares Node 22; Vercel runs 24) would bury the build's own lines.
      const shown = text
        .split("\n")
        .filter((line) => !/EBADENGINE|^npm warn (EBADENGINE|\s+(package|required|current):|})/.test(line))
        .join("\n");
      if (shown.trim()) process.stdout.write(shown.endsWith("\n") ? shown : `${shown}\n`);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** A fresh database on the server of `serverUrl` (its user may CREATE DATABASE), and its URL. */
async function freshDatabase(serverUrl: string): Promise<string> {
  const name = `chatledger_vercel_${randomBytes(4).toString("hex")}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export type FunctionSize = {
  name: string;
  routes: number;
  bytes: number;
  files: number;
  /** The packages (or project folders) that weigh most in it. */
  top: [string, number][];
  /** Bytes of the SQLite driver in it. */
  sqliteBytes: number;
};

/** Which package (or top-level folder) a project file belongs to. */
function ownerOf(file: string): string {
  const parts = file.split("/");
  if (parts[0] !== "node_modules") return parts[0] ?? file;
  return parts[1]?.startsWith("@") ? `${parts[1]}/${parts[2]}` : (parts[1] ?? file);
}

/**
 * Each function in .vercel/output (routes that share one are counted once, by their real path): the bytes of the
 * files in its folder plus the project files its `.vc-config.json` maps in (`filePathMap`), which Vercel uploads with
 * it, and the packages that weigh most.
 */
export function measureFunctions(output: string, root: string): FunctionSize[] {
  const byRealPath = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.name.endsWith(".func")) {
        const real = fs.realpathSync(full);
        byRealPath.set(real, [...(byRealPath.get(real) ?? []), path.relative(output, full)]);
      } else if (entry.isDirectory()) walk(full);
    }
  };
  walk(path.join(output, "functions"));
  return [...byRealPath].map(([real, names]) => {
    const owners = new Map<string, number>();
    let bytes = 0;
    let files = 0;
    const add = (owner: string, size: number) => {
      bytes += size;
      files += 1;
      owners.set(owner, (owners.get(owner) ?? 0) + size);
    };
    const own = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        const stat = fs.statSync(full);
        if (stat.isDirectory()) own(full);
        else add(ownerOf(path.relative(real, full)), stat.size);
      }
    };
    own(real);
    const config = JSON.parse(fs.readFileSync(path.join(real, ".vc-config.json"), "utf8")) as {
      filePathMap?: Record<string, string>;
    };
    for (const file of Object.values(config.filePathMap ?? {}))
      add(ownerOf(file), fs.statSync(path.join(root, file)).size);
    const top = [...owners].sort((a, b) => b[1] - a[1]).slice(0, 6);
    const sqliteBytes = SQLITE_PACKAGES.reduce((sum, name) => sum + (owners.get(name) ?? 0), 0);
    return { name: names.sort()[0] ?? real, routes: names.length, bytes, files, top, sqliteBytes };
  });
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main() {
  ensureCli();
  writeProjectSettings();
  const authSecret = process.env.AUTH_SECRET || randomBytes(33).toString("base64");

  console.log("\n━━ verify:vercel 1/3: vercel build refuses the embedded database ━━");
  const refused = await vercelBuild({ DATABASE_URL: "file:./data/chatledger.db", AUTH_SECRET: authSecret });
  if (refused.code === 0 || !refused.output.includes(VERCEL_NEEDS_POSTGRES)) {
    fail("vercel build with an SQLite DATABASE_URL did not stop with the message that asks for PostgreSQL");
  }
  console.log("verify:vercel: refused, with the message above ✓");

  console.log("\n━━ verify:vercel 2/3: vercel build on PostgreSQL ━━");
  const server = process.env.DATABASE_URL?.startsWith("postgres") ? undefined : process.env.TEST_POSTGRES_URL;
  const databaseUrl = server ? await freshDatabase(server) : process.env.DATABASE_URL;
  if (!databaseUrl?.startsWith("postgres")) fail("set DATABASE_URL (or TEST_POSTGRES_URL) to a PostgreSQL server");
  const started = Date.now();
  const built = await vercelBuild({ DATABASE_URL: databaseUrl, AUTH_SECRET: authSecret });
  const buildSeconds = Math.round((Date.now() - started) / 1000);
  if (built.code !== 0 || !fs.existsSync(path.join(OUTPUT, "config.json")))
    fail(`vercel build failed (exit ${built.code})`);

  console.log("\n━━ verify:vercel 3/3: the functions' sizes ━━");
  const functions = measureFunctions(OUTPUT, ROOT).sort((a, b) => b.bytes - a.bytes);
  const routes = functions.reduce((sum, fn) => sum + fn.routes, 0);
  console.log(`${functions.length} functions serve ${routes} routes (unzipped, with the project files each maps in):`);
  for (const fn of functions) {
    console.log(
      `  ${mb(fn.bytes).padStart(9)}  ${String(fn.files).padStart(5)} files  ${fn.name} (${fn.routes} routes)`,
    );
  }
  const largest = functions[0];
  if (largest) {
    console.log(
      `the largest, ${largest.name}: ${largest.top.map(([owner, bytes]) => `${owner} ${mb(bytes)}`).join(", ")}`,
    );
  }
  const tooBig = functions.filter((fn) => fn.bytes >= FUNCTION_LIMIT_BYTES);
  const withSqlite = functions.filter((fn) => fn.sqliteBytes > 0);
  if (values.json) {
    fs.writeFileSync(values.json, JSON.stringify({ buildSeconds, functions, tooBig: tooBig.length }, null, 2));
  }
  if (tooBig.length > 0) fail(`over Vercel's 250 MB: ${tooBig.map((fn) => `${fn.name} ${mb(fn.bytes)}`).join(", ")}`);
  if (withSqlite.length > 0) {
    fail(`the SQLite driver is in ${withSqlite.map((fn) => `${fn.name} (${mb(fn.sqliteBytes)})`).join(", ")}`);
  }
  console.log(`verify:vercel: passed (build ${buildSeconds} s; every function under ${mb(FUNCTION_LIMIT_BYTES)})`);
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
