import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { formatErrorText } from "@/lib/i18n/errors";
import { describeUpstreamError, redactSecrets, UpstreamStreamError } from "./errors";

/** The failure as an English reader sees it. */
const upstreamText = (...args: Parameters<typeof describeUpstreamError>) =>
  formatErrorText(describeUpstreamError(...args), "en");

/** What the `openai` SDK throws for an error status, built as its client does from the response. */
function apiError(status: number, body: object | string) {
  const json = typeof body === "string" ? undefined : body;
  return OpenAI.APIError.generate(status, json, typeof body === "string" ? body : undefined, new Headers());
}

describe("describeUpstreamError", () => {
  it("explains a rejected key without echoing the key", () => {
    const text = upstreamText(
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
    const text = upstreamText(apiError(401, { error: { message: `Access denied for key ${key}.` } }), {
      secrets: [key],
    });
    expect(text).toContain("Access denied for key [redacted].");
    expect(text).not.toContain(key);
  });

  it("names rate limits in the upstream's words", () => {
    const limited = apiError(429, { error: { message: "Rate limit reached for gpt-5-mini." } });
    expect(upstreamText(limited)).toMatch(/rate limiting.*429.*Rate limit reached for gpt-5-mini/);
  });

  it("says a stream cut after the provider began answering dropped, not that it was refused", () => {
    // What lib/ai/chat-stream.ts throws when the connection drops mid-stream: the fetch's "terminated".
    const cut = new UpstreamStreamError("terminated");
    const afterText = upstreamText(cut, { hasPartialReply: true });
    expect(afterText).toMatch(/^The connection to the model provider dropped after part of the reply \(terminated\)/);
    expect(afterText).not.toMatch(/refused|200/);
    expect(upstreamText(cut)).toMatch(/^The connection to the model provider dropped before the reply/);
  });

  it("describes server errors and unreachable servers, without the key", () => {
    expect(upstreamText(apiError(500, "<html>oops</html>"))).toMatch(/server error \(500\)/);
    const unreachable = new OpenAI.APIConnectionError({
      cause: new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") }),
    });
    expect(upstreamText(unreachable)).toMatch(/^Could not reach the model provider\. Retry in a moment/);
    expect(upstreamText(unreachable)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|:9\b/);
    expect(upstreamText(new UpstreamStreamError("key sk-live-abcdef123456 leaked"))).not.toContain("abcdef123456");
  });

  it("passes on no address, file path or stack frame in the provider's or the network's words", () => {
    const gateway = apiError(502, {
      error: { message: "upstream connect error: connect ECONNREFUSED 10.0.3.7:8080 via proxy.internal:3128" },
    });
    const text = upstreamText(gateway);
    expect(text).toMatch(
      /server error \(502\): upstream connect error: connect ECONNREFUSED \[address\] via \[address\]/,
    );
    const crash = new Error(
      "ENOENT: no such file or directory, open '/srv/app/.next/server/chunks/x.js'\n    at Object.openSync (node:fs:573:18)",
    );
    expect(upstreamText(crash)).toBe("The reply failed: ENOENT: no such file or directory, open '[path]'");
    const cut = upstreamText(new UpstreamStreamError("read ECONNRESET [::1]:443 http://127.0.0.1:4010/v1/chat"));
    expect(cut).toBe(
      "The connection to the model provider dropped before the reply arrived (read ECONNRESET [address] [address]).",
    );
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
