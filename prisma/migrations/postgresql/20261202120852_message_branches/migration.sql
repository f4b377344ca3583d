-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "activeLeafId" TEXT;

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "isContinuation" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "parentId" TEXT;

-- CreateIndex
CREATE INDEX "Message_parentId_idx" ON "Message"("parentId");

-- Backfill: every existing conversation becomes one linear branch. Each message's parent is the one stored before it
-- (ties on createdAt broken by id, the order the chat has always shown), and the active leaf is the latest message.
UPDATE "Message" SET "parentId" = (
  SELECT p."id" FROM "Message" p
  WHERE p."conversationId" = "Message"."conversationId"
    AND (p."createdAt" < "Message"."createdAt" OR (p."createdAt" = "Message"."createdAt" AND p."id" < "Message"."id"))
  ORDER BY p."createdAt" DESC, p."id" DESC
  LIMIT 1
);
UPDATE "Conversation" SET "activeLeafId" = (
  SELECT m."id" FROM "Message" m
  WHERE m."conversationId" = "Conversation"."id"
  ORDER BY m."createdAt" DESC, m."id" DESC
  LIMIT 1
);
