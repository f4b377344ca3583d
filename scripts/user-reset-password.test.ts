import { execFile } from "node:child_process";
import path from "node:path";
import bcrypt from "bcryptjs";
import { afterAll, describe, expect, it } from "vitest";
import { prepareTestDatabase } from "@/test/database";

// The CLI as an operator runs it, on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL).
const url = prepareTestDatabase();
const { prisma } = await import("@/lib/db/client");

afterAll(() => prisma.$disconnect());

const root = path.resolve(__dirname, "..");

function resetPassword(args: string[], stdin: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      path.join(root, "node_modules", ".bin", "tsx"),
      ["--conditions=react-server", path.join(root, "scripts", "user-reset-password.ts"), ...args],
      { cwd: root, env: { ...process.env, DATABASE_URL: url } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

async function newUser() {
  const email = `reset-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}@example.test`;
  return prisma.user.create({ data: { email, passwordHash: "old", sessionVersion: 4 } });
}

// Each run starts tsx and a bcrypt worker: seconds apiece on a loaded machine.
describe("npm run user:reset-password", { timeout: 120_000 }, () => {
  it("sets the password read from stdin and ends every session of the user", async () => {
    const user = await newUser();
    const result = await resetPassword([user.email.toUpperCase()], "a new password 7\n");
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(result.stdout).not.toContain("a new password 7");
    const after = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await bcrypt.compare("a new password 7", after.passwordHash ?? "")).toBe(true);
    expect(after.sessionVersion).toBe(5);
  });

  it("makes and prints a random password when none is given", async () => {
    const user = await newUser();
    const result = await resetPassword([user.email], "");
    expect(result, result.stderr).toMatchObject({ code: 0 });
    const printed = /New password: (\S+)/.exec(result.stdout)?.[1] ?? "";
    expect(printed.length).toBeGreaterThanOrEqual(16);
    const after = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await bcrypt.compare(printed, after.passwordHash ?? "")).toBe(true);
    expect(after.sessionVersion).toBe(5);
  });

  it("refuses an unknown email, a weak password and a missing argument, changing nothing", async () => {
    const user = await newUser();
    const [unknown, weak, missing] = await Promise.all([
      resetPassword(["nobody@example.test"], ""),
      resetPassword([user.email], "short\n"),
      resetPassword([], ""),
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No account with the email nobody@example.test");
    expect(weak.code).toBe(1);
    expect(missing.code).toBe(2);
    const after = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after).toMatchObject({ passwordHash: "old", sessionVersion: 4 });
  });
});
