// Starts the production app (`next start`, built beforehand) on a free port and a database of its own, with its schema
// migrated. Global setup starts the one every spec shares; a spec that needs other settings (a sign-up mode, a budget
// ceiling, short timeouts) or a server it may kill starts its own with `startApp`, on a fresh database of the same kind
// as the run's (`freshDatabase`): a new SQLite file, or a new database on the run's PostgreSQL server.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase, type TestDatabase } from "./db";

const ROOT = path.resolve(__dirname, "..");
const STARTUP_TIMEOUT_MS = 120_000;

/**
 * A secret of this test run: random, made by the first process that asks (`npm test`, or Playwright's runner) and
 * handed to every process it starts through the environment, so the build, the servers and the specs share it. None is
 * written in the repository.
 */
function runSecret(variable: string, prefix: string): string {
  const value = process.env[variable] || `${prefix}${randomBytes(16).toString("hex")}`;
  process.env[variable] = value;
  return value;
}

/**
 * The operator's secrets as every test server runs with them (and `npm test` builds with them): distinctive, so
 * e2e/secrets.spec.ts can look for them in the client assets, responses and the server's log. The Telegram bot's are
 * given to the shared server only (e2e/global-setup.ts), with the fake Telegram as its API; a spec's own server gets
 * them when it passes them. The token has a real token's shape: the bot's id, a colon, 35 characters.
 */
export const TEST_SECRETS = {
  OPENAI_API_KEY: runSecret("E2E_OPENAI_API_KEY", "sk-e2e-"),
  AUTH_SECRET: runSecret("E2E_AUTH_SECRET", "e2e-auth-"),
  TELEGRAM_BOT_TOKEN: runSecret("E2E_TELEGRAM_BOT_TOKEN", "7000000001:AAE"),
  // Telegram allows A-Z, a-z, 0-9, _ and - in a webhook's secret_token.
  TELEGRAM_WEBHOOK_SECRET: runSecret("E2E_TELEGRAM_WEBHOOK_SECRET", "e2e-tg-"),
  // The WeChat official account's and the WeCom app's: Tokens of letters and digits (at most 32), EncodingAESKeys of
  // exactly 43, secrets of letters and digits.
  WECHAT_MP_TOKEN: runSecret("E2E_WECHAT_MP_TOKEN", "mp").slice(0, 32),
  WECHAT_MP_APP_SECRET: runSecret("E2E_WECHAT_MP_APP_SECRET", "mpsecret"),
  WECHAT_MP_ENCODING_AES_KEY: runSecret("E2E_WECHAT_MP_ENCODING_AES_KEY", "mpaes").padEnd(43, "0").slice(0, 43),
  WECOM_SECRET: runSecret("E2E_WECOM_SECRET", "wecomsecret"),
  WECOM_TOKEN: runSecret("E2E_WECOM_TOKEN", "work").slice(0, 32),
  WECOM_ENCODING_AES_KEY: runSecret("E2E_WECOM_ENCODING_AES_KEY", "workaes").padEnd(43, "0").slice(0, 43),
};

/** The test official account's and WeCom app's ids (not secrets: WeChat shows them in every message). */
export const WECHAT_IDS = { mpAppId: "wx0e2e0e2e0e2e0e2e", corpId: "ww0e2e0e2e0e2e0e2e", agentId: 1000002 };

/**
 * Messaging channels' settings a test server must not inherit from the shell that runs the tests: a developer's real
 * bot token would point a test server at the real Telegram (or WeChat). A server gets them only from `env` (startApp's `extra`).
 */
const CHANNEL_VARIABLES = [
  "TELEGRAM_BOT_TOKEN",
  "TELEGRAM_WEBHOOK_SECRET",
  "TELEGRAM_API_BASE_URL",
  "TELEGRAM_GUEST_MONTHLY_BUDGET_USD",
  "WECHAT_MP_TOKEN",
  "WECHAT_MP_APP_ID",
  "WECHAT_MP_APP_SECRET",
  "WECHAT_MP_ENCODING_AES_KEY",
  "WECHAT_MP_ACTIVE_REPLY",
  "WECHAT_API_BASE_URL",
  "WECOM_CORP_ID",
  "WECOM_AGENT_ID",
  "WECOM_SECRET",
  "WECOM_TOKEN",
  "WECOM_ENCODING_AES_KEY",
  "WECOM_API_BASE_URL",
  "WECHAT_GUEST_MONTHLY_BUDGET_USD",
];

/**
 * The Telegram bot's settings for a server whose bot talks to the fake Telegram at `apiUrl`: the shared server's, or
 * `startOwnApp(name, telegramEnv(process.env.FAKE_TELEGRAM_URL ?? ""))` for a spec's own.
 */
