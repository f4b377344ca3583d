-- AlterTable
ALTER TABLE "LedgerEntry" ADD COLUMN     "stopRequestedAt" TIMESTAMP(3);
