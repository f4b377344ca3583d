import { APICallError, RetryError } from "ai";
import { describe, expect, it } from "vitest";
import { describeUpstreamError, redactSecrets } from "./errors";

function apiError(statusCode: number | undefined, body: object | string) {
  return new APICallError({
    message: "call failed",
    url: "http://upstream/v1/chat/completions",
    requestBodyValues: {},
    statusCode,
    responseBody: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("describeUpstreamError", () => {
  it("explains a rejected key without echoing the key", () => {
    const text = describeUpstreamError(
      apiError(401, {
        error: { message: "Incorrect API key provided: sk-proj-abcdef123456.", code: "invalid_api_key" },
      }),
    );
    expect(text).toContain("401");
    expect(text).toContain("OPENAI_API_KEY");
    expect(text).not.toContain("abcdef123456");
  });

  it("redacts the configured key even when it has no key-like shape", () => {
    const key = "0123456789abcdef0123456789abcdef";
    const text = describeUpstreamError(apiError(401, { error: { message: `Access denied for key ${key}.` } }), {
      secrets: [key],
    });
    expect(text).toContain("Access denied for key [redacted].");
    expect(text).not.toContain(key);
  });

  it("unwraps retries and names rate limits", () => {
    const last = apiError(429, { error: { message: "Rate limit reached for gpt-5-mini." } });
    const retry = new RetryError({
      message: "failed after 2 attempts",
      reason: "maxRetriesExceeded",
      errors: [last, last],
    });
    expect(describeUpstreamError(retry)).toMatch(/rate limiting.*429.*Rate limit reached for gpt-5-mini/);
  });

  it("says a stream cut after the provider began answering dropped, not that it was refused", () => {
    // What the AI SDK throws when the connection drops mid-stream (see e2e/fake-openai/README.md).
    const cut = new APICallError({
      message: "Failed to process successful response",
      url: "http://upstream/v1/chat/completions",
      requestBodyValues: {},
      statusCode: 200,
      cause: new TypeError("terminated"),
    });
    const afterText = describeUpstreamError(cut, { hasPartialReply: true });
    expect(afterText).toMatch(/^The connection to the model provider dropped after part of the reply/);
    expect(afterText).not.toMatch(/refused|200/);
    expect(describeUpstreamError(cut)).toMatch(/^The connection to the model provider dropped before the reply/);
  });

  it("describes server errors and unreachable servers", () => {
    expect(describeUpstreamError(apiError(500, "<html>oops</html>"))).toMatch(/server error \(500\)/);
    expect(describeUpstreamError(apiError(undefined, ""))).toMatch(/Could not reach/);
  });
});

describe("redactSecrets", () => {
  it("masks key-like tokens only", () => {
    expect(redactSecrets("key sk-test1234 and skill-set")).toBe("key sk-… and skill-set");
  });

  it("removes configured secrets verbatim, whatever their shape, but not short values", () => {
    const azureKey = "0123456789abcdef0123456789abcdef";
    expect(redactSecrets(`Access denied for key ${azureKey}.`, [azureKey, "abc"])).toBe(
      "Access denied for key [redacted].",
    );
    expect(redactSecrets("abc abc", ["abc"])).toBe("abc abc");
  });
});