export function telegramEnv(apiUrl: string) {
  return {
    TELEGRAM_BOT_TOKEN: TEST_SECRETS.TELEGRAM_BOT_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TEST_SECRETS.TELEGRAM_WEBHOOK_SECRET,
    TELEGRAM_API_BASE_URL: apiUrl,
  };
}

/**
 * The WeChat channels' settings for a server talking to the fake Tencent APIs at `apiUrl` (e2e/fake-wechat): the
 * official account in compatible/safe mode with deferred answers unless `isActiveReply`, and the WeCom app.
 */
export function wechatEnv(apiUrl: string, { isActiveReply = false }: { isActiveReply?: boolean } = {}) {
  return {
    WECHAT_MP_TOKEN: TEST_SECRETS.WECHAT_MP_TOKEN,
    WECHAT_MP_APP_ID: WECHAT_IDS.mpAppId,
    WECHAT_MP_APP_SECRET: TEST_SECRETS.WECHAT_MP_APP_SECRET,
    WECHAT_MP_ENCODING_AES_KEY: TEST_SECRETS.WECHAT_MP_ENCODING_AES_KEY,
    WECHAT_MP_ACTIVE_REPLY: String(isActiveReply),
    WECHAT_API_BASE_URL: `${apiUrl}/mp`,
    WECOM_CORP_ID: WECHAT_IDS.corpId,
    WECOM_AGENT_ID: String(WECHAT_IDS.agentId),
    WECOM_SECRET: TEST_SECRETS.WECOM_SECRET,
    WECOM_TOKEN: TEST_SECRETS.WECOM_TOKEN,
    WECOM_ENCODING_AES_KEY: TEST_SECRETS.WECOM_ENCODING_AES_KEY,
    WECOM_API_BASE_URL: `${apiUrl}/work`,
  };
}

/**
 * What the builds of `npm test` see (scripts/test.ts): every secret of the test servers, with the settings that make
 * each channel whole (the environment refuses half a channel's settings; the API address is never called by a build).
 */
export const BUILD_SECRETS = { ...TEST_SECRETS, ...wechatEnv("https://wechat.invalid") };

export interface AppServer {
  /** http://127.0.0.1:<port> */
  url: string;
  databaseUrl: string;
  logFile: string;
  /** SIGTERM, then SIGKILL after 10 s: a clean stop. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crash or an out-of-memory kill would: nothing is flushed or settled. */
  kill(): Promise<void>;
  /** Starts the server again on the same port, database and settings (after stop or kill). */
  restart(): Promise<void>;
}

export interface StartAppOptions {
  /** Names the log file, test-results/app-<name>.log. */
  name: string;
  databaseUrl: string;
  /** The fake OpenAI upstream's base URL (…/v1). */
  upstreamUrl: string;
  /** Extra variables for the server, over the defaults below. */
  env?: Record<string, string>;
  /** Options for the server's node (not its migrations), e.g. --cpu-prof, which NODE_OPTIONS does not take. */
  nodeArgs?: string[];
}

