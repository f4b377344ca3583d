import { signInAs } from "./accounts";
import { expect, test } from "./fixtures";
import { AuthPage } from "./pages/auth-page";
import { ChatPage } from "./pages/chat-page";

// An API refusal speaks the request's language (the saved choice, else the cookie, else Accept-Language), with its
// message key and arguments beside the text; the chat's refusals before its stream begins included.

test("the chat API refuses in Chinese for a zh-CN browser and in English otherwise", async ({ page, account }) => {
  expect(account.email).toBeTruthy();
  const body = { conversationId: `lang-${Date.now()}`, model: "gpt-nonexistent-9", text: "hello" };
  const zh = await page.request.post("/api/chat", { data: body, headers: { "accept-language": "zh-CN,zh;q=0.9" } });
  expect(zh.status()).toBe(400);
  const zhError = (await zh.json()).error;
  expect(zhError.message).toMatch(/^未知模型“gpt-nonexistent-9”。可选模型：/);
  expect(zhError).toMatchObject({ code: "bad_request", key: "errors.unknownModel" });
  expect(zhError.params.model).toBe("gpt-nonexistent-9");

  const en = await page.request.post("/api/chat", { data: body, headers: { "accept-language": "en-US" } });
  expect((await en.json()).error.message).toMatch(/^Unknown model "gpt-nonexistent-9"\. Choose one of: /);

  // A validation problem: the first issue's key, in Chinese.
  const empty = await page.request.post("/api/chat", {
    data: { ...body, model: "gpt-4o-mini", text: "   " },
    headers: { "accept-language": "zh-CN" },
  });
  expect(await empty.json()).toMatchObject({
    error: { code: "bad_request", key: "validation.messageEmpty", message: "请先输入消息再发送。" },
  });
});

test("a failed reply is stored with its key and read in the reader's language", async ({ page, browser, account }) => {
  const chat = new ChatPage(page);
  await page.goto("/");
  await chat.expectReady();
  await chat.send(`[[status:500]] fails for everyone ${Date.now()}`);
  await expect(chat.alert()).toContainText("The model provider had a server error (500)");
  const conversationId = await chat.conversationId();

  // The same stored failure, opened by a Chinese browser: written in Chinese when shown, not when it happened.
  const chinese = await browser.newContext({ locale: "zh-CN" });
  await signInAs(chinese.request, account);
  const reader = await chinese.newPage();
  await reader.goto(`/c/${conversationId}`);
  await expect(new ChatPage(reader).alert()).toContainText("模型服务商出现服务器错误（500）");
  await chinese.close();
});

test("the sign-in form refuses in the browser's language", async ({ browser, account }) => {
  const chinese = await browser.newContext({ locale: "zh-CN" });
  const page = await chinese.newPage();
  await page.goto("/sign-in");
  await page.locator('input[name="email"]').fill(account.email);
  await page.locator('input[name="password"]').fill("not the password 1");
  await page.locator('form button[type="submit"]').click();
  await expect(new AuthPage(page).formError()).toHaveText("邮箱或密码错误。");
  await chinese.close();
});
