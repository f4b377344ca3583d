import "server-only";
import { prisma } from "./client";

export function getUserByEmail(email: string) {
  return prisma.user.findUnique({ where: { email } });
}

/** Returns null when the email is taken (the unique index decides, so two racing sign-ups cannot both win). */
export async function createUser({
  email,
  name,
  passwordHash,
}: {
  email: string;
  name?: string;
  passwordHash: string;
}) {
  try {
    return await prisma.user.create({ data: { email, name, passwordHash } });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
