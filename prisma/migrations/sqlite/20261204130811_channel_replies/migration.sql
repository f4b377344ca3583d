-- CreateTable
CREATE TABLE "ChannelReply" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "text" TEXT,
    "handedOffAt" DATETIME,
    "deliveredAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "ChannelReply_channel_chatId_deliveredAt_idx" ON "ChannelReply"("channel", "chatId", "deliveredAt");

-- CreateIndex
CREATE INDEX "ChannelReply_createdAt_idx" ON "ChannelReply"("createdAt");
