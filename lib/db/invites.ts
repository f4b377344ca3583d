import "server-only";
import { appError } from "@/lib/i18n/errors";
import { prisma } from "./client";
import { type Admin, assertAdmin } from "./users";

// Sign-up invitations. Only administrators issue, list and revoke them (checked on every call); they are consumed by
// createUser in lib/db/users.ts, in the transaction that creates the account.

export async function createInvite({
  admin,
  tokenHash,
  email,
  expiresAt,
}: {
  admin: Admin;
  /** hashInviteToken(token): the token itself is never stored. */
  tokenHash: string;
  email: string | null;
  expiresAt: Date;
}) {
  return prisma.$transaction(async (tx) => {
    await assertAdmin(tx, admin);
    return tx.invite.create({
      data: { tokenHash, email, expiresAt, createdById: admin.userId },
      select: { id: true, email: true, expiresAt: true },
    });
  });
}

/** The most recent invites, newest first, with who created and who used each. */
export async function listInvites({ admin, limit = 100 }: { admin: Admin; limit?: number }) {
  await assertAdmin(prisma, admin);
  const invites = await prisma.invite.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
    select: {
      id: true,
      email: true,
      createdAt: true,
      expiresAt: true,
      usedAt: true,
      usedById: true,
      revokedAt: true,
      createdBy: { select: { email: true } },
    },
  });
  // usedById is not a foreign key (the account may be deleted later): a missing email means a deleted account.
  const usedByIds = invites.flatMap((invite) => (invite.usedById ? [invite.usedById] : []));
  const users = await prisma.user.findMany({ where: { id: { in: usedByIds } }, select: { id: true, email: true } });
  const emails = new Map(users.map((user) => [user.id, user.email]));
  return invites.map(({ createdBy, usedById, ...invite }) => ({
    ...invite,
    createdByEmail: createdBy.email,
    usedByEmail: usedById ? (emails.get(usedById) ?? null) : null,
  }));
}

export type InviteRow = Awaited<ReturnType<typeof listInvites>>[number];

/** Revokes an invite that is still unused; a used or already revoked one is a conflict. */
export async function revokeInvite({ admin, id, now = new Date() }: { admin: Admin; id: string; now?: Date }) {
  await prisma.$transaction(async (tx) => {
    await assertAdmin(tx, admin);
    const { count } = await tx.invite.updateMany({
      where: { id, usedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    if (count === 0) throw appError("conflict", "errors.inviteUsedOrRevoked");
  });
}
