import { expect, type Page } from "@playwright/test";

export class SettingsPage {
  constructor(readonly page: Page) {}

  /** Sets the user's own monthly limit in USD (e.g. "0.001"), or "unlimited". */
  async setBudget(limit: string) {
    await this.page.goto("/settings");
    if (limit === "unlimited") {
      await this.page.getByLabel("Unlimited").check();
    } else {
      await this.page.getByLabel("My own limit").check();
      await this.page.getByLabel("Limit in USD per month").fill(limit);
    }
    await this.page.getByRole("button", { name: "Save budget" }).click();
    await expect(this.page.getByRole("status").filter({ hasText: "Budget saved." })).toBeVisible();
  }
}
