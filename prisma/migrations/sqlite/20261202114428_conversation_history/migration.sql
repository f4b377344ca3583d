-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "pinnedAt" DATETIME;

-- Search over conversation titles and message text (lib/db/search.ts), written by hand: Prisma's schema cannot
-- describe it, and scripts/db/schema.ts lists these tables as external so migrations leave them alone.
-- "SearchIndex" is a contentless FTS5 index with trigram tokens: any run of 3+ characters in any script (Chinese
-- included) is found, case-insensitively, without storing the text twice. Its rowid is a "SearchDocument" id, which
-- says whose text it is: a conversation's title (messageId NULL) or one message. Ids grow with time, so the newest
-- text has the highest rowid.
CREATE TABLE "SearchDocument" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "messageId" TEXT
);
CREATE UNIQUE INDEX "SearchDocument_messageId_key" ON "SearchDocument"("messageId");
CREATE INDEX "SearchDocument_conversationId_idx" ON "SearchDocument"("conversationId");
CREATE VIRTUAL TABLE "SearchIndex" USING fts5("text", content='', contentless_delete=1, tokenize='trigram');

-- The triggers keep the index in step with every write, cascades included. SQLite drops a table's triggers with the
-- table: a later migration that redefines "Conversation" or "Message" must create these again (lib/db/search.test.ts
-- fails until it does).
CREATE TRIGGER "Conversation_search_insert" AFTER INSERT ON "Conversation" BEGIN
    INSERT INTO "SearchDocument" ("userId", "conversationId") VALUES (NEW."userId", NEW."id");
    INSERT INTO "SearchIndex" ("rowid", "text") VALUES (last_insert_rowid(), NEW."title");
END;
CREATE TRIGGER "Conversation_search_update" AFTER UPDATE OF "title" ON "Conversation" WHEN OLD."title" IS NOT NEW."title" BEGIN
    DELETE FROM "SearchIndex" WHERE "rowid" IN (SELECT "id" FROM "SearchDocument" WHERE "conversationId" = NEW."id" AND "messageId" IS NULL);
    INSERT INTO "SearchIndex" ("rowid", "text") SELECT "id", NEW."title" FROM "SearchDocument" WHERE "conversationId" = NEW."id" AND "messageId" IS NULL;
END;
CREATE TRIGGER "Conversation_search_delete" AFTER DELETE ON "Conversation" BEGIN
    DELETE FROM "SearchIndex" WHERE "rowid" IN (SELECT "id" FROM "SearchDocument" WHERE "conversationId" = OLD."id");
    DELETE FROM "SearchDocument" WHERE "conversationId" = OLD."id";
END;
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

-- Index what is already stored, oldest first.
INSERT INTO "SearchDocument" ("userId", "conversationId", "messageId")
    SELECT "userId", "id", NULL FROM "Conversation" ORDER BY "createdAt", "id";
INSERT INTO "SearchDocument" ("userId", "conversationId", "messageId")
    SELECT c."userId", m."conversationId", m."id" FROM "Message" m JOIN "Conversation" c ON c."id" = m."conversationId"
    ORDER BY m."createdAt", m."id";
INSERT INTO "SearchIndex" ("rowid", "text")
    SELECT d."id", COALESCE(m."content", c."title") FROM "SearchDocument" d
    JOIN "Conversation" c ON c."id" = d."conversationId"
    LEFT JOIN "Message" m ON m."id" = d."messageId";
