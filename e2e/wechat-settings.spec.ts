// Settings → WeChat and the marks of WeChat conversations, on the shared server (which has both the official account
// and WeCom, pointed at the fake Tencent APIs: e2e/global-setup.ts). A code is typed into the chat, so only its hash
// may be stored; the bot's side of linking is e2e/wechat.spec.ts's.
import { createHash, randomUUID } from "node:crypto";
import type { TestDatabase } from "./db";
import { seedConversations } from "./db";
import { expect, test } from "./fixtures";
import { SettingsPage, WECHAT_CODE, type WechatChannel } from "./pages/settings-page";
import { actionReferences, callAction } from "./route-tree";
import { newOpenId, postMp, textMessage } from "./wechat";

function linkTokens(db: TestDatabase, userId: string, channel: WechatChannel) {
  return db.query<{ tokenHash: string }>(
    `SELECT "tokenHash" FROM "ChannelLinkToken" WHERE "userId" = $1 AND "channel" = $2`,
    [userId, channel],
  );
}

function channelAccounts(db: TestDatabase, userId: string) {
  return db.query<{ channel: string; externalId: string }>(
    `SELECT "channel", "externalId" FROM "ChannelAccount" WHERE "userId" = $1 ORDER BY "channel"`,
    [userId],
  );
}

async function linkAccount(
  db: TestDatabase,
  {
    channel,
    externalId,
    userId,
    displayName,
  }: { channel: WechatChannel; externalId: string; userId: string; displayName: string | null },
) {
  await db.query(
    `INSERT INTO "ChannelAccount" ("channel", "externalId", "userId", "displayName", "linkedAt") VALUES ($1, $2, $3, $4, $5)`,
    [channel, externalId, userId, displayName, "2026-12-04T10:00:00.000Z"],
  );
}

test("Settings shows both WeChat channels; a code is stored only by its hash, shown once, and replaced by the next", async ({
  page,
  account,
  db,
}) => {
  const settings = new SettingsPage(page);
  await page.goto("/settings");
  await expect(settings.wechat()).toBeVisible();
  for (const channel of ["wechat_mp", "wecom"] as const) {
    await expect(settings.wechatChannel(channel)).toHaveAccessibleDescription("Not linked.");
  }

  const code = await settings.getWechatCode("wechat_mp");
  expect(code).toMatch(WECHAT_CODE);
  await expect(settings.wechatChannel("wechat_mp")).toContainText(
    `Send #绑定 ${code} to the official account within 10 minutes (until `,
  );
  await expect(settings.wechatChannel("wechat_mp").getByRole("button", { name: "Copy" })).toBeVisible();
  const [stored, ...others] = await linkTokens(db, account.id, "wechat_mp");
  expect(others).toEqual([]);
  // Only the SHA-256 of the code as typed without its dashes: never the code itself.
  expect(stored?.tokenHash).not.toContain(code.replaceAll("-", ""));
  expect(stored?.tokenHash).toBe(createHash("sha256").update(code.replaceAll("-", "")).digest("hex"));

  const second = await settings.getWechatCode("wechat_mp");
  expect(second).not.toBe(code);
  const replaced = await linkTokens(db, account.id, "wechat_mp");
  expect(replaced).toHaveLength(1);
  expect(replaced[0]?.tokenHash).not.toBe(stored?.tokenHash);

  // WeCom's code is its own: the official account's stays.
  const wecomCode = await settings.getWechatCode("wecom");
  expect(wecomCode).toMatch(WECHAT_CODE);
  await expect(settings.wechatChannel("wecom")).toContainText(`Send #绑定 ${wecomCode} to the WeCom app`);
  expect(await linkTokens(db, account.id, "wecom")).toHaveLength(1);
  expect(await linkTokens(db, account.id, "wechat_mp")).toEqual(replaced);

  // Shown once: the page made again has no code to show.
  await page.reload();
  await expect(settings.wechatChannel("wechat_mp")).toBeVisible();
  await expect(settings.wechatCode("wechat_mp")).toHaveCount(0);
  await expect(settings.wechatCode("wecom")).toHaveCount(0);
});

