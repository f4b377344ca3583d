import "server-only";
import { PrismaAdapter } from "@auth/prisma-adapter";
import { prisma } from "./client";

// Auth.js stores OAuth users and account links through this adapter; it accepts any Prisma client shape.
export const authAdapter = PrismaAdapter(prisma as unknown as Parameters<typeof PrismaAdapter>[0]);

export async function userExists(id: string): Promise<boolean> {
  return (await prisma.user.count({ where: { id } })) === 1;
}
