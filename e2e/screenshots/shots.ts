import path from "node:path";
import type { Page } from "@playwright/test";
import sharp from "sharp";
import type { TestDatabase } from "../db";

/** Where the README's pictures go. */
export const OUT = path.join(__dirname, "..", "..", "docs", "screenshots");

/**
 * Saves a screenshot of `page` as docs/screenshots/`name`.png once fonts, Shiki's colours and KaTeX (which load lazily)
 * are in; re-encoded with a palette, which keeps a UI picture to a fraction of the size at no visible loss.
 */
export async function shot(page: Page, name: string) {
  await page.evaluate(() => document.fonts.ready);
  const png = await page.screenshot();
  await sharp(png)
    .png({ palette: true, compressionLevel: 9 })
    .toFile(path.join(OUT, `${name}.png`));
}

/**
 * The prompts of a conversation as a user would have typed them: the fake upstream's [[…]] markers removed from the
 * stored messages, and the chat given `title`.
 */
export async function showTyped(
  db: TestDatabase,
  { conversationId, title }: { conversationId: string; title: string },
) {
  const prompts = await db.query<{ id: string; content: string }>(
    `SELECT "id", "content" FROM "Message" WHERE "conversationId" = $1 AND "role" = 'user'`,
    [conversationId],
  );
  for (const { id, content } of prompts) {
    const typed = content.replace(/\s*\[\[[\s\S]*?\]\]/g, "").trim();
    await db.query(`UPDATE "Message" SET "content" = $1 WHERE "id" = $2`, [typed, id]);
  }
  await db.query(`UPDATE "Conversation" SET "title" = $1 WHERE "id" = $2`, [title, conversationId]);
}
