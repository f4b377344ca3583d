-- CreateTable
CREATE TABLE "CompletionRun" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "temperature" DOUBLE PRECISION,
    "topP" DOUBLE PRECISION,
    "maxTokens" INTEGER NOT NULL,
    "n" INTEGER NOT NULL,
    "stop" TEXT NOT NULL DEFAULT '[]',
    "outputs" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CompletionRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CompletionRun_entryId_key" ON "CompletionRun"("entryId");

-- CreateIndex
CREATE INDEX "CompletionRun_userId_createdAt_id_idx" ON "CompletionRun"("userId", "createdAt", "id");

-- AddForeignKey
ALTER TABLE "CompletionRun" ADD CONSTRAINT "CompletionRun_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CompletionRun" ADD CONSTRAINT "CompletionRun_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "LedgerEntry"("id") ON DELETE CASCADE ON UPDATE CASCADE;
