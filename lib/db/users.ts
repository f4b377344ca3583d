import "server-only";
import {
  decideSignup,
  isAdmin,
  SIGNUP_REFUSALS,
  SIGNUP_WINDOW_MS,
  type SignupFacts,
  type SignupPolicy,
  type SignupVia,
} from "@/lib/accounts/signup";
import { type BudgetMode, budgetMonth } from "@/lib/billing/budget";
import { appError } from "@/lib/i18n/errors";
import type { Locale } from "@/lib/i18n/locales";
import { prisma } from "./client";
import type { Prisma } from "./generated/client";
import { listUserMonthTotals } from "./ledger";

type Tx = Prisma.TransactionClient;

export function getUserByEmail(email: string) {
  return prisma.user.findUnique({ where: { email } });
}

/**
 * The signed-in user, or null once the account is deleted or disabled or the session was ended (its
 * `sessionVersion` is not the user's any more: signed out, password changed): the one query of every request.
 */
export async function getActiveUser(id: string, sessionVersion: number) {
  const user = await prisma.user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, role: true, disabledAt: true, locale: true, sessionVersion: true },
  });
  return user && !user.disabledAt && user.sessionVersion === sessionVersion ? user : null;
}

/** The version a new session of this user is issued under; null when there is no such user. */
export async function getSessionVersion(userId: string): Promise<number | null> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { sessionVersion: true } });
  return user?.sessionVersion ?? null;
}

/** Ends every session of the user issued under `sessionVersion` (signing out); a newer one is left alone. */
export async function endSessions({ userId, sessionVersion }: { userId: string; sessionVersion: number }) {
  await prisma.user.updateMany({ where: { id: userId, sessionVersion }, data: { sessionVersion: { increment: 1 } } });
}

/** The user's bcrypt hash, or null (no such user, or an account that only signs in with OAuth). */
export async function getPasswordHash({ userId }: { userId: string }): Promise<string | null> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return user?.passwordHash ?? null;
}

/**
 * Sets a new password and ends every session of the user, in one write; returns the new session version (for the
 * session that changed it to carry on), or null when no user matched.
 */
export async function setPassword(
  where: { userId: string } | { email: string },
  passwordHash: string,
): Promise<number | null> {
  const match = "userId" in where ? { id: where.userId } : { email: where.email.trim().toLowerCase() };
  try {
    const user = await prisma.user.update({
      where: match,
      data: { passwordHash, sessionVersion: { increment: 1 } },
      select: { sessionVersion: true },
    });
    return user.sessionVersion;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2025";
}

/** Saves the user's interface language; null goes back to following the browser. */
export async function setUserLocale(userId: string, locale: Locale | null): Promise<void> {
  await prisma.user.updateMany({ where: { id: userId }, data: { locale } });
}

const SERIALIZATION_ATTEMPTS = 10;

/**
 * Runs `work` in a SERIALIZABLE transaction, again when the database aborted it for a conflicting concurrent one.
 * For decisions that read a set and then write into it (the first account, the hourly sign-up count, the last
 * administrator): under PostgreSQL's default READ COMMITTED two of them could both read the same set and both pass;
 * SERIALIZABLE aborts one, whose retry then sees the other's row. SQLite transactions run one at a time anyway.
 */
async function serializable<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction(work, { isolationLevel: "Serializable", maxWait: 10_000, timeout: 10_000 });
    } catch (error) {
      if (attempt >= SERIALIZATION_ATTEMPTS || !isSerializationFailure(error)) throw error;
      // Spread the retries so the conflicting transactions do not collide again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

function isSerializationFailure(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, cause } = error as { code?: unknown; cause?: { kind?: unknown } };
  // P2034: Prisma's "write conflict or deadlock, please retry"; the driver adapter reports PostgreSQL's 40001 and
  // 40P01 as TransactionWriteConflict.
  return code === "P2034" || cause?.kind === "TransactionWriteConflict";
}

