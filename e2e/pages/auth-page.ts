import { expect, type Page } from "@playwright/test";

export const PASSWORD = "correct horse 42";

export class AuthPage {
  constructor(readonly page: Page) {}

  async signUp({ email, password = PASSWORD, name }: { email: string; password?: string; name?: string }) {
    await this.page.goto("/sign-up");
    if (name) await this.page.getByLabel("Name").fill(name);
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Create account" }).click();
  }

  /** `navigate: false` signs in on the sign-in page already shown (say, with its callbackUrl). */
  async signIn({
    email,
    password = PASSWORD,
    navigate = true,
  }: {
    email: string;
    password?: string;
    navigate?: boolean;
  }) {
    if (navigate) await this.page.goto("/sign-in");
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  async signOut() {
    await this.page.getByRole("button", { name: "Sign out" }).click();
    await expect(this.page).toHaveURL(/\/sign-in/);
  }

  formError() {
    // Scoped to <main>: Next's route announcer is an alert too.
    return this.page.getByRole("main").getByRole("alert");
  }
}
