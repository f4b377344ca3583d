import { expect, type Locator, type Page } from "@playwright/test";

/** The conversation list beside every chat: search, groups, each conversation's menu, the Undo toast. */
export class Sidebar {
  readonly nav: Locator;
  readonly search: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole("navigation", { name: "Conversations" });
    this.search = page.getByRole("searchbox", { name: "Search conversations" });
  }

  link(title: string | RegExp): Locator {
    return this.nav.getByRole("link", { name: title, exact: typeof title === "string" });
  }

  /** The titles listed, top to bottom (outside a search). */
  titles(): Promise<string[]> {
    return this.nav.getByRole("listitem").getByRole("link").allTextContents();
  }

  group(label: "Pinned" | "Today" | "Yesterday" | "Previous 7 days" | "Older"): Locator {
    return this.nav.getByRole("region", { name: label });
  }

  async choose(title: string, action: "Rename" | "Pin to top" | "Unpin" | "Delete") {
    await this.nav.getByRole("button", { name: `Options for ${title}`, exact: true }).click();
    await this.page
      .getByRole("menu", { name: `Options for ${title}` })
      .getByRole("menuitem", { name: action })
      .click();
  }

  titleField(): Locator {
    return this.nav.getByRole("textbox", { name: "Conversation title" });
  }

  /** Deletes through the menu and the confirmation; the Undo toast is then showing. */
  async delete(title: string) {
    await this.choose(title, "Delete");
    const dialog = this.page.getByRole("dialog", { name: `Delete “${title}”?` });
    await dialog.getByRole("button", { name: "Delete" }).click();
    await expect(this.undoToast(title)).toBeVisible();
  }

  undoToast(title: string): Locator {
    return this.page.getByRole("status").filter({ hasText: `Deleted “${title}”.` });
  }

  results(): Locator {
    return this.nav.getByRole("list", { name: "Search results" });
  }
}