test("a code from Settings, sent to the official account, links it; Settings then shows the account", async ({
  page,
  account,
  db,
}) => {
  const settings = new SettingsPage(page);
  await page.goto("/settings");
  const code = await settings.getWechatCode("wechat_mp");
  const openId = newOpenId();
  const { status } = await postMp(textMessage(openId, `#绑定 ${code}`));
  expect(status).toBe(200);
  await expect.poll(() => channelAccounts(db, account.id)).toEqual([{ channel: "wechat_mp", externalId: openId }]);
  expect(await linkTokens(db, account.id, "wechat_mp")).toEqual([]);
  await page.reload();
  // The official account gives no name: the OpenID's ends stand for it.
  await expect(settings.wechatChannel("wechat_mp")).toHaveAccessibleDescription(
    new RegExp(`^Linked to WeChat user ${openId.slice(0, 4)}…${openId.slice(-4)} since `),
  );
  await expect(settings.wechatChannel("wecom")).toHaveAccessibleDescription("Not linked.");
});

test("linked accounts show as linked; Unlink removes only that link, and its conversations stay, marked as from WeChat", async ({
  page,
  account,
  db,
}) => {
  const openId = newOpenId();
  const wecomUser = `e2e_${randomUUID().slice(0, 8)}`;
  await linkAccount(db, { channel: "wechat_mp", externalId: openId, userId: account.id, displayName: null });
  await linkAccount(db, { channel: "wecom", externalId: wecomUser, userId: account.id, displayName: "Zhang San" });
  const suffix = randomUUID().slice(0, 8);
  const [fromMp = "", fromWecom = ""] = await seedConversations(db, account.id, [
    { title: `Asked the official account ${suffix}`, updatedAt: new Date(), messages: ["你好", "Hello"] },
    { title: `Asked WeCom ${suffix}`, updatedAt: new Date(Date.now() - 60_000), messages: ["hi", "Hello"] },
  ]);
  await db.query(`UPDATE "Conversation" SET "source" = 'wechat_mp' WHERE "id" = $1`, [fromMp]);
  await db.query(`UPDATE "Conversation" SET "source" = 'wecom' WHERE "id" = $1`, [fromWecom]);

  const settings = new SettingsPage(page);
  await page.goto("/settings");
  const mp = settings.wechatChannel("wechat_mp");
  await expect(mp).toHaveAccessibleDescription(
    `Linked to WeChat user ${openId.slice(0, 4)}…${openId.slice(-4)} since December 4, 2026.`,
  );
  await expect(settings.wechatChannel("wecom")).toHaveAccessibleDescription(
    "Linked to WeCom user Zhang San since December 4, 2026.",
  );
  await expect(mp.getByRole("button", { name: "Get a code" })).toHaveCount(0);

  await settings.unlinkWechat("wechat_mp");
  await expect(mp.getByRole("button", { name: "Get a code", exact: true })).toBeVisible();
  expect(await channelAccounts(db, account.id)).toEqual([{ channel: "wecom", externalId: wecomUser }]);
  await page.reload();
  await expect(mp).toHaveAccessibleDescription("Not linked.");
  await expect(settings.wechatChannel("wecom")).toHaveAccessibleDescription(/^Linked to WeCom user Zhang San/);

  // The conversations stay, each marked with where it was held: in its sidebar row and its header.
  await page.goto(`/c/${fromMp}`);
  await expect(page.getByText("Hello").first()).toBeVisible();
  await expect(page.getByText("via WeChat", { exact: true })).toBeVisible();
  const mpRow = page.getByRole("listitem").filter({ hasText: `Asked the official account ${suffix}` });
  await expect(mpRow.getByRole("img", { name: "From WeChat", exact: true }).first()).toBeVisible();
  const wecomRow = page.getByRole("listitem").filter({ hasText: `Asked WeCom ${suffix}` });
  await expect(wecomRow.getByRole("img", { name: "From WeCom", exact: true }).first()).toBeVisible();
  await page.goto(`/c/${fromWecom}`);
  await expect(page.getByText("via WeCom", { exact: true })).toBeVisible();
});

test("the WeChat actions answer a channel that is not WeChat's with a message, and change nothing", async ({
  page,
  account,
  baseURL,
  db,
}) => {
  if (!baseURL) throw new Error("no baseURL");
  const references = actionReferences();
  for (const name of ["createWechatLinkCode", "unlinkWechat"]) {
    const reference = references.get(`app/(chat)/settings/actions.ts#${name}`);
    if (!reference) throw new Error(`no id for ${name} in this build`);
    for (const channel of ["telegram", "web", "WECHAT_MP", { channel: "wechat_mp" }, null]) {
      const response = await callAction(page.request, baseURL, reference, [{ json: channel }]);
      expect(response.status(), `${name}(${JSON.stringify(channel)})`).toBe(200);
      expect(await response.text()).toContain("This form submission is malformed.");
    }
  }
  expect(await db.query(`SELECT "tokenHash" FROM "ChannelLinkToken" WHERE "userId" = $1`, [account.id])).toEqual([]);
});
