import { expect, test } from "./fixtures";

test("the home page offers a way to sign in", async ({ page, upstream }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBeLessThan(400);
  const signInLink = page.getByRole("link", { name: /sign in|log in/i });
  const signInButton = page.getByRole("button", { name: /sign in|log in/i });
  await expect(signInLink.or(signInButton).first()).toBeVisible();
  // The fake upstream that global setup started is reachable from the workers.
  expect(Array.isArray(await upstream.requests())).toBe(true);
});
