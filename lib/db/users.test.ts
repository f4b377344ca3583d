import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { prepareOwnTestDatabase } from "@/test/database";

// Real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test runs both). A database of its
// own, because "the first account" depends on every row of the user table.
const database = await prepareOwnTestDatabase("users");
const { prisma } = await import("./client");
const users = await import("./users");
const invites = await import("./invites");
const { recountSpendCounters } = await import("./ledger");
const { newInviteToken } = await import("@/lib/accounts/invites");
const { AppError } = await import("@/lib/errors");
type SignupPolicy = import("@/lib/accounts/signup").SignupPolicy;

const HOUR = 60 * 60 * 1000;
const invitePolicy: SignupPolicy = { mode: "invite", adminEmails: [], maxPerHour: 20 };

afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

/** Every test starts from a new installation, with the connection pool open so racing calls really overlap. */
beforeEach(async () => {
  await prisma.invite.deleteMany();
  await prisma.ledgerEntry.deleteMany();
  await prisma.spendCounter.deleteMany();
  await prisma.user.deleteMany();
  await Promise.all(Array.from({ length: 8 }, () => prisma.$transaction((tx) => tx.user.count())));
});

function email(prefix = "user") {
  return `${prefix}-${randomUUID()}@example.test`;
}

function signUp(options: {
  policy?: SignupPolicy;
  address?: string;
  via?: "password" | "oauth";
  inviteTokenHash?: string;
  now?: Date;
}) {
  return users.createUser({
    user: { email: options.address ?? email(), passwordHash: "not-a-real-hash" },
    via: options.via ?? "password",
    inviteTokenHash: options.inviteTokenHash,
    policy: options.policy ?? invitePolicy,
    now: options.now,
  });
}

async function createAdmin() {
  const admin = await signUp({});
  if (!admin) throw new Error("the first account was not created");
  return { userId: admin.id, adminEmails: [] };
}

async function invite(
  admin: { userId: string; adminEmails: string[] },
  options: { email?: string; expiresAt?: Date } = {},
) {
  const { token, tokenHash } = newInviteToken();
  const created = await invites.createInvite({
    admin,
    tokenHash,
    email: options.email ?? null,
    expiresAt: options.expiresAt ?? new Date(Date.now() + 7 * 24 * HOUR),
  });
  return { ...created, token, tokenHash };
}

function refusals(results: PromiseSettledResult<unknown>[]) {
  return results.flatMap((result) =>
    result.status === "rejected" ? [result.reason as InstanceType<typeof AppError>] : [],
  );
}

describe("the first account", () => {
  it("becomes the administrator exactly once when several sign up at the same moment", async () => {
    const open: SignupPolicy = { mode: "open", adminEmails: [], maxPerHour: 100 };
    const created = await Promise.all(Array.from({ length: 8 }, () => signUp({ policy: open })));
    expect(created.filter((user) => user?.role === "admin")).toHaveLength(1);
    expect(await prisma.user.count({ where: { role: "admin" } })).toBe(1);
    expect(await prisma.user.count()).toBe(8);
  });

  it("is the only one an invite-only server lets in without an invite", async () => {
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => signUp({})));
    const accepted = results.filter((result) => result.status === "fulfilled");
    expect(accepted).toHaveLength(1);
    expect((accepted[0] as PromiseFulfilledResult<{ role: string }>).value.role).toBe("admin");
    for (const reason of refusals(results)) {
      expect(reason).toBeInstanceOf(AppError);
      expect(reason.code).toBe("forbidden");
      expect(reason.message).toContain("by invitation");
    }
  });

  it("can be created on a closed server, and nobody after it", async () => {
    const closed: SignupPolicy = { mode: "closed", adminEmails: [], maxPerHour: 20 };
    expect((await signUp({ policy: closed }))?.role).toBe("admin");
    await expect(signUp({ policy: closed })).rejects.toMatchObject({ code: "forbidden", message: /does not accept/ });
  });
});

