import { describe, expect, it } from "vitest";
import { AppError } from "./errors";
import { downloadHeaders, errorResponse, pathIds, RETRY_AFTER_SECONDS, readJson } from "./http";
import { appError } from "./i18n/errors";

describe("errorResponse", () => {
  it("answers a busy server with 503 and Retry-After, and other errors with their status alone", async () => {
    const busy = await errorResponse(new AppError("unavailable", "The server is busy right now."), "test", "en");
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
    expect(await busy.json()).toEqual({ error: { code: "unavailable", message: "The server is busy right now." } });

    const exhausted = await errorResponse(new Error("timeout exceeded when trying to connect"), "test", "en");
    expect(exhausted.status).toBe(503);
    expect(exhausted.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
    expect((await exhausted.json()).error.key).toBe("errors.busy");

    const refused = await errorResponse(new AppError("budget_exceeded", "Over budget."), "test", "en");
    expect(refused.status).toBe(402);
    expect(refused.headers.get("retry-after")).toBeNull();
  });

  it("writes the message in the request's language, with the key and arguments beside it", async () => {
    const refusal = appError("budget_exceeded", {
      key: "errors.budgetWouldExceed",
      params: {
        cost: "$0.004442",
        promptTokens: 12_345,
        maxOutputTokens: 16_384,
        model: "gpt-4o",
        left: "$0.001000",
        limit: "$5.00",
        spent: "$4.99",
        reserved: "$0.00",
        hasInProgress: "no",
        resetDate: "2026-01-01",
      },
    });
    const zh = await (await errorResponse(refusal, "test", "zh-CN")).json();
    expect(zh.error.message).toBe(
      "这条消息最多可能花费 $0.004442（gpt-4o 上 12,345 个输入 token + 最多 16,384 个输出 token），" +
        "但你每月 $5.00 的预算只剩 $0.001000（已花费 $4.99，预留 $0.00）。请在设置中提高预算，或等到 2026-01-01 预算重置。",
    );
    expect(zh.error).toMatchObject({ code: "budget_exceeded", key: "errors.budgetWouldExceed" });
    expect(zh.error.params).toMatchObject({ promptTokens: 12_345, limit: "$5.00" });

    const en = await (await errorResponse(refusal, "test", "en")).json();
    expect(en.error.message).toBe(
      "This message could cost up to $0.004442 (12,345 prompt tokens + up to 16,384 output tokens on gpt-4o), " +
        "but only $0.001000 of your $5.00 monthly budget is left ($4.99 spent, $0.00 reserved). " +
        "Raise your budget in Settings, or wait until it resets on 2026-01-01.",
    );
    expect(en.error.message).toBe(refusal.message);
  });
});

describe("downloadHeaders", () => {
  const disposition = (name: string) =>
    downloadHeaders({ name, extension: "md", contentType: "text/markdown" })["Content-Disposition"];

  it("names the file after the title: an ASCII fallback and the exact title as UTF-8", () => {
    expect(disposition("Résumé: plan for Q3?")).toBe(
      `attachment; filename="resume-plan-for-q3.md"; filename*=UTF-8''R%C3%A9sum%C3%A9%20plan%20for%20Q3.md`,
    );
    expect(disposition("中英互译")).toBe(
      `attachment; filename="download.md"; filename*=UTF-8''%E4%B8%AD%E8%8B%B1%E4%BA%92%E8%AF%91.md`,
    );
  });

  it("never lets a title carry a path, a quote, a control character or a header break", () => {
    const header = disposition('../../etc/"passwd"\r\nSet-Cookie: x=1');
    expect(header).toBe(
      `attachment; filename="etc-passwd-set-cookie-x1.md"; filename*=UTF-8''etc%20passwd%20Set-Cookie%20x%3D1.md`,
    );
    expect(disposition("   ")).toBe(`attachment; filename="download.md"; filename*=UTF-8''download.md`);
    expect(disposition("it's (draft)")).toContain("filename*=UTF-8''it%27s%20%28draft%29.md");
  });
});

describe("readJson", () => {
  function streamed(text: string, contentType = "application/json; charset=utf-8") {
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 4) controller.enqueue(bytes.slice(at, at + 4));
        controller.close();
      },
    });
    // No Content-Length: the cap must hold while reading.
    const headers = { "content-type": contentType };
    return new Request("http://test/", { method: "POST", body, headers, duplex: "half" } as RequestInit);
  }

  it("parses a body within the cap, whatever its chunks", async () => {
    expect(await readJson(streamed('{"title":"中文"}'), 100)).toEqual({ title: "中文" });
  });

  it("refuses a body over the cap while reading it, and malformed JSON", async () => {
    await expect(readJson(streamed(`"${"x".repeat(200)}"`), 100)).rejects.toThrow(
      "Request body too large (limit 100 bytes).",
    );
    await expect(readJson(streamed("{"), 100)).rejects.toThrow("Request body must be valid JSON.");
  });

  it("reads JSON only: a text/plain body (a cross-site form or no-cors fetch) or none declared is a 415", async () => {
    for (const contentType of ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", ""]) {
      const refused = await readJson(streamed('{"title":"x"}', contentType), 100).catch((error: unknown) => error);
      expect(refused, contentType).toMatchObject({ code: "unsupported_media_type", status: 415 });
    }
    expect(await readJson(streamed("{}", "Application/JSON"), 100)).toEqual({});
  });

  it("refuses invalid UTF-8 rather than reading it as U+FFFD", async () => {
    const body = new Uint8Array([0x22, 0xe0, 0xa4, 0x22]); // "<half a Devanagari letter>"
    const request = new Request("http://test/", {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    });
    await expect(readJson(request, 100)).rejects.toThrow("Request body must be valid UTF-8.");
  });

  it("refuses NUL and lone surrogates in any string or key, however escaped", async () => {
    const refusal = "Text cannot contain the NUL character or a broken Unicode character (half of a surrogate pair).";
    for (const body of [
      '{"text":"a\\u0000b"}',
      '{"deep":[{"title":"\\ud83d"}]}',
      '{"a\\u0000":1}',
      '{"x":"\\udc00 tail"}',
    ]) {
      await expect(readJson(streamed(body), 1000), body).rejects.toThrow(refusal);
    }
    expect(await readJson(streamed('{"emoji":"\\ud83d\\ude00"}'), 100)).toEqual({ emoji: "😀" });
  });

  it("drops __proto__ keys, so nothing merged from a body can set a prototype", async () => {
    const parsed = (await readJson(
      streamed('{"__proto__":{"isAdmin":true},"a":{"__proto__":{"x":1}},"b":2}'),
      1000,
    )) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(["a", "b"]);
    const merged = Object.assign({}, parsed, parsed.a);
    expect((merged as { isAdmin?: boolean }).isAdmin).toBeUndefined();
    expect(({} as { isAdmin?: boolean; x?: number }).x).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });
});

describe("pathIds", () => {
  it("passes ids through, and refuses one holding NUL or a lone surrogate with a 400", async () => {
    expect(await pathIds(Promise.resolve({ id: "abc_DEF-123", messageId: "中文" }))).toEqual({
      id: "abc_DEF-123",
      messageId: "中文",
    });
    for (const id of ["a\0b", "\uD800"]) {
      await expect(pathIds(Promise.resolve({ id }))).rejects.toMatchObject({
        code: "bad_request",
        text: { key: "errors.inputUnstorableText" },
      });
    }
  });
});
