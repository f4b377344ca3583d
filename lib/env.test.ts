import { afterEach, describe, expect, it, vi } from "vitest";
import { configuredSecrets } from "./env";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("configuredSecrets", () => {
  it("lists every configured secret and a database URL's password, decoded", () => {
    vi.stubEnv("OPENAI_API_KEY", "sk-live-0123456789");
    vi.stubEnv("AUTH_SECRET", "auth-secret-value-0123456789");
    vi.stubEnv("AUTH_GITHUB_SECRET", "");
    vi.stubEnv("AUTH_GOOGLE_SECRET", "google-secret-0123");
    vi.stubEnv("DATABASE_URL", "postgres://app:p%40ss%2Fword@db.example:5432/chat");
    expect(configuredSecrets()).toEqual([
      "sk-live-0123456789",
      "auth-secret-value-0123456789",
      "google-secret-0123",
      "p@ss/word",
    ]);
  });

  it("takes nothing from a SQLite path", () => {
    vi.stubEnv("OPENAI_API_KEY", "");
    vi.stubEnv("AUTH_SECRET", "");
    vi.stubEnv("AUTH_GITHUB_SECRET", "");
    vi.stubEnv("AUTH_GOOGLE_SECRET", "");
    vi.stubEnv("DATABASE_URL", "file:./data/chatledger.db");
    expect(configuredSecrets()).toEqual([]);
  });
});
