import { expect, test } from "./fixtures";

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
