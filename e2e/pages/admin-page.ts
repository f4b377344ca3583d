import { expect, type Locator, type Page } from "@playwright/test";

export class AdminPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto("/admin");
    await expect(this.page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
  }

  section(name: "This server" | "Users" | "Invites"): Locator {
    return this.page.getByRole("region", { name });
  }

  userRow(email: string): Locator {
    return this.section("Users").getByRole("row").filter({ hasText: email });
  }

  /** Creates an invite link (for anyone, 7 days unless said otherwise) and returns it, as shown once. */
  async createInvite({ email }: { email?: string } = {}): Promise<string> {
    const invites = this.section("Invites");
    if (email) await invites.getByLabel("Email (optional)").fill(email);
    await invites.getByRole("button", { name: "Create invite link" }).click();
    const link = invites.getByLabel("Invite link");
    await expect(link).toHaveValue(/\/sign-up\?invite=[A-Za-z0-9_-]{43}$/);
    return link.inputValue();
  }

  /** Sets a user's budget to a limit in USD, or "default" / "unlimited". */
  async setBudget(email: string, budget: string) {
    const row = this.userRow(email);
    const mode = budget === "default" || budget === "unlimited" ? budget : "limited";
    await row.getByLabel(`Budget for ${email}`).selectOption(mode);
    if (mode === "limited") await row.getByLabel(`Limit in USD per month for ${email}`).fill(budget);
    await row.getByRole("button", { name: "Set" }).click();
    await expect(row.getByRole("status")).toHaveText("Budget saved.");
  }
}
