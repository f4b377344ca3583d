import { describe, expect, it } from "vitest";
import { AppError } from "./errors";
import { errorResponse, RETRY_AFTER_SECONDS } from "./http";

describe("errorResponse", () => {
  it("answers a busy server with 503 and Retry-After, and other errors with their status alone", async () => {
    const busy = errorResponse(new AppError("unavailable", "The server is busy right now."), "test");
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
    expect(await busy.json()).toEqual({ error: { code: "unavailable", message: "The server is busy right now." } });

    const exhausted = errorResponse(new Error("timeout exceeded when trying to connect"), "test");
    expect(exhausted.status).toBe(503);
    expect(exhausted.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));

    const refused = errorResponse(new AppError("budget_exceeded", "Over budget."), "test");
    expect(refused.status).toBe(402);
    expect(refused.headers.get("retry-after")).toBeNull();
  });
});
