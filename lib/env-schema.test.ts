import { describe, expect, it } from "vitest";
import { formatEnvError, parseEnv } from "./env-schema";

const secret = "x".repeat(40);

describe("parseEnv", () => {
  it("accepts a minimal environment and fills the default model", () => {
    const result = parseEnv({ AUTH_SECRET: secret, OPENAI_API_KEY: "" });
    expect(result.success && result.data.OPENAI_MODEL).toBe("gpt-5-mini");
    expect(result.success && result.data.OPENAI_API_KEY).toBeUndefined();
  });

  it("names the wrong variables", () => {
    const result = parseEnv({ AUTH_SECRET: "short", OPENAI_BASE_URL: "not a url", DATABASE_URL: "mysql://x" });
    expect(result.success).toBe(false);
    if (result.success) return;
    const message = formatEnvError(result.error);
    expect(message).toContain("AUTH_SECRET must be at least 32 characters");
    expect(message).toContain("OPENAI_BASE_URL must be a URL");
    expect(message).toContain('DATABASE_URL must start with "file:"');
  });
});
