-- AlterTable
ALTER TABLE "Message" ADD COLUMN "tokenCount" INTEGER;
ALTER TABLE "Message" ADD COLUMN "tokenEncoding" TEXT;

-- CreateTable
CREATE TABLE "Invite" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "email" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "usedById" TEXT,
    "revokedAt" DATETIME,
    CONSTRAINT "Invite_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SpendCounter" (
    "scope" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "settledMicros" BIGINT NOT NULL DEFAULT 0,
    "reservedMicros" BIGINT NOT NULL DEFAULT 0,

    PRIMARY KEY ("scope", "month")
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_LedgerEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "leaseExpiresAt" DATETIME,
    "streamedTokens" INTEGER NOT NULL DEFAULT 0,
    "maxOutputTokens" INTEGER NOT NULL DEFAULT 0,
    "isAbandoned" BOOLEAN NOT NULL DEFAULT false,
    "conversationId" TEXT,
    "messageId" TEXT,
    "model" TEXT NOT NULL,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "cachedTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "reasoningTokens" INTEGER NOT NULL DEFAULT 0,
    "reservedMicros" BIGINT NOT NULL DEFAULT 0,
    "costMicros" BIGINT NOT NULL DEFAULT 0,
    "isEstimated" BOOLEAN NOT NULL DEFAULT false,
    "isUnpriced" BOOLEAN NOT NULL DEFAULT false,
    "inputPer1M" INTEGER,
    "cachedInputPer1M" INTEGER,
    "outputPer1M" INTEGER,
    "priceDate" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settledAt" DATETIME,
    CONSTRAINT "LedgerEntry_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LedgerEntry_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_LedgerEntry" ("cachedInputPer1M", "cachedTokens", "completionTokens", "conversationId", "costMicros", "createdAt", "id", "inputPer1M", "isEstimated", "isUnpriced", "kind", "messageId", "model", "outputPer1M", "priceDate", "promptTokens", "reasoningTokens", "reservedMicros", "settledAt", "status", "userId") SELECT "cachedInputPer1M", "cachedTokens", "completionTokens", "conversationId", "costMicros", "createdAt", "id", "inputPer1M", "isEstimated", "isUnpriced", "kind", "messageId", "model", "outputPer1M", "priceDate", "promptTokens", "reasoningTokens", "reservedMicros", "settledAt", "status", "userId" FROM "LedgerEntry";
DROP TABLE "LedgerEntry";
ALTER TABLE "new_LedgerEntry" RENAME TO "LedgerEntry";
CREATE UNIQUE INDEX "LedgerEntry_messageId_key" ON "LedgerEntry"("messageId");
CREATE INDEX "LedgerEntry_userId_createdAt_idx" ON "LedgerEntry"("userId", "createdAt");
CREATE INDEX "LedgerEntry_userId_conversationId_idx" ON "LedgerEntry"("userId", "conversationId");
CREATE INDEX "LedgerEntry_userId_status_createdAt_idx" ON "LedgerEntry"("userId", "status", "createdAt");
CREATE INDEX "LedgerEntry_status_leaseExpiresAt_idx" ON "LedgerEntry"("status", "leaseExpiresAt");
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "emailVerified" DATETIME,
    "image" TEXT,
    "passwordHash" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "budgetMode" TEXT NOT NULL DEFAULT 'default',
    "monthlyBudgetMicros" BIGINT,
    "isBudgetSetByAdmin" BOOLEAN NOT NULL DEFAULT false,
    "role" TEXT NOT NULL DEFAULT 'user',
    "disabledAt" DATETIME
);
INSERT INTO "new_User" ("budgetMode", "createdAt", "email", "emailVerified", "id", "image", "monthlyBudgetMicros", "name", "passwordHash", "updatedAt") SELECT "budgetMode", "createdAt", "email", "emailVerified", "id", "image", "monthlyBudgetMicros", "name", "passwordHash", "updatedAt" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Invite_tokenHash_key" ON "Invite"("tokenHash");

-- CreateIndex
CREATE INDEX "Invite_createdAt_idx" ON "Invite"("createdAt");

-- Backfill the running totals from the ledger so far (an entry counts in the UTC month it was created).
INSERT INTO "SpendCounter" ("scope", "month", "settledMicros", "reservedMicros")
SELECT 'user:' || "userId", substr("createdAt", 1, 7),
       SUM(CASE WHEN "status" = 'settled' THEN "costMicros" ELSE 0 END),
       SUM(CASE WHEN "status" = 'reserved' THEN "reservedMicros" ELSE 0 END)
FROM "LedgerEntry" GROUP BY "userId", substr("createdAt", 1, 7);
INSERT INTO "SpendCounter" ("scope", "month", "settledMicros", "reservedMicros")
SELECT 'global', substr("createdAt", 1, 7),
       SUM(CASE WHEN "status" = 'settled' THEN "costMicros" ELSE 0 END),
       SUM(CASE WHEN "status" = 'reserved' THEN "reservedMicros" ELSE 0 END)
FROM "LedgerEntry" GROUP BY substr("createdAt", 1, 7);
