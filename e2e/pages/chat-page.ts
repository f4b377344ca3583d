import { expect, type Locator, type Page } from "@playwright/test";

export class ChatPage {
  readonly composer: Locator;
  readonly sidebar: Locator;

  constructor(readonly page: Page) {
    this.composer = page.getByRole("textbox", { name: "Message" });
    this.sidebar = page.getByRole("navigation", { name: "Conversations" });
  }

  async expectReady() {
    await expect(this.composer).toBeVisible();
  }

  /** A new chat, opened and ready for typing. */
  static async openNew(page: Page): Promise<ChatPage> {
    await page.goto("/");
    const chat = new ChatPage(page);
    await chat.expectReady();
    return chat;
  }

  /** Types and sends with Enter, like a user. */
  async send(text: string) {
    await this.composer.fill(text);
    await this.composer.press("Enter");
  }

  assistantMessages(): Locator {
    return this.page.locator('article[data-role="assistant"]');
  }

  userMessages(): Locator {
    return this.page.locator('[data-role="user"]');
  }

  /** A sent user message with its controls (Edit, the versions' pager) and, while editing, its editor. */
  userTurns(): Locator {
    return this.page.locator('[data-turn="user"]');
  }

  lastAssistant(): Locator {
    return this.assistantMessages().last();
  }

  /** Waits until the reply finished streaming (its token usage line is shown). */
  async waitForReply(index?: number) {
    const message = index === undefined ? this.lastAssistant() : this.assistantMessages().nth(index);
    await expect(message.getByRole("region", { name: "Token usage" })).toBeVisible({ timeout: 60_000 });
    return message;
  }

  /** The ‹ n/m › pager of a message (reply or user message). */
  versions(message: Locator): Locator {
    return message.getByRole("navigation", { name: "Versions" });
  }

  /** Shows the previous or next version of a message through its pager. */
  async showVersion(message: Locator, which: "Previous" | "Next") {
    await this.versions(message)
      .getByRole("button", { name: `${which} version` })
      .click();
  }

  /** Opens the inline editor of a sent user message. */
  async startEdit(message: Locator): Promise<Locator> {
    await message.getByRole("button", { name: "Edit" }).click();
    const editor = message.getByRole("textbox", { name: "Edit message" });
    await expect(editor).toBeFocused();
    return editor;
  }

  usage(message: Locator): Locator {
    return message.getByRole("region", { name: "Token usage" });
  }

  meter(section: "This chat" | "This month" | "Next message"): Locator {
    return this.page.getByRole("complementary", { name: "Cost meter" }).getByRole("region", { name: section });
  }

  /** The Parameters panel (opened with the header's button). */
  parameters(): Locator {
    return this.page.getByRole("region", { name: "Parameters" });
  }

  picker(): Locator {
    return this.page.getByRole("combobox", { name: "Model" });
  }

  /** Opens the Parameters panel, fills the given fields (by label) and saves; the panel closes when they are saved. */
  async setParameters(fields: Record<string, string>, { expectSaved = true } = {}) {
    if (!(await this.parameters().isVisible())) await this.page.getByRole("button", { name: "Parameters" }).click();
    const panel = this.parameters();
    for (const [label, value] of Object.entries(fields)) {
      const field = panel.getByLabel(label, { exact: true });
      if ((await field.evaluate((element) => element.tagName)) === "SELECT") await field.selectOption(value);
      else await field.fill(value);
    }
    await panel.getByRole("button", { name: "Save parameters" }).click();
    if (expectSaved) await expect(panel).toBeHidden();
  }

  alert(): Locator {
    // Scoped to <main>: Next's route announcer is an alert too.
    return this.page.getByRole("main").getByRole("alert");
  }

  /** The conversation id in the URL (/c/<id>) once the first message was sent. */
  async conversationId(): Promise<string> {
    await expect(this.page).toHaveURL(/\/c\/[A-Za-z0-9_-]+$/);
    return new URL(this.page.url()).pathname.split("/").pop() ?? "";
  }
}
