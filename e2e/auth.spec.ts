import { expect, test, uniqueEmail } from "./fixtures";
import { AuthPage, PASSWORD } from "./pages/auth-page";
import { ChatPage } from "./pages/chat-page";

test("sign up, sign out, sign in again", async ({ page }) => {
  const auth = new AuthPage(page);
  const chat = new ChatPage(page);
  const email = uniqueEmail("signup");

  await auth.signUp({ email, name: "Ada" });
  await chat.expectReady();
  await expect(page.getByRole("heading", { name: "What can I help with?" })).toBeVisible();
  await expect(page.getByText("Ada")).toBeVisible();

  await auth.signOut();
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);

  await auth.signIn({ email: email.toUpperCase() });
  await chat.expectReady();
});

test("wrong password, duplicate email and weak password get clear messages", async ({ page }) => {
  const auth = new AuthPage(page);
  const email = uniqueEmail("errors");
  await auth.signUp({ email });
  await new ChatPage(page).expectReady();
  await auth.signOut();

  await auth.signIn({ email, password: "not the password 1" });
  await expect(auth.formError()).toHaveText("Wrong email or password.");
  await expect(page.getByLabel("Email")).toHaveValue(email);

  await auth.signIn({ email: uniqueEmail("nobody"), password: PASSWORD });
  await expect(auth.formError()).toHaveText("Wrong email or password.");

  await auth.signUp({ email });
  await expect(auth.formError()).toContainText("already exists");

  await auth.signUp({ email: uniqueEmail("weak"), password: "short1" });
  await expect(auth.formError()).toContainText("at least 8 characters");

  await auth.signUp({ email: uniqueEmail("weak"), password: "onlyletterspassword" });
  await expect(auth.formError()).toContainText("Mix letters with digits or symbols");

  await auth.signUp({ email: "not-an-email", password: PASSWORD });
  await expect(auth.formError()).toContainText("valid email");
});

test("signed-out visitors are sent to sign in and the API answers 401", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/c/some-conversation-id");
  await expect(page).toHaveURL(/\/sign-in/);

  const list = await page.request.get("/api/conversations");
  expect(list.status()).toBe(401);
  expect((await list.json()).error.code).toBe("unauthorized");

  const chat = await page.request.post("/api/chat", {
    data: { conversationId: "abcdefgh1234", model: "gpt-5-mini", text: "hi" },
  });
  expect(chat.status()).toBe(401);
});
