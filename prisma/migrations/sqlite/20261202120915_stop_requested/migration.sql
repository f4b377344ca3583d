-- AlterTable
ALTER TABLE "LedgerEntry" ADD COLUMN "stopRequestedAt" DATETIME;
