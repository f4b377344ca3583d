-- CreateIndex
CREATE INDEX "LedgerEntry_userId_status_createdAt_idx" ON "LedgerEntry"("userId", "status", "createdAt");
