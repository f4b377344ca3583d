import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { prepareTestDatabase } from "@/test/database";

// Real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test runs both). On SQLite the app
// has one connection: a statement outside a transaction must not run inside another request's open transaction.
prepareTestDatabase();
const { prisma } = await import("./client");

afterAll(async () => {
  await prisma.$disconnect();
});

/** A promise and the function that resolves it. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe("statements outside a transaction", () => {
  it("are not undone when another request's open transaction rolls back", async () => {
    const opened = deferred();
    const release = deferred();
    const inside = `inside-${randomUUID()}@example.com`;
    const outside = `outside-${randomUUID()}@example.com`;
    await prisma.user.create({ data: { email: outside } });
    const rolledBack = prisma
      .$transaction(async (tx) => {
        await tx.user.create({ data: { email: inside } });
        opened.resolve();
        await release.promise;
        throw new Error("refused");
      })
      .catch((error: Error) => error.message);
    await opened.promise;
    // A plain one-statement write while that transaction is open (another request's settle, say).
    // (Prisma's promises are lazy: `then` sends the statement.)
    const written = prisma.user
      .updateMany({ where: { email: outside }, data: { name: "kept" } })
      .then((result) => result);
    // Give the write every chance to run before the rollback.
    await new Promise((resolve) => setTimeout(resolve, 50));
    release.resolve();
    expect(await rolledBack).toBe("refused");
    expect(await written).toEqual({ count: 1 });
    expect(await prisma.user.count({ where: { email: inside } })).toBe(0);
    expect((await prisma.user.findUnique({ where: { email: outside } }))?.name).toBe("kept");
  });

  it("do not read another request's uncommitted rows", async () => {
    const opened = deferred();
    const release = deferred();
    const email = `uncommitted-${randomUUID()}@example.com`;
    const rolledBack = prisma
      .$transaction(async (tx) => {
        await tx.user.create({ data: { email } });
        opened.resolve();
        await release.promise;
        throw new Error("refused");
      })
      .catch(() => undefined);
    await opened.promise;
    const read = prisma.user.count({ where: { email } }).then((count) => count);
    await new Promise((resolve) => setTimeout(resolve, 50));
    release.resolve();
    await rolledBack;
    expect(await read).toBe(0);
  });
});
