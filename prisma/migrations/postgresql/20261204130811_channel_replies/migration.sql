-- CreateTable
CREATE TABLE "ChannelReply" (
    "key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "text" TEXT,
    "handedOffAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChannelReply_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "ChannelReply_channel_chatId_deliveredAt_idx" ON "ChannelReply"("channel", "chatId", "deliveredAt");

-- CreateIndex
CREATE INDEX "ChannelReply_createdAt_idx" ON "ChannelReply"("createdAt");
