import { createAccount, signInAs } from "./accounts";
import { expect, test, uniqueEmail } from "./fixtures";
import { AuthPage, PASSWORD } from "./pages/auth-page";
import { ChatPage } from "./pages/chat-page";
import { sendChat } from "./sessions";

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

test("a link opened signed out comes back after sign-in, and only to this site", async ({ page, db, upstream }) => {
  // The account has a conversation; its link is opened in a browser that is not signed in.
  const account = await createAccount(db, { prefix: "deeplink" });
  await signInAs(page.request, account);
  const sent = await sendChat(page.request, { text: "[[usage:5/2]] a chat worth a link" });
  expect(sent.status).toBe(200);
  expect(await upstream.requests({ containing: "a chat worth a link" })).toHaveLength(1);
  await page.context().clearCookies();

  await page.goto(`/c/${sent.conversationId}?from=mail`);
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe(`/c/${sent.conversationId}?from=mail`);
  await new AuthPage(page).signIn({ email: account.email, password: account.password, navigate: false });
  await expect(page).toHaveURL(new RegExp(`/c/${sent.conversationId}\\?from=mail$`));
  await expect(new ChatPage(page).lastAssistant()).toContainText("Echo: a chat worth a link");

  // A callbackUrl that would leave the site lands on the home page instead.
  await page.context().clearCookies();
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent("/\t/evil.example")}`);
  await new AuthPage(page).signIn({ email: account.email, password: account.password, navigate: false });
  await expect(page).toHaveURL(/\/$/);
});

test("a sign-up refused for one field keeps everything typed, the password included", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(new AuthPage(page).formError()).toContainText("valid email");
  await expect(page.getByLabel("Password")).toHaveValue(PASSWORD);
  await expect(page.getByLabel("Email")).toHaveValue("not-an-email");

  // Fixing the email is enough.
  await page.getByLabel("Email").fill(uniqueEmail("fixed"));
  await page.getByRole("button", { name: "Create account" }).click();
  await new ChatPage(page).expectReady();
});
