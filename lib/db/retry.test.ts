import { describe, expect, it } from "vitest";
import { isTransientDbError, withTransientRetry } from "./retry";

describe("isTransientDbError", () => {
  it("recognises busy-database errors of Prisma, PostgreSQL and SQLite, however deeply wrapped", () => {
    expect(isTransientDbError({ code: "P2028", message: "Transaction API error" })).toBe(true);
    expect(isTransientDbError({ code: "P2034" })).toBe(true);
    expect(isTransientDbError(new Error("outer", { cause: { originalCode: "55P03" } }))).toBe(true);
    expect(isTransientDbError(new Error("SqliteError: database is locked"))).toBe(true);
    expect(isTransientDbError(new Error("timeout exceeded when trying to connect"))).toBe(true);
  });
  it("leaves real errors alone", () => {
    expect(isTransientDbError({ code: "P2002", message: "Unique constraint failed" })).toBe(false);
    expect(isTransientDbError(new Error("Foreign key constraint violated"))).toBe(false);
    expect(isTransientDbError(undefined)).toBe(false);
  });
});

describe("withTransientRetry", () => {
  it("retries transient errors until the work succeeds, and gives up on others at once", async () => {
    let calls = 0;
    const result = await withTransientRetry(async () => {
      calls++;
      if (calls < 3) throw Object.assign(new Error("busy"), { code: "P2028" });
      return "done";
    });
    expect({ result, calls }).toEqual({ result: "done", calls: 3 });

    let failures = 0;
    await expect(
      withTransientRetry(async () => {
        failures++;
        throw Object.assign(new Error("duplicate"), { code: "P2002" });
      }),
    ).rejects.toThrow("duplicate");
    expect(failures).toBe(1);
  });
});