async function readSignupFacts(
  db: Tx,
  { inviteTokenHash, now }: { inviteTokenHash: string | undefined; now: Date },
): Promise<SignupFacts> {
  // A channel's guests are not sign-ups: the first person to sign up still becomes the administrator.
  const users = await db.user.count({ where: { isGuest: false } });
  const recentSignups = await db.user.count({
    where: { isGuest: false, createdAt: { gt: new Date(now.getTime() - SIGNUP_WINDOW_MS) } },
  });
  const invite =
    inviteTokenHash === undefined
      ? undefined
      : await db.invite.findUnique({
          where: { tokenHash: inviteTokenHash },
          select: { email: true, expiresAt: true, usedAt: true, revokedAt: true },
        });
  return { isFirstAccount: users === 0, recentSignups, invite };
}

/** What the sign-up page and a first OAuth sign-in check before asking for anything (createUser decides again). */
export function getSignupFacts({ inviteTokenHash, now = new Date() }: { inviteTokenHash?: string; now?: Date }) {
  return prisma.$transaction((tx) => readSignupFacts(tx, { inviteTokenHash, now }));
}

export type NewUser = {
  email: string;
  name?: string | null;
  /** bcrypt hash; none for OAuth accounts. */
  passwordHash?: string;
  image?: string | null;
  emailVerified?: Date | null;
};

/**
 * Creates an account if the sign-up policy lets it in, deciding in the transaction that creates it: the first
 * account becomes the administrator, an invite is consumed (single use) with the account, and the hourly limit
 * counts accounts as of that instant, so simultaneous sign-ups cannot all pass on the same facts. Returns null when
 * the email is taken; throws AppError (forbidden, rate_limited) naming why a sign-up is refused.
 */
export async function createUser({
  user,
  via,
  inviteTokenHash,
  policy,
  now = new Date(),
}: {
  user: NewUser;
  via: SignupVia;
  inviteTokenHash?: string;
  policy: SignupPolicy;
  now?: Date;
}) {
  try {
    return await serializable(async (tx) => {
      const facts = await readSignupFacts(tx, { inviteTokenHash, now });
      const decision = decideSignup({ policy, email: user.email, via, facts, now });
      if (!decision.isAllowed) {
        throw appError(
          decision.refusal === "rate_limited" ? "rate_limited" : "forbidden",
          SIGNUP_REFUSALS[decision.refusal],
        );
      }
      const created = await tx.user.create({
        data: { ...user, email: user.email.trim().toLowerCase(), role: decision.role, createdAt: now },
      });
      if (decision.usesInvite && inviteTokenHash !== undefined) {
        const { count } = await tx.invite.updateMany({
          where: { tokenHash: inviteTokenHash, usedAt: null, revokedAt: null },
          data: { usedAt: now, usedById: created.id },
        });
        if (count !== 1) throw appError("forbidden", SIGNUP_REFUSALS.invite_used);
      }
      return created;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/** Who the user is, for their data export: never the password hash or anything secret. */
export function getUserProfile({ userId }: { userId: string }) {
  return prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { email: true, name: true, createdAt: true },
  });
}

// --- Budget settings ----------------------------------------------------------------------------------------------

export async function getBudgetSetting({ userId }: { userId: string }) {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { budgetMode: true, monthlyBudgetMicros: true, isBudgetSetByAdmin: true },
  });
  return {
    budgetMode: user.budgetMode,
    monthlyBudgetMicros: user.monthlyBudgetMicros === null ? null : Number(user.monthlyBudgetMicros),
    isBudgetSetByAdmin: user.isBudgetSetByAdmin,
  };
}

export type BudgetSetting = Awaited<ReturnType<typeof getBudgetSetting>>;

function budgetData(mode: BudgetMode, monthlyBudgetMicros: number | null) {
  return { budgetMode: mode, monthlyBudgetMicros: mode === "limited" ? BigInt(monthlyBudgetMicros ?? 0) : null };
}

