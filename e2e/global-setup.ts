// Starts what every spec talks to, on ports picked free (never assuming 3000): the fake OpenAI upstream, in this
// process so it lives exactly as long as the run, and the production app (`next start`, built beforehand by
// scripts/test.ts or `npm run build`) on a fresh database with its schema migrated. Hands them to the specs through
// process.env, which Playwright passes on to the workers it starts after this: E2E_BASE_URL, FAKE_OPENAI_URL and
// E2E_DATABASE_URL. Returns the teardown, which stops only what this file started.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startFakeOpenAI } from "./fake-openai/server";

const ROOT = path.resolve(__dirname, "..");
const STARTUP_TIMEOUT_MS = 120_000;

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new Error("No production build in .next/: run `npm run build` (or `npm test`, which builds) first.");
  }
  const runName = process.env.E2E_RUN_NAME ?? "e2e";
  const logFile = path.join(ROOT, "test-results", `app-${runName}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, "w");

  let tempDir: string | null = null;
  let app: ChildProcess | null = null;
  const fake = await startFakeOpenAI({ port: 0 });

  async function teardown() {
    if (app) await stopProcessGroup(app);
    await fake.close();
    fs.closeSync(log);
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  }

  try {
    let databaseUrl = process.env.E2E_DATABASE_URL;
    if (!databaseUrl) {
      tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "chatledger-e2e-"));
      databaseUrl = `file:${path.join(tempDir, "e2e.db")}`;
    }
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: fake.url,
      AUTH_SECRET: randomBytes(32).toString("base64"),
      AUTH_TRUST_HOST: "true",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
    };

    migrate(env, log);

    fs.writeSync(log, `\n$ next start -p ${port} (DATABASE_URL=${redact(databaseUrl)})\n`);
    // detached: the server gets its own process group, so teardown can stop it and anything it spawned, and only that.
    app = spawn(
      process.execPath,
      [require.resolve("next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"],
      {
        cwd: ROOT,
        env,
        detached: true,
        stdio: ["ignore", log, log],
      },
    );
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitUntilReady(baseUrl, app, logFile);

    process.env.E2E_BASE_URL = baseUrl;
    process.env.FAKE_OPENAI_URL = fake.url;
    process.env.E2E_DATABASE_URL = databaseUrl;
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}

function migrate(env: NodeJS.ProcessEnv, log: number) {
  const script = path.join(ROOT, "scripts", "db.ts");
  if (!fs.existsSync(script)) {
    console.warn("[e2e] scripts/db.ts not found: starting the app without migrating its database");
    return;
  }
  fs.writeSync(log, "$ tsx scripts/db.ts deploy\n");
  const result = spawnSync(path.join(ROOT, "node_modules", ".bin", "tsx"), [script, "deploy"], {
    cwd: ROOT,
    env,
    encoding: "utf8",
  });
  fs.writeSync(log, `${result.stdout ?? ""}${result.stderr ?? ""}`);
  if (result.status !== 0) {
    throw new Error(`\`tsx scripts/db.ts deploy\` failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// Ready once GET /api/health answers 200. While the app has no such route (404), a non-5xx GET / will do.
async function waitUntilReady(baseUrl: string, app: ChildProcess, logFile: string) {
  let exited: string | null = null;
  app.once("exit", (code, signal) => {
    exited = `exited with ${signal ?? `code ${code}`}`;
  });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) break;
    const health = await status(`${baseUrl}/api/health`);
    if (health === 200) return;
    if (health === 404) {
      const home = await status(baseUrl);
      if (home !== null && home < 500) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const tail = fs.readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n");
  throw new Error(
    `The app at ${baseUrl} ${exited ?? `was not ready within ${STARTUP_TIMEOUT_MS / 1000}s`}. Last lines of ${logFile}:\n${tail}`,
  );
}

async function status(url: string): Promise<number | null> {
  try {
    const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(5_000) });
    await response.body?.cancel();
    return response.status;
  } catch {
    return null;
  }
}

async function stopProcessGroup(child: ChildProcess) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // Already gone.
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
