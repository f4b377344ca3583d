-- CreateTable
CREATE TABLE "ChannelAccount" (
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "displayName" TEXT,
    "linkedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("channel", "externalId"),
    CONSTRAINT "ChannelAccount_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChannelLinkToken" (
    "tokenHash" TEXT NOT NULL PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ChannelChat" (
    "channel" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "conversationId" TEXT,
    "model" TEXT,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("channel", "chatId", "userId")
);

-- CreateTable
CREATE TABLE "ChannelUpdate" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- AlterTable (written by hand: Prisma redefines the three tables here, which copies the whole ledger and drops the
-- search triggers on Conversation; SQLite adds a column with a constant default in place, to the same schema)
ALTER TABLE "User" ADD COLUMN "isGuest" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Conversation" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'web';
ALTER TABLE "LedgerEntry" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'web';

-- CreateIndex
CREATE UNIQUE INDEX "ChannelAccount_channel_userId_key" ON "ChannelAccount"("channel", "userId");

-- CreateIndex
CREATE INDEX "ChannelLinkToken_userId_idx" ON "ChannelLinkToken"("userId");

-- CreateIndex
CREATE INDEX "ChannelUpdate_receivedAt_idx" ON "ChannelUpdate"("receivedAt");
