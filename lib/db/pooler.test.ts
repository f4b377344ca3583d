import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareTestDatabase } from "@/test/database";

// Serverless hosts reach PostgreSQL through a pooler in transaction mode (Neon's "-pooler" hosts, Supabase on 6543,
// PgBouncer): a real PgBouncer here, in that mode, in front of the PostgreSQL pass's server (`npm test` runs this file
// on PostgreSQL; CI installs pgbouncer). The app's connection settings, sent as startup parameters on a direct
// connection, are refused by PgBouncer; through it each transaction sets them itself (lib/db/adapter.ts).
const url = prepareTestDatabase();
const isPostgres = /^postgres(ql)?:\/\//i.test(url);
const PGBOUNCER = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"].find((file) => fs.existsSync(file));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("port"))));
    });
  });
}

/** PgBouncer in transaction mode on a free port, forwarding every database to `serverUrl`'s server. */
async function startPgBouncer(serverUrl: string): Promise<{ port: number; stop: () => void }> {
  if (!PGBOUNCER)
    throw new Error("pgbouncer is not installed (apt-get install pgbouncer): the PostgreSQL pass needs it");
  const server = new URL(serverUrl);
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chatledger-pgbouncer-"));
  fs.chmodSync(dir, 0o755);
  const user = decodeURIComponent(server.username || "postgres");
  fs.writeFileSync(path.join(dir, "users.txt"), `"${user}" "${decodeURIComponent(server.password)}"\n`, {
    mode: 0o644,
  });
  fs.writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${server.hostname} port=${server.port || 5432}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${path.join(dir, "users.txt")}`,
      "pool_mode = transaction",
      "default_pool_size = 4",
      "max_client_conn = 200",
      "",
    ].join("\n"),
    { mode: 0o644 },
  );
  // PgBouncer will not run as root: as root (CI), it runs as the postgres user. It logs to stderr.
  const isRoot = process.getuid?.() === 0;
  const stdio: ["ignore", "ignore", "pipe"] = ["ignore", "ignore", "pipe"];
  const child: ChildProcess = isRoot
    ? spawn("runuser", ["-u", "postgres", "--", PGBOUNCER, path.join(dir, "pgbouncer.ini")], { stdio })
    : spawn(PGBOUNCER, [path.join(dir, "pgbouncer.ini")], { stdio });
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    log = `${log}${chunk.toString()}`.slice(-4000);
  });
  for (let attempt = 0; ; attempt++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (ok) break;
    if (attempt > 100 || child.exitCode !== null) throw new Error(`pgbouncer did not start:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    stop: () => {
      child.kill("SIGTERM");
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe.skipIf(!isPostgres)("through a transaction pooler (PgBouncer, transaction mode)", () => {
  let bouncer: Awaited<ReturnType<typeof startPgBouncer>>;
  let pooledUrl: string;
  let prisma: import("./generated/client").PrismaClient;

  beforeAll(async () => {
    bouncer = await startPgBouncer(url);
    const pooled = new URL(url);
    pooled.port = String(bouncer.port);
    pooled.searchParams.set("pgbouncer", "true");
    pooledUrl = pooled.toString();
    const { createAdapter } = await import("./adapter");
    const { PrismaClient } = await import("./generated/client");
    prisma = new PrismaClient({ adapter: createAdapter(pooledUrl, { isApp: true }) });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    bouncer?.stop();
  });

  it("refuses the settings a direct connection sends at start-up", async () => {
    const direct = new pg.Client({ connectionString: url.replace(/:\d+\//, `:${bouncer.port}/`), lock_timeout: 5000 });
    await expect(direct.connect()).rejects.toThrow(/unsupported startup parameter/i);
    await direct.end().catch(() => {});
  });

  it("gives every transaction of the app the lock and idle timeouts, and leaves none on the shared connection", async () => {
    const inside = await prisma.$transaction(async (tx) => {
      const [lock] = await tx.$queryRaw<{ lock_timeout: string }[]>`SHOW lock_timeout`;
      const [idle] = await tx.$queryRaw<
        { idle_in_transaction_session_timeout: string }[]
      >`SHOW idle_in_transaction_session_timeout`;
      return { lock: lock?.lock_timeout, idle: idle?.idle_in_transaction_session_timeout };
    });
    expect(inside).toEqual({ lock: "5s", idle: "30s" });
    // SET LOCAL: gone with the transaction, so the next client of that server connection gets the server's default.
    const [after] = await prisma.$queryRaw<{ lock_timeout: string }[]>`SHOW lock_timeout`;
    expect(after?.lock_timeout).toBe("0");
  });

  it("a transaction waiting for a row lock gives up after the lock timeout instead of hanging", async () => {
    const user = await prisma.user.create({ data: { email: `pooled-${randomUUID()}@example.test` } });
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT "id" FROM "User" WHERE "id" = ${user.id} FOR UPDATE`;
        locked();
        await held;
      },
      { timeout: 30_000 },
    );
    await isLocked;
    const started = Date.now();
    const waiter = prisma.$transaction((tx) => tx.user.update({ where: { id: user.id }, data: { name: "waited" } }), {
      timeout: 30_000,
      maxWait: 10_000,
    });
    await expect(waiter).rejects.toThrow(/lock timeout|55P03/i);
    const waited = Date.now() - started;
    release();
    await holder;
    expect(waited).toBeGreaterThanOrEqual(4_500);
    expect(waited).toBeLessThan(20_000);
    // Once the lock is free the same write goes through the pooler.
    await prisma.user.update({ where: { id: user.id }, data: { name: "written" } });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe("written");
  }, 60_000);
});
