// The interface's language: a Chinese browser gets Chinese, the choice in Settings is saved on the account (it
// outlives signing out and a browser asking for Chinese), and a visitor's choice on the sign-in page is a cookie that
// signing up saves on the new account. `<html lang>` follows the language shown.
import type { Browser, Page } from "@playwright/test";
import { expect, test, uniqueEmail } from "./fixtures";
import { AuthPage, PASSWORD } from "./pages/auth-page";

async function chinesePage(browser: Browser): Promise<Page> {
  // Playwright's locale sets the browser's Accept-Language (and navigator.language) to zh-CN.
  const context = await browser.newContext({ locale: "zh-CN" });
  return context.newPage();
}

async function expectLanguage(page: Page, lang: "en" | "zh-CN") {
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
}

/** Settings → Language, chosen from the select in that section (the sidebar may have a switch of its own). */
async function chooseLanguage(page: Page, section: "Language" | "语言", locale: "en" | "zh-CN") {
  await page.getByRole("region", { name: section }).getByRole("combobox").selectOption(locale);
}

test("a Chinese browser gets Chinese; English chosen in Settings stays with the account", async ({ browser }) => {
  const email = uniqueEmail("zh");
  const page = await chinesePage(browser);

  await page.goto("/sign-in");
  await expectLanguage(page, "zh-CN");
  await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();
  await expect(page).toHaveTitle(/^登录 · ChatLedger$/);

  await page.getByRole("link", { name: "创建账号" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "创建账号" })).toBeVisible();
  await page.getByLabel("邮箱").fill(email);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "创建账号" }).click();
  await expect(page).not.toHaveURL(/\/sign-(in|up)/);

  await page.goto("/usage");
  await expect(page.getByRole("heading", { level: 1, name: "用量" })).toBeVisible();
  await expect(page.getByRole("region", { name: "按月汇总" })).toContainText("还没有花费。");
  await expect(page.getByRole("navigation", { name: "时间范围" }).getByRole("link", { name: "本月" })).toBeVisible();

  await page.goto("/settings");
  await expectLanguage(page, "zh-CN");
  await expect(page.getByRole("heading", { level: 1, name: "设置" })).toBeVisible();
  await expect(page).toHaveTitle(/^设置 · ChatLedger$/);
  await chooseLanguage(page, "语言", "en");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expectLanguage(page, "en");

  await new AuthPage(page).signOut();
  await page.context().close();

  // Another browser asking for Chinese, without this one's cookie: the account's choice wins once signed in.
  const again = await chinesePage(browser);
  await again.goto("/sign-in");
  await expect(again.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();
  await again.getByLabel("邮箱").fill(email);
  await again.getByLabel("密码").fill(PASSWORD);
  await again.getByRole("button", { name: "登录" }).click();
  await expect(again).not.toHaveURL(/\/sign-(in|up)/);
  await again.goto("/settings");
  await expect(again.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expectLanguage(again, "en");

  await chooseLanguage(again, "Language", "zh-CN");
  await expect(again.getByRole("heading", { level: 1, name: "设置" })).toBeVisible();
  await expectLanguage(again, "zh-CN");
  await again.goto("/usage");
  await expect(again.getByRole("heading", { level: 1, name: "用量" })).toBeVisible();
  await again.context().close();
});

test("a visitor's choice on the sign-in page is remembered, and signing up saves it on the account", async ({
  browser,
  page,
}) => {
  await page.goto("/sign-in");
  await expectLanguage(page, "en");
  await page.getByRole("combobox", { name: "Language" }).selectOption("zh-CN");
  await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();
  await expectLanguage(page, "zh-CN");
  const cookies = await page.context().cookies();
  expect(cookies.find((cookie) => cookie.name === "NEXT_LOCALE")?.value).toBe("zh-CN");

  // Still Chinese on the next page, though this browser asks for English.
  const email = uniqueEmail("visitor-zh");
  await page.goto("/sign-up");
  await expect(page.getByRole("heading", { level: 1, name: "创建账号" })).toBeVisible();
  await page.getByLabel("邮箱").fill(email);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "创建账号" }).click();
  await expect(page).not.toHaveURL(/\/sign-(in|up)/);

  // A fresh English browser: signed in, the account's language (saved at sign-up) is what it gets.
  const context = await browser.newContext({ locale: "en-US" });
  const other = await context.newPage();
  await new AuthPage(other).signIn({ email });
  await expect(other).not.toHaveURL(/\/sign-(in|up)/);
  await other.goto("/settings");
  await expect(other.getByRole("heading", { level: 1, name: "设置" })).toBeVisible();
  await expectLanguage(other, "zh-CN");
  await context.close();
});
