-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "pinnedAt" TIMESTAMP(3);

-- Search over message text (lib/db/search.ts), written by hand: Prisma's schema cannot describe it. A trigram GIN
-- index finds any run of 3+ characters in any script (Chinese included) for LIKE; the indexed expression is
-- lower("content") so the search is case-insensitive, and an expression index is one Prisma's migrations leave alone.
-- Titles need no index: a user's titles are read through "Conversation_userId_updatedAt_idx".
-- pg_trgm is a trusted extension: a user who may create objects in the database may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "Message_content_trgm_idx" ON "Message" USING GIN (lower("content") gin_trgm_ops);
