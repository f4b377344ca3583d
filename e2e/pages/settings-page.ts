import { expect, type Locator, type Page } from "@playwright/test";

/** A WeChat link code as Settings shows it: 10 characters of Crockford's base32 in groups of 4, 4 and 2. */
export const WECHAT_CODE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/;

export type WechatChannel = "wechat_mp" | "wecom";

const WECHAT_BLOCKS: Record<WechatChannel, { name: string; unlinkTitle: string }> = {
  wechat_mp: { name: "Official account (公众号)", unlinkTitle: "Unlink the official account?" },
  wecom: { name: "WeCom (企业微信)", unlinkTitle: "Unlink WeCom?" },
};

export class SettingsPage {
  constructor(readonly page: Page) {}

  /** Sets the user's own monthly limit in USD (e.g. "0.001"), or "unlimited". */
  async setBudget(limit: string) {
    await this.page.goto("/settings");
    if (limit === "unlimited") {
      await this.page.getByLabel("Unlimited").check();
    } else {
      await this.page.getByLabel("My own limit").check();
      await this.amount().fill(limit);
    }
    await this.save();
  }

  /** Saves the form as it stands and waits for the confirmation. */
  async save() {
    // The server action's answer, not the message: "Budget saved." may still show from the save before.
    const answered = this.page.waitForResponse(
      (response) => response.request().method() === "POST" && "next-action" in response.request().headers(),
    );
    await this.page.getByRole("button", { name: "Save budget" }).click();
    await answered;
    await expect(this.page.getByRole("status").filter({ hasText: "Budget saved." })).toBeVisible();
  }

  amount() {
    return this.page.getByLabel("Limit in USD per month");
  }

  async expectOwnLimit(amountUsd: string) {
    await expect(this.page.getByLabel("My own limit")).toBeChecked();
    await expect(this.amount()).toHaveValue(amountUsd);
  }

  /** "This month: $X of $Y; resets on …". */
  summary() {
    return this.page.getByText(/^This month:/);
  }

  error() {
    // Scoped to <main>: Next's route announcer is an alert too.
    return this.page.getByRole("main").getByRole("alert");
  }

  /** Settings → Telegram (shown only when the server has a bot). */
  telegram(): Locator {
    return this.page.getByRole("region", { name: "Telegram", exact: true });
  }

  /** "Not linked." or "Linked to @ada since December 4, 2026." */
  telegramStatus(): Locator {
    return this.telegram().getByRole("status");
  }

  /** Makes a one-time link to the bot and returns it (https://t.me/<bot>?start=<token>), as the page shows it. */
  async linkTelegram(): Promise<string> {
    const section = this.telegram();
    const open = section.getByRole("link", { name: "Open Telegram", exact: true });
    // A link shown before (a second click) is replaced: wait for the new one.
    const before = (await open.count()) > 0 ? await open.getAttribute("href") : null;
    await section.getByRole("button", { name: "Link Telegram", exact: true }).click();
    await expect(open).toHaveAttribute("href", /^https:\/\/t\.me\/[\w]+\?start=[\w-]+$/);
    if (before !== null) await expect(open).not.toHaveAttribute("href", before);
    const url = (await open.getAttribute("href")) ?? "";
    await expect(section.getByText(url, { exact: true })).toBeVisible();
    return url;
  }

  /** Unlinks through the confirmation; the section then says it is not linked. */
  async unlinkTelegram() {
    await this.telegram().getByRole("button", { name: "Unlink", exact: true }).click();
    await this.page
      .getByRole("dialog", { name: "Unlink Telegram?" })
      .getByRole("button", { name: "Unlink", exact: true })
      .click();
    await expect(this.telegramStatus()).toHaveText("Not linked.");
  }

  /** Settings → WeChat (shown only when the server has the official account or WeCom). */
  wechat(): Locator {
    return this.page.getByRole("region", { name: "WeChat", exact: true });
  }

  /** One channel's part of it, named by its heading; its description is its status ("Not linked.", "Linked to …"). */
  wechatChannel(channel: WechatChannel): Locator {
    return this.wechat().getByRole("region", { name: WECHAT_BLOCKS[channel].name, exact: true });
  }

  /** The code shown on the channel, if any. */
  wechatCode(channel: WechatChannel): Locator {
    return this.wechatChannel(channel).getByText(WECHAT_CODE);
  }

  /** Gets a link code for the channel and returns it ("ABCD-EFGH-JK"), as the page shows it. */
  async getWechatCode(channel: WechatChannel): Promise<string> {
    const code = this.wechatCode(channel);
    // A code shown before (a second click) is replaced: wait for the new one.
    const before = (await code.count()) > 0 ? await code.textContent() : null;
    await this.wechatChannel(channel).getByRole("button", { name: "Get a code", exact: true }).click();
    await expect(code).toBeVisible();
    if (before !== null) await expect(code).not.toHaveText(before);
    return (await code.textContent()) ?? "";
  }

  /** Unlinks the channel's account through the confirmation; the block then says it is not linked. */
  async unlinkWechat(channel: WechatChannel) {
    const block = this.wechatChannel(channel);
    await block.getByRole("button", { name: "Unlink", exact: true }).click();
    await this.page
      .getByRole("dialog", { name: WECHAT_BLOCKS[channel].unlinkTitle })
      .getByRole("button", { name: "Unlink", exact: true })
      .click();
    await expect(block).toHaveAccessibleDescription("Not linked.");
  }
}
