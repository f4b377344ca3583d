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
}
