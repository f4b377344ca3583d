import { describe, expect, it } from "vitest";
import { AppError } from "./errors";
import { hashPassword, randomPassword, verifyPassword } from "./passwords";

// The real worker thread and bcrypt at the app's cost (about 0.2 s a hash on an idle core).
describe("password hashing off the event loop", () => {
  it("hashes and verifies; an unknown account's check fails after the same work", async () => {
    const hash = await hashPassword("correct horse 42");
    expect(hash).toMatch(/^\$2[ab]\$12\$/);
    expect(await verifyPassword("correct horse 42", hash)).toBe(true);
    expect(await verifyPassword("wrong horse 42", hash)).toBe(false);
    expect(await verifyPassword("correct horse 42", null)).toBe(false);
  });

  it("refuses at once, as busy, what would wait behind more than 16", async () => {
    const checks = Array.from({ length: 20 }, () => verifyPassword("a guess 1", undefined));
    // The 17 admitted run on in the worker (seconds on a loaded machine); only the refusals are awaited.
    for (const admitted of checks.slice(0, 17)) admitted.catch(() => {});
    for (const refused of checks.slice(17)) {
      await expect(refused).rejects.toBeInstanceOf(AppError);
      await expect(refused).rejects.toMatchObject({ code: "unavailable", text: { key: "errors.busy" } });
    }
  });

  it("makes random passwords of 16 URL-safe characters", () => {
    const passwords = new Set(Array.from({ length: 100 }, randomPassword));
    expect(passwords.size).toBe(100);
    for (const password of passwords) expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });
});
