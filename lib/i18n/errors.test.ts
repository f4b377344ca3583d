import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { AppError, decodeErrorText, type ErrorKey, encodeErrorText } from "@/lib/errors";
import { appError, formatErrorText, localizedMessage, storedErrorMessage } from "./errors";
import en from "./messages/en.json";

describe("error messages by locale", () => {
  it("gives a zh-CN reader Chinese with the numbers formatted, and an English reader English", () => {
    const refusal = appError("bad_request", {
      key: "errors.messageTooManyTokens",
      params: { tokens: 41_234, limit: 40_000 },
    });
    expect(refusal.message).toBe("This message is 41,234 tokens long; messages are limited to 40,000 tokens.");
    expect(localizedMessage(refusal, "en")).toBe(refusal.message);
    expect(localizedMessage(refusal, "zh-CN")).toBe("这条消息有 41,234 个 token，单条消息最多 40,000 个 token。");
    expect(
      formatErrorText({ key: "validation.settingRange", params: { field: "topP", min: 0, max: 1 } }, "zh-CN"),
    ).toBe("Top P 必须在 0 到 1 之间。");
  });

  it("falls back to the error's English message for an error made without a key, and to the key for an unknown one", () => {
    expect(localizedMessage(new AppError("conflict", "Taken."), "zh-CN")).toBe("Taken.");
    const renamed = new AppError("conflict", "Taken.", { key: "errors.removedSinceDeploy" as ErrorKey });
    expect(localizedMessage(renamed, "zh-CN")).toBe("Taken.");
    expect(formatErrorText({ key: "errors.noSuchKey" as ErrorKey }, "zh-CN")).toBe("errors.noSuchKey");
  });

  it("stores a failure as its key, shown in the reader's language; an older stored sentence stays as it is", () => {
    const stored = encodeErrorText({ key: "errors.timeoutTotal", params: { seconds: 300 } });
    expect(decodeErrorText(stored)).toEqual({ key: "errors.timeoutTotal", params: { seconds: 300 } });
    expect(storedErrorMessage(stored, "en")).toBe("The reply took longer than 300 s, so it was cut off.");
    expect(storedErrorMessage(stored, "zh-CN")).toBe("回复用时超过 300 秒，已被截断。");
    const older = "The model provider had a server error (500): oops Retry in a moment.";
    expect(decodeErrorText(older)).toBeNull();
    expect(storedErrorMessage(older, "zh-CN")).toBe(older);
    expect(decodeErrorText('{"not":"ours"}')).toBeNull();
  });

  it("has a message in en.json for every error key the code names", () => {
    // Every "errors.…" / "validation.…" literal in lib/, app/ and components/ (tsc checks most through ErrorKey; this
    // also covers zod messages, which are plain strings to the compiler).
    const found = execFileSync(
      "grep",
      [
        "-rhoE",
        "--include=*.ts",
        "--include=*.tsx",
        "--exclude=*.test.ts",
        `"(errors|validation)\\.[A-Za-z]+"`,
        "lib",
        "app",
        "components",
      ],
      { encoding: "utf8" },
    );
    const keys = new Set(
      found
        .split("\n")
        .filter(Boolean)
        .map((line) => line.slice(1, -1)),
    );
    expect(keys.size).toBeGreaterThan(100);
    const messages = en as unknown as Record<string, Record<string, string>>;
    const missing = [...keys].filter((key) => {
      const [namespace = "", name = ""] = key.split(".");
      return messages[namespace]?.[name] === undefined;
    });
    expect(missing).toEqual([]);
  });
});
