-- CreateIndex
CREATE INDEX "Conversation_userId_pinnedAt_idx" ON "Conversation"("userId", "pinnedAt");
