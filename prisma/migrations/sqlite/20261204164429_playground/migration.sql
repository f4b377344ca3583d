-- CreateTable
CREATE TABLE "CompletionRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "temperature" REAL,
    "topP" REAL,
    "maxTokens" INTEGER NOT NULL,
    "n" INTEGER NOT NULL,
    "stop" TEXT NOT NULL DEFAULT '[]',
    "outputs" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CompletionRun_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CompletionRun_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "LedgerEntry" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "CompletionRun_entryId_key" ON "CompletionRun"("entryId");

-- CreateIndex
CREATE INDEX "CompletionRun_userId_createdAt_id_idx" ON "CompletionRun"("userId", "createdAt", "id");