/** The user's own choice (checked against MAX_USER_MONTHLY_BUDGET_USD by the caller); replaces an administrator's. */
export async function updateBudget({
  userId,
  mode,
  monthlyBudgetMicros,
}: {
  userId: string;
  mode: BudgetMode;
  monthlyBudgetMicros: number | null;
}) {
  await prisma.user.update({
    where: { id: userId },
    data: { ...budgetData(mode, monthlyBudgetMicros), isBudgetSetByAdmin: false },
  });
}

// --- Administration -------------------------------------------------------------------------------------------------

/** Who is acting, for every administrator-only function: checked against the database on each call. */
export type Admin = { userId: string; adminEmails: string[] };

/** Refuses unless `admin` is an enabled administrator right now, inside the caller's transaction when given one. */
export async function assertAdmin(db: Tx | typeof prisma, admin: Admin) {
  const actor = await db.user.findUnique({
    where: { id: admin.userId },
    select: { role: true, email: true, disabledAt: true },
  });
  if (!actor || actor.disabledAt || !isAdmin(actor, admin.adminEmails)) throw appError("forbidden", "errors.adminOnly");
}

/**
 * Every account with this UTC month's spend (settled + still reserved: the running totals its reservations are
 * checked against), oldest account first.
 */
export async function listUsersForAdmin({ admin, now = new Date() }: { admin: Admin; now?: Date }) {
  await assertAdmin(prisma, admin);
  const [users, totals] = await Promise.all([
    prisma.user.findMany({
      orderBy: { createdAt: "asc" },
      select: {
        id: true,
        email: true,
        name: true,
        role: true,
        createdAt: true,
        disabledAt: true,
        budgetMode: true,
        monthlyBudgetMicros: true,
        isBudgetSetByAdmin: true,
      },
    }),
    listUserMonthTotals(budgetMonth(now)),
  ]);
  return users.map((user) => ({
    ...user,
    monthlyBudgetMicros: user.monthlyBudgetMicros === null ? null : Number(user.monthlyBudgetMicros),
    isAdmin: isAdmin(user, admin.adminEmails),
    monthSpendMicros: totals.get(user.id) ?? 0,
  }));
}

export type AdminUserRow = Awaited<ReturnType<typeof listUsersForAdmin>>[number];

/** Sets a user's budget as an administrator (above MAX_USER_MONTHLY_BUDGET_USD too); "default" hands it back. */
export async function setBudgetByAdmin({
  admin,
  userId,
  mode,
  monthlyBudgetMicros,
}: {
  admin: Admin;
  userId: string;
  mode: BudgetMode;
  monthlyBudgetMicros: number | null;
}) {
  await prisma.$transaction(async (tx) => {
    await assertAdmin(tx, admin);
    const { count } = await tx.user.updateMany({
      where: { id: userId },
      data: { ...budgetData(mode, monthlyBudgetMicros), isBudgetSetByAdmin: mode !== "default" },
    });
    if (count === 0) throw appError("not_found", "errors.userNotFound");
  });
}

/**
 * Disables or re-enables an account. An administrator cannot disable themselves, nor the last enabled administrator:
 * decided in a serializable transaction, so two administrators disabling each other at once cannot both succeed.
 */
export async function setUserDisabled({
  admin,
  userId,
  isDisabled,
  now = new Date(),
}: {
  admin: Admin;
  userId: string;
  isDisabled: boolean;
  now?: Date;
}) {
  await serializable(async (tx) => {
    await assertAdmin(tx, admin);
    const target = await tx.user.findUnique({ where: { id: userId }, select: { role: true, email: true } });
    if (!target) throw appError("not_found", "errors.userNotFound");
    if (isDisabled) {
      if (userId === admin.userId) throw appError("bad_request", "errors.cannotDisableSelf");
      if (isAdmin(target, admin.adminEmails)) {
        const otherAdmins = await tx.user.count({
          where: {
            id: { not: userId },
            disabledAt: null,
            OR: [{ role: "admin" }, { email: { in: admin.adminEmails } }],
          },
        });
        if (otherAdmins === 0) throw appError("bad_request", "errors.cannotDisableLastAdmin");
      }
    }
    await tx.user.update({ where: { id: userId }, data: { disabledAt: isDisabled ? now : null } });
  });
}
