-- AlterTable
ALTER TABLE "User" DROP COLUMN "ledgerVersion",
ADD COLUMN     "disabledAt" TIMESTAMP(3),
ADD COLUMN     "isBudgetSetByAdmin" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "role" TEXT NOT NULL DEFAULT 'user';

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "tokenCount" INTEGER,
ADD COLUMN     "tokenEncoding" TEXT;

-- AlterTable
ALTER TABLE "LedgerEntry" ADD COLUMN     "isAbandoned" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "leaseExpiresAt" TIMESTAMP(3),
ADD COLUMN     "maxOutputTokens" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "streamedTokens" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Invite" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "email" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "usedById" TEXT,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "Invite_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SpendCounter" (
    "scope" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "settledMicros" BIGINT NOT NULL DEFAULT 0,
    "reservedMicros" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "SpendCounter_pkey" PRIMARY KEY ("scope","month")
);

-- CreateIndex
CREATE UNIQUE INDEX "Invite_tokenHash_key" ON "Invite"("tokenHash");

-- CreateIndex
CREATE INDEX "Invite_createdAt_idx" ON "Invite"("createdAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_status_leaseExpiresAt_idx" ON "LedgerEntry"("status", "leaseExpiresAt");

-- AddForeignKey
ALTER TABLE "Invite" ADD CONSTRAINT "Invite_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill the running totals from the ledger so far (an entry counts in the UTC month it was created).
INSERT INTO "SpendCounter" ("scope", "month", "settledMicros", "reservedMicros")
SELECT 'user:' || "userId", to_char("createdAt", 'YYYY-MM'),
       COALESCE(SUM(CASE WHEN "status" = 'settled' THEN "costMicros" END), 0),
       COALESCE(SUM(CASE WHEN "status" = 'reserved' THEN "reservedMicros" END), 0)
FROM "LedgerEntry" GROUP BY "userId", to_char("createdAt", 'YYYY-MM');
INSERT INTO "SpendCounter" ("scope", "month", "settledMicros", "reservedMicros")
SELECT 'global', to_char("createdAt", 'YYYY-MM'),
       COALESCE(SUM(CASE WHEN "status" = 'settled' THEN "costMicros" END), 0),
       COALESCE(SUM(CASE WHEN "status" = 'reserved' THEN "reservedMicros" END), 0)
FROM "LedgerEntry" GROUP BY to_char("createdAt", 'YYYY-MM');
