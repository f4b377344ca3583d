-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "activeLeafId" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Message" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "conversationId" TEXT NOT NULL,
    "parentId" TEXT,
    "isContinuation" BOOLEAN NOT NULL DEFAULT false,
    "role" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'complete',
    "error" TEXT,
    "model" TEXT,
    "promptTokens" INTEGER,
    "completionTokens" INTEGER,
    "cachedTokens" INTEGER,
    "reasoningTokens" INTEGER,
    "finishReason" TEXT,
    "tokenCount" INTEGER,
    "tokenEncoding" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Message_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Message" ("cachedTokens", "completionTokens", "content", "conversationId", "createdAt", "error", "finishReason", "id", "model", "promptTokens", "reasoningTokens", "role", "status", "tokenCount", "tokenEncoding") SELECT "cachedTokens", "completionTokens", "content", "conversationId", "createdAt", "error", "finishReason", "id", "model", "promptTokens", "reasoningTokens", "role", "status", "tokenCount", "tokenEncoding" FROM "Message";
DROP TABLE "Message";
ALTER TABLE "new_Message" RENAME TO "Message";
CREATE INDEX "Message_conversationId_createdAt_idx" ON "Message"("conversationId", "createdAt");
CREATE INDEX "Message_parentId_idx" ON "Message"("parentId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Rebuilding "Message" dropped its search triggers (20261202114428_conversation_history): they come back as they were.
CREATE TRIGGER "Message_search_insert" AFTER INSERT ON "Message" BEGIN
    INSERT INTO "SearchDocument" ("userId", "conversationId", "messageId")
        SELECT "userId", "id", NEW."id" FROM "Conversation" WHERE "id" = NEW."conversationId";
    INSERT INTO "SearchIndex" ("rowid", "text") SELECT "id", NEW."content" FROM "SearchDocument" WHERE "messageId" = NEW."id";
END;
CREATE TRIGGER "Message_search_update" AFTER UPDATE OF "content" ON "Message" WHEN OLD."content" IS NOT NEW."content" BEGIN
    DELETE FROM "SearchIndex" WHERE "rowid" IN (SELECT "id" FROM "SearchDocument" WHERE "messageId" = NEW."id");
    INSERT INTO "SearchIndex" ("rowid", "text") SELECT "id", NEW."content" FROM "SearchDocument" WHERE "messageId" = NEW."id";
END;
CREATE TRIGGER "Message_search_delete" AFTER DELETE ON "Message" BEGIN
    DELETE FROM "SearchIndex" WHERE "rowid" IN (SELECT "id" FROM "SearchDocument" WHERE "messageId" = OLD."id");
    DELETE FROM "SearchDocument" WHERE "messageId" = OLD."id";
END;

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
