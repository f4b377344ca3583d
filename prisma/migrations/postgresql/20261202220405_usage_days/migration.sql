-- DropIndex
DROP INDEX "LedgerEntry_userId_createdAt_idx";

-- CreateTable
CREATE TABLE "UsageDay" (
    "userId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "isEstimated" BOOLEAN NOT NULL,
    "isUnpriced" BOOLEAN NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "promptTokens" BIGINT NOT NULL DEFAULT 0,
    "completionTokens" BIGINT NOT NULL DEFAULT 0,
    "costMicros" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "UsageDay_pkey" PRIMARY KEY ("userId","day","model","isEstimated","isUnpriced")
);

-- CreateIndex
CREATE INDEX "LedgerEntry_userId_createdAt_id_idx" ON "LedgerEntry"("userId", "createdAt", "id");

-- AddForeignKey
ALTER TABLE "UsageDay" ADD CONSTRAINT "UsageDay_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill the usage rollup from the ledger so far: settled entries, per user, UTC day of creation, model and flags.
INSERT INTO "UsageDay" ("userId", "day", "model", "isEstimated", "isUnpriced", "calls", "promptTokens", "completionTokens", "costMicros")
SELECT "userId", to_char("createdAt", 'YYYY-MM-DD') AS "day", "model", "isEstimated", "isUnpriced",
       COUNT(*) AS "calls", SUM("promptTokens") AS "promptTokens", SUM("completionTokens") AS "completionTokens",
       SUM("costMicros") AS "costMicros"
FROM "LedgerEntry" WHERE "status" = 'settled'
GROUP BY "userId", to_char("createdAt", 'YYYY-MM-DD'), "model", "isEstimated", "isUnpriced";