export async function startApp({
  name,
  databaseUrl,
  upstreamUrl,
  env: extra = {},
  nodeArgs = [],
}: StartAppOptions): Promise<AppServer> {
  if (!fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new Error("No production build in .next/: run `npm run build` (or `npm test`, which builds) first.");
  }
  const logFile = path.join(ROOT, "test-results", `app-${name}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, "w");
  const port = await freePort();
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !CHANNEL_VARIABLES.includes(name)),
  );
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: databaseUrl,
    OPENAI_API_KEY: TEST_SECRETS.OPENAI_API_KEY,
    OPENAI_BASE_URL: upstreamUrl,
    // The specs' exact image costs are gpt-image-1's (the default, gpt-image-2, is priced and tested in lib/billing).
    OPENAI_IMAGE_MODEL: "gpt-image-1",
    // The playground's models: OpenAI's completion model, and a chat model the fake refuses on /v1/completions as
    // OpenAI does (e2e/playground.spec.ts).
    OPENAI_COMPLETION_MODELS: "gpt-3.5-turbo-instruct,gpt-4o-mini",
    AUTH_SECRET: TEST_SECRETS.AUTH_SECRET,
    AUTH_TRUST_HOST: "true",
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    ...extra,
  };
  migrate(env, log);
  const url = `http://127.0.0.1:${port}`;
  let app: ChildProcess | null = null;

  async function launch() {
    fs.writeSync(log, `\n$ next start -p ${port} (DATABASE_URL=${redact(databaseUrl)})\n`);
    // detached: the server gets its own process group, so stop/kill reach it and anything it spawned, and only that.
    app = spawn(
      process.execPath,
      [...nodeArgs, require.resolve("next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"],
      {
        cwd: ROOT,
        env,
        detached: true,
        stdio: ["ignore", log, log],
      },
    );
    await waitUntilReady(url, app, logFile);
  }

  async function halt(signal: NodeJS.Signals) {
    if (app) await stopProcessGroup(app, signal);
    app = null;
  }

  try {
    await launch();
  } catch (error) {
    await halt("SIGKILL");
    fs.closeSync(log);
    throw error;
  }
  let closed = false;
  return {
    url,
    databaseUrl,
    logFile,
    async stop() {
      await halt("SIGTERM");
      if (!closed) fs.closeSync(log);
      closed = true;
    },
    kill: () => halt("SIGKILL"),
    restart: launch,
  };
}

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A new, empty database of the kind the run uses: a new PostgreSQL database on the server of E2E_DATABASE_URL when
 * that is a PostgreSQL URL (its user may create databases, as in `npm test`), else a new SQLite file.
 */
export async function freshDatabase(name: string): Promise<FreshDatabase> {
  const runUrl = process.env.E2E_DATABASE_URL;
  const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  if (runUrl && /^postgres(ql)?:\/\//i.test(runUrl)) {
    const database = `chatledger_${name.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${suffix}`;
    await adminQuery(runUrl, `CREATE DATABASE "${database}"`);
    const url = new URL(runUrl);
    url.pathname = `/${database}`;
    return {
      url: url.toString(),
      drop: () => adminQuery(runUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `chatledger-${name}-`));
  return {
    url: `file:${path.join(dir, "app.db")}`,
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export interface OwnApp {
  app: AppServer;
  database: FreshDatabase;
  /** A client of that database (e2e/db.ts). */
  db: TestDatabase;
  /** Stops the server and drops its database. */
  stop(): Promise<void>;
}

/**
 * A server of a spec's own, on a fresh database, talking to the run's fake upstream: for a spec that kills its server,
 * needs settings the shared one cannot carry, or needs the database to itself.
 */
/**
 * Every spec signs in from 127.0.0.1, and the fuzz and load specs send far more than a person would: the shared
 * server and the specs' own servers lift the per-address and per-user limits (the limits themselves are
 * e2e/auth-hardening.spec.ts's, on a server of its own).
 */
export const UNLIMITED_RATES = {
  RATE_LIMIT_SIGN_IN_PER_IP: "1000000/1m",
  RATE_LIMIT_SIGN_UP_PER_IP: "1000000/1m",
  RATE_LIMIT_CHAT: "1000000/1m",
  RATE_LIMIT_UPLOAD: "1000000/1m",
};

export async function startOwnApp(name: string, env: Record<string, string> = {}): Promise<OwnApp> {
  const database = await freshDatabase(name);
  const app = await startApp({
    name: `${name}-${process.env.E2E_RUN_NAME ?? "e2e"}`,
    databaseUrl: database.url,
    upstreamUrl: process.env.FAKE_OPENAI_URL ?? "",
    env: { ...UNLIMITED_RATES, ...env },
  });
  const db = openDatabase(database.url);
  return {
    app,
    database,
    db,
    async stop() {
      await db.close();
      await app.stop();
      await database.drop();
    },
  };
}

export async function adminQuery(connectionString: string, sql: string) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function migrate(env: NodeJS.ProcessEnv, log: number) {
  fs.writeSync(log, "$ tsx scripts/db.ts deploy\n");
  const result = spawnSync(
    path.join(ROOT, "node_modules", ".bin", "tsx"),
    [path.join(ROOT, "scripts", "db.ts"), "deploy"],
    {
      cwd: ROOT,
      env,
      encoding: "utf8",
    },
  );
  fs.writeSync(log, `${result.stdout ?? ""}${result.stderr ?? ""}`);
  if (result.status !== 0) {
    throw new Error(`\`tsx scripts/db.ts deploy\` failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  }
}

export async function freePort(): Promise<number> {
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

/** Ready once GET /api/health answers 200. */
async function waitUntilReady(baseUrl: string, app: ChildProcess, logFile: string) {
  let exited: string | null = null;
  app.once("exit", (code, signal) => {
    exited = `exited with ${signal ?? `code ${code}`}`;
  });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) break;
    if ((await status(`${baseUrl}/api/health`)) === 200) return;
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

async function stopProcessGroup(child: ChildProcess, first: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // Already gone.
    }
  };
  signal(first);
  const timer = setTimeout(() => signal("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