describe("invites", () => {
  it("are single use: of simultaneous sign-ups with one link exactly one account is created", async () => {
    const admin = await createAdmin();
    const link = await invite(admin);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => signUp({ inviteTokenHash: link.tokenHash })),
    );
    const accepted = results.flatMap((result) => (result.status === "fulfilled" && result.value ? [result.value] : []));
    expect(accepted).toHaveLength(1);
    for (const reason of refusals(results)) expect(reason.message).toContain("already been used");
    const stored = await prisma.invite.findUniqueOrThrow({ where: { id: link.id } });
    expect(stored.usedById).toBe(accepted[0]?.id);
    expect(stored.usedAt).not.toBeNull();
    expect(await prisma.user.count()).toBe(2);
  });

  it("refuse expired, revoked, unknown and other people's links, and a refused sign-up leaves the invite unused", async () => {
    const admin = await createAdmin();
    const expired = await invite(admin, { expiresAt: new Date(Date.now() - 1000) });
    await expect(signUp({ inviteTokenHash: expired.tokenHash })).rejects.toMatchObject({ message: /expired/ });

    const revoked = await invite(admin);
    await invites.revokeInvite({ admin, id: revoked.id });
    await expect(signUp({ inviteTokenHash: revoked.tokenHash })).rejects.toMatchObject({ message: /revoked/ });
    await expect(invites.revokeInvite({ admin, id: revoked.id })).rejects.toMatchObject({ code: "conflict" });

    await expect(signUp({ inviteTokenHash: newInviteToken().tokenHash })).rejects.toMatchObject({
      message: /not valid/,
    });

    const forAda = await invite(admin, { email: "ada@example.test" });
    await expect(signUp({ inviteTokenHash: forAda.tokenHash, address: "eve@example.test" })).rejects.toMatchObject({
      message: /different email address/,
    });
    expect((await prisma.invite.findUniqueOrThrow({ where: { id: forAda.id } })).usedAt).toBeNull();
    const ada = await signUp({ inviteTokenHash: forAda.tokenHash, address: "Ada@Example.test" });
    expect(ada?.email).toBe("ada@example.test");
    expect(ada?.role).toBe("user");

    // A taken email is "already exists" (null), and the invite stays usable.
    const spare = await invite(admin);
    expect(await signUp({ inviteTokenHash: spare.tokenHash, address: "ada@example.test" })).toBeNull();
    expect((await prisma.invite.findUniqueOrThrow({ where: { id: spare.id } })).usedAt).toBeNull();
  });

  it("list with their state", async () => {
    const admin = await createAdmin();
    const used = await invite(admin);
    const newcomer = await signUp({ inviteTokenHash: used.tokenHash });
    const pending = await invite(admin, { email: "bob@example.test" });
    const list = await invites.listInvites({ admin });
    expect(list.map((row) => row.id)).toEqual([pending.id, used.id]);
    expect(list[1]).toMatchObject({ usedByEmail: newcomer?.email, usedAt: expect.any(Date) });
    expect(list[0]).toMatchObject({ email: "bob@example.test", usedAt: null, revokedAt: null });
  });
});

describe("open sign-up", () => {
  it("lets at most SIGNUP_MAX_PER_HOUR accounts in per hour, even all at once", async () => {
    const open: SignupPolicy = { mode: "open", adminEmails: [], maxPerHour: 3 };
    const now = new Date();
    await createAdmin();
    const later = new Date(now.getTime() + 2 * HOUR);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => signUp({ policy: open, now: later })));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(3);
    for (const reason of refusals(results)) {
      expect(reason.code).toBe("rate_limited");
      expect(reason.message).toContain("try again later");
    }
    // An hour on, there is room again.
    expect(await signUp({ policy: open, now: new Date(later.getTime() + HOUR + 1000) })).not.toBeNull();
  });
});

