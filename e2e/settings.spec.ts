import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";
import { SettingsPage } from "./pages/settings-page";

test.beforeEach(async ({ page, account: _signedIn }) => {
  await page.goto("/");
  await new ChatPage(page).expectReady();
});

test("the budget form shows exactly what is saved, after every save, error and reload", async ({ page }) => {
  // A dozen saves and reloads of a server-rendered page.
  test.setTimeout(240_000);
  const settings = new SettingsPage(page);
  await settings.setBudget("0.006");
  await settings.expectOwnLimit("0.006");
  await expect(settings.summary()).toContainText("of $0.006000");
  await page.reload();
  await settings.expectOwnLimit("0.006");

  // Saving again without touching anything keeps the limit (it used to fall back to the server default).
  await settings.save();
  await settings.expectOwnLimit("0.006");
  await page.reload();
  await settings.expectOwnLimit("0.006");
  await expect(settings.summary()).toContainText("of $0.006000");

  // A wrong amount is refused and the form stays on "My own limit"; nothing changes.
  await settings.amount().fill("12,50");
  await page.getByRole("button", { name: "Save budget" }).click();
  await expect(settings.error()).toContainText("Enter the budget as an amount in USD");
  await expect(page.getByLabel("My own limit")).toBeChecked();
  await expect(settings.amount()).toHaveValue("12,50");
  await page.reload();
  await settings.expectOwnLimit("0.006");

  // A large amount is shown plain (no "1,000.00" that the form itself would refuse) and survives a second save.
  await settings.setBudget("1000");
  await settings.expectOwnLimit("1000");
  await settings.save();
  await page.reload();
  await settings.expectOwnLimit("1000");
  await expect(settings.summary()).toContainText("of $1,000.00");

  // Six decimals round-trip exactly.
  await settings.setBudget("1.234567");
  await page.reload();
  await settings.expectOwnLimit("1.234567");
  await settings.save();
  await page.reload();
  await settings.expectOwnLimit("1.234567");

  await settings.setBudget("unlimited");
  await expect(page.getByLabel("Unlimited")).toBeChecked();
  await page.reload();
  await expect(page.getByLabel("Unlimited")).toBeChecked();
  await expect(settings.summary()).toContainText("of no limit");
});
