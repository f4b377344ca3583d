import "server-only";
import { PrismaAdapter } from "@auth/prisma-adapter";
import { prisma } from "./client";

// Auth.js stores OAuth users and account links through this adapter; it accepts any Prisma client shape. lib/auth.ts
// replaces its createUser, so that a first OAuth sign-in follows the sign-up rules.
export const authAdapter = PrismaAdapter(prisma as unknown as Parameters<typeof PrismaAdapter>[0]);

/** The account an OAuth sign-in would reach: by its provider link, else by email (which Auth.js refuses to link). */
export async function findOAuthUser({
  provider,
  providerAccountId,
  email,
}: {
  provider: string;
  providerAccountId: string;
  email: string | null | undefined;
}) {
  const link = await prisma.account.findUnique({
    where: { provider_providerAccountId: { provider, providerAccountId } },
    select: { user: { select: { id: true, disabledAt: true } } },
  });
  if (link) return link.user;
  if (!email) return null;
  return prisma.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { id: true, disabledAt: true },
  });
}