describe("ADMIN_EMAILS", () => {
  it("may sign in with OAuth on an invite-only server and are administrators while listed", async () => {
    await createAdmin();
    const policy = { ...invitePolicy, adminEmails: ["boss@example.test"] };
    await expect(signUp({ policy, address: "boss@example.test" })).rejects.toMatchObject({ code: "forbidden" });
    const boss = await signUp({ policy, address: "Boss@example.test", via: "oauth" });
    expect(boss?.role).toBe("user");
    const asListed = { userId: boss?.id ?? "", adminEmails: ["boss@example.test"] };
    expect(await users.listUsersForAdmin({ admin: asListed })).toHaveLength(2);
    await expect(users.listUsersForAdmin({ admin: { ...asListed, adminEmails: [] } })).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});

describe("disabled users", () => {
  it("count as signed out, and come back when re-enabled", async () => {
    const admin = await createAdmin();
    const { token: _token, tokenHash } = await invite(admin);
    const user = await signUp({ inviteTokenHash: tokenHash });
    const id = user?.id ?? "";
    expect(await users.getActiveUser(id, 0)).toMatchObject({ id, role: "user" });
    await users.setUserDisabled({ admin, userId: id, isDisabled: true });
    expect(await users.getActiveUser(id, 0)).toBeNull();
    await users.setUserDisabled({ admin, userId: id, isDisabled: false });
    expect(await users.getActiveUser(id, 0)).toMatchObject({ id });
    expect(await users.getActiveUser("no-such-user", 0)).toBeNull();
  });

  it("cannot be the acting administrator, nor the last one, even when two disable each other at once", async () => {
    const first = await createAdmin();
    await expect(users.setUserDisabled({ admin: first, userId: first.userId, isDisabled: true })).rejects.toMatchObject(
      { code: "bad_request", message: "You cannot disable your own account." },
    );
    const second = await signUp({
      policy: { ...invitePolicy, adminEmails: ["second@example.test"] },
      address: "second@example.test",
      via: "oauth",
    });
    const adminEmails = ["second@example.test"];
    const a = { userId: first.userId, adminEmails };
    const b = { userId: second?.id ?? "", adminEmails };
    // Several rounds: each is one chance for the two transactions to interleave.
    for (let round = 0; round < 5; round++) {
      const results = await Promise.allSettled([
        users.setUserDisabled({ admin: a, userId: b.userId, isDisabled: true }),
        users.setUserDisabled({ admin: b, userId: a.userId, isDisabled: true }),
      ]);
      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
      expect(refusals(results)[0]?.code).toMatch(/forbidden|bad_request/);
      expect(await prisma.user.count({ where: { disabledAt: null } })).toBe(1);
      await prisma.user.updateMany({ data: { disabledAt: null } });
    }
  });
});

describe("administrator-only functions", () => {
  it("refuse a user who is not an administrator, or no longer one", async () => {
    const admin = await createAdmin();
    const { tokenHash } = await invite(admin);
    const user = await signUp({ inviteTokenHash: tokenHash });
    const notAdmin = { userId: user?.id ?? "", adminEmails: [] };
    const forbidden = { code: "forbidden", message: "Only an administrator can do this." };
    await expect(users.listUsersForAdmin({ admin: notAdmin })).rejects.toMatchObject(forbidden);
    await expect(
      users.setBudgetByAdmin({
        admin: notAdmin,
        userId: notAdmin.userId,
        mode: "unlimited",
        monthlyBudgetMicros: null,
      }),
    ).rejects.toMatchObject(forbidden);
    await expect(
      users.setUserDisabled({ admin: notAdmin, userId: admin.userId, isDisabled: true }),
    ).rejects.toMatchObject(forbidden);
    await expect(
      invites.createInvite({
        admin: notAdmin,
        tokenHash: newInviteToken().tokenHash,
        email: null,
        expiresAt: new Date(),
      }),
    ).rejects.toMatchObject(forbidden);
    await expect(invites.listInvites({ admin: notAdmin })).rejects.toMatchObject(forbidden);
    const pending = await invite(admin);
    await expect(invites.revokeInvite({ admin: notAdmin, id: pending.id })).rejects.toMatchObject(forbidden);
    expect(await prisma.user.count({ where: { disabledAt: { not: null } } })).toBe(0);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: notAdmin.userId } })).budgetMode).toBe("default");
    expect((await prisma.invite.findUniqueOrThrow({ where: { id: pending.id } })).revokedAt).toBeNull();

    // A stored administrator who was disabled (by direct database edit, say) acts no more.
    await prisma.user.update({ where: { id: admin.userId }, data: { disabledAt: new Date() } });
    await expect(invites.listInvites({ admin })).rejects.toMatchObject(forbidden);
  });
});

