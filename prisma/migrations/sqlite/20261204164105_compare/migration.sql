-- CreateTable
CREATE TABLE "Comparison" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "systemPrompt" TEXT,
    "settings" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Comparison_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ComparisonAnswer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "comparisonId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "model" TEXT NOT NULL,
    "content" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'streaming',
    "error" TEXT,
    "finishReason" TEXT,
    "firstTokenMs" INTEGER,
    "totalMs" INTEGER,
    "ledgerEntryId" TEXT NOT NULL,
    "conversationId" TEXT,
    CONSTRAINT "ComparisonAnswer_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Comparison_userId_createdAt_idx" ON "Comparison"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ComparisonAnswer_ledgerEntryId_key" ON "ComparisonAnswer"("ledgerEntryId");

-- CreateIndex
CREATE UNIQUE INDEX "ComparisonAnswer_comparisonId_position_key" ON "ComparisonAnswer"("comparisonId", "position");
