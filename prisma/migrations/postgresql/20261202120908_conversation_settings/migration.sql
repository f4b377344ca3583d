-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "settings" TEXT;