describe("budgets", () => {
  it("set by an administrator are marked so; the server default or the user's own choice clears the mark", async () => {
    const admin = await createAdmin();
    const { tokenHash } = await invite(admin);
    const userId = (await signUp({ inviteTokenHash: tokenHash }))?.id ?? "";
    await users.setBudgetByAdmin({ admin, userId, mode: "limited", monthlyBudgetMicros: 50_000_000 });
    expect(await users.getBudgetSetting({ userId })).toEqual({
      budgetMode: "limited",
      monthlyBudgetMicros: 50_000_000,
      isBudgetSetByAdmin: true,
    });
    await users.updateBudget({ userId, mode: "limited", monthlyBudgetMicros: 6_000 });
    expect(await users.getBudgetSetting({ userId })).toEqual({
      budgetMode: "limited",
      monthlyBudgetMicros: 6_000,
      isBudgetSetByAdmin: false,
    });
    await users.setBudgetByAdmin({ admin, userId, mode: "unlimited", monthlyBudgetMicros: 1 });
    expect(await users.getBudgetSetting({ userId })).toMatchObject({
      budgetMode: "unlimited",
      monthlyBudgetMicros: null,
    });
    await users.setBudgetByAdmin({ admin, userId, mode: "default", monthlyBudgetMicros: null });
    expect(await users.getBudgetSetting({ userId })).toMatchObject({
      budgetMode: "default",
      isBudgetSetByAdmin: false,
    });
    await expect(
      users.setBudgetByAdmin({ admin, userId: "no-such-user", mode: "default", monthlyBudgetMicros: null }),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("list each user's spend this UTC month: settled plus still reserved, from the running totals", async () => {
    const admin = await createAdmin();
    const now = new Date("2026-12-15T12:00:00Z");
    const entry = (status: string, createdAt: Date, costMicros: number, reservedMicros: number) =>
      prisma.ledgerEntry.create({
        data: {
          userId: admin.userId,
          kind: "chat",
          status,
          model: "gpt-5-mini",
          costMicros: BigInt(costMicros),
          reservedMicros: BigInt(reservedMicros),
          createdAt,
        },
      });
    await entry("settled", new Date("2026-11-30T23:59:59Z"), 1_000_000, 0);
    await entry("settled", new Date("2026-12-01T00:00:00Z"), 1_234, 0);
    await entry("reserved", new Date("2026-12-15T11:59:00Z"), 0, 8_195);
    await entry("released", new Date("2026-12-15T11:00:00Z"), 0, 0);
    // Written directly: the running totals are rebuilt from them, as reservations and settlements keep them.
    await recountSpendCounters({ userIds: [admin.userId] });
    const [row] = await users.listUsersForAdmin({ admin, now });
    expect(row).toMatchObject({ id: admin.userId, isAdmin: true, monthSpendMicros: 1_234 + 8_195 });
  });
});

describe("session versions", () => {
  it("end sessions: signing out retires its version once, a new password ends them all and says the new one", async () => {
    const user = await signUp({ policy: { ...invitePolicy, mode: "open" } });
    const id = user?.id ?? "";
    expect(await users.getSessionVersion(id)).toBe(0);
    expect(await users.getActiveUser(id, 0)).toMatchObject({ id });
    expect(await users.getActiveUser(id, 1)).toBeNull();

    // Two sign-outs of sessions issued under the same version (two tabs) retire it once, not twice.
    await Promise.all([
      users.endSessions({ userId: id, sessionVersion: 0 }),
      users.endSessions({ userId: id, sessionVersion: 0 }),
    ]);
    expect(await users.getSessionVersion(id)).toBe(1);
    expect(await users.getActiveUser(id, 0)).toBeNull();
    expect(await users.getActiveUser(id, 1)).toMatchObject({ id });

    expect(await users.setPassword({ userId: id }, "new-hash")).toBe(2);
    expect(await users.getPasswordHash({ userId: id })).toBe("new-hash");
    expect(await users.setPassword({ email: ` ${user?.email.toUpperCase()} ` }, "newer-hash")).toBe(3);
    expect(await users.getActiveUser(id, 2)).toBeNull();
    expect(await users.setPassword({ email: "nobody@example.test" }, "x")).toBeNull();
    expect(await users.getSessionVersion("no-such-user")).toBeNull();
  });
});
