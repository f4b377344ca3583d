import "server-only";
import { createAdapter } from "./adapter";
import { resolveDatabaseUrl } from "./database-url";
import { PrismaClient } from "./generated/client";

// One client per server process (dev hot reload would otherwise open a new pool on every edit).
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export const prisma: PrismaClient =
  globalForPrisma.prisma ?? new PrismaClient({ adapter: createAdapter(resolveDatabaseUrl(), { isApp: true }) });

if (process.env.NODE_ENV !== "production") globalForPrisma.prisma = prisma;
