-- CreateTable
CREATE TABLE "StoredFile" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "conversationId" TEXT,
    "messageId" TEXT,
    "origin" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "width" INTEGER,
    "height" INTEGER,
    "data" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "StoredFile_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "StoredFile_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "StoredFile_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
    "stopRequestedAt" DATETIME,
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
    "audioSeconds" INTEGER NOT NULL DEFAULT 0,
    "audioTokens" INTEGER NOT NULL DEFAULT 0,
    "imageInputTokens" INTEGER NOT NULL DEFAULT 0,
    "imageOutputTokens" INTEGER NOT NULL DEFAULT 0,
    "images" INTEGER NOT NULL DEFAULT 0,
    "imageVariant" TEXT,
    "audioInputPer1M" INTEGER,
    "imageInputPer1M" INTEGER,
    "imageOutputPer1M" INTEGER,
    "audioPerMinute" INTEGER,
    "perImageMicros" INTEGER,
    "priceDate" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settledAt" DATETIME,
    CONSTRAINT "LedgerEntry_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LedgerEntry_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_LedgerEntry" ("cachedInputPer1M", "cachedTokens", "completionTokens", "conversationId", "costMicros", "createdAt", "id", "inputPer1M", "isAbandoned", "isEstimated", "isUnpriced", "kind", "leaseExpiresAt", "maxOutputTokens", "messageId", "model", "outputPer1M", "priceDate", "promptTokens", "reasoningTokens", "reservedMicros", "settledAt", "status", "stopRequestedAt", "streamedTokens", "userId") SELECT "cachedInputPer1M", "cachedTokens", "completionTokens", "conversationId", "costMicros", "createdAt", "id", "inputPer1M", "isAbandoned", "isEstimated", "isUnpriced", "kind", "leaseExpiresAt", "maxOutputTokens", "messageId", "model", "outputPer1M", "priceDate", "promptTokens", "reasoningTokens", "reservedMicros", "settledAt", "status", "stopRequestedAt", "streamedTokens", "userId" FROM "LedgerEntry";
DROP TABLE "LedgerEntry";
ALTER TABLE "new_LedgerEntry" RENAME TO "LedgerEntry";
CREATE UNIQUE INDEX "LedgerEntry_messageId_key" ON "LedgerEntry"("messageId");
CREATE INDEX "LedgerEntry_userId_createdAt_id_idx" ON "LedgerEntry"("userId", "createdAt", "id");
CREATE INDEX "LedgerEntry_userId_conversationId_createdAt_idx" ON "LedgerEntry"("userId", "conversationId", "createdAt");
CREATE INDEX "LedgerEntry_userId_status_createdAt_idx" ON "LedgerEntry"("userId", "status", "createdAt");
CREATE INDEX "LedgerEntry_status_leaseExpiresAt_idx" ON "LedgerEntry"("status", "leaseExpiresAt");
-- Added in place rather than by copying the table (Prisma's way), which would drop the search index's triggers on
-- "Message" (docs/database.md).
ALTER TABLE "Message" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'text';
CREATE TABLE "new_UsageDay" (
    "userId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'chat',
    "model" TEXT NOT NULL,
    "isEstimated" BOOLEAN NOT NULL,
    "isUnpriced" BOOLEAN NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "promptTokens" BIGINT NOT NULL DEFAULT 0,
    "completionTokens" BIGINT NOT NULL DEFAULT 0,
    "costMicros" BIGINT NOT NULL DEFAULT 0,

    PRIMARY KEY ("userId", "day", "kind", "model", "isEstimated", "isUnpriced"),
    CONSTRAINT "UsageDay_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_UsageDay" ("calls", "completionTokens", "costMicros", "day", "isEstimated", "isUnpriced", "model", "promptTokens", "userId") SELECT "calls", "completionTokens", "costMicros", "day", "isEstimated", "isUnpriced", "model", "promptTokens", "userId" FROM "UsageDay";
DROP TABLE "UsageDay";
ALTER TABLE "new_UsageDay" RENAME TO "UsageDay";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "StoredFile_userId_createdAt_idx" ON "StoredFile"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "StoredFile_conversationId_idx" ON "StoredFile"("conversationId");

-- CreateIndex
CREATE INDEX "StoredFile_messageId_idx" ON "StoredFile"("messageId");
