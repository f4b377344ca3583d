-- DropIndex
DROP INDEX "LedgerEntry_userId_conversationId_idx";

-- CreateIndex
CREATE INDEX "LedgerEntry_userId_conversationId_createdAt_idx" ON "LedgerEntry"("userId", "conversationId", "createdAt");
