-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'text';

-- AlterTable
ALTER TABLE "LedgerEntry" ADD COLUMN     "audioInputPer1M" INTEGER,
ADD COLUMN     "audioPerMinute" INTEGER,
ADD COLUMN     "audioSeconds" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "audioTokens" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "imageInputPer1M" INTEGER,
ADD COLUMN     "imageInputTokens" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "imageOutputPer1M" INTEGER,
ADD COLUMN     "imageOutputTokens" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "imageVariant" TEXT,
ADD COLUMN     "images" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "perImageMicros" INTEGER;

-- AlterTable
ALTER TABLE "UsageDay" DROP CONSTRAINT "UsageDay_pkey",
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'chat',
ADD CONSTRAINT "UsageDay_pkey" PRIMARY KEY ("userId", "day", "kind", "model", "isEstimated", "isUnpriced");

-- CreateTable
CREATE TABLE "StoredFile" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "conversationId" TEXT,
    "messageId" TEXT,
    "origin" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "width" INTEGER,
    "height" INTEGER,
    "data" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoredFile_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StoredFile_userId_createdAt_idx" ON "StoredFile"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "StoredFile_conversationId_idx" ON "StoredFile"("conversationId");

-- CreateIndex
CREATE INDEX "StoredFile_messageId_idx" ON "StoredFile"("messageId");

-- AddForeignKey
ALTER TABLE "StoredFile" ADD CONSTRAINT "StoredFile_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoredFile" ADD CONSTRAINT "StoredFile_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoredFile" ADD CONSTRAINT "StoredFile_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;
