import { describe, expect, it } from "vitest";
import { MAX_ACTION_BODY_BYTES, malformedPathProblem, refusal } from "./request-guards";

const request = (pathname: string, method = "GET", headers: Record<string, string> = {}, body?: string) =>
  Object.assign(new Request(`http://test${pathname}`, { method, headers, body }), { nextUrl: { pathname } });

async function errorOf(response: Response | null) {
  if (!response) throw new Error("not refused");
  return (await response.json()).error;
}

describe("malformedPathProblem", () => {
  it("refuses broken escapes, bytes that are not UTF-8, NUL and lone surrogates", () => {
    for (const path of ["/c/%E0%A4%A", "/c/%ZZ", "/share/%", "/c/%C0%AF", "/c/%ED%A0%80", "/c/%FF"]) {
      expect(malformedPathProblem(path)?.key, path).toBe("errors.inputMalformedPath");
    }
    expect(malformedPathProblem("/c/a%00b")?.key).toBe("errors.inputUnstorableText");
  });

  it("lets any well-formed path through, escaped or not", () => {
    for (const path of ["/", "/c/abc_DEF-123", "/c/%E4%B8%AD%E6%96%87", "/share/%F0%9F%98%80", "/a%20b"]) {
      expect(malformedPathProblem(path), path).toBeNull();
    }
  });
});

describe("refusal", () => {
  it("answers a malformed path with a JSON 400 in the visitor's language", async () => {
    const english = await refusal(request("/c/%E0%A4%A"));
    expect(english?.status).toBe(400);
    expect(await english?.json()).toEqual({
      error: {
        code: "bad_request",
        key: "errors.inputMalformedPath",
        message: "This address is malformed (a broken % escape).",
      },
    });
    const chinese = await refusal(request("/c/%ZZ", "GET", { cookie: "a=1; NEXT_LOCALE=zh-CN" }));
    expect((await errorOf(chinese)).message).toBe("此地址格式有误（% 转义不完整）。");
  });

  it("refuses a server action without a declared length, over the limit, or not as Next's client sends it", async () => {
    const action = (body: string | undefined, headers: Record<string, string> = {}) =>
      refusal(
        request(
          "/settings",
          "POST",
          { "next-action": "7f00", "content-type": "text/plain;charset=UTF-8", ...headers },
          body,
        ),
      );
    expect((await action(undefined))?.status).toBe(411);
    const tooLarge = await action("[]", { "content-length": String(MAX_ACTION_BODY_BYTES + 1) });
    expect(tooLarge?.status).toBe(413);
    expect((await errorOf(tooLarge)).message).toBe(`Request body too large (limit ${MAX_ACTION_BODY_BYTES} bytes).`);
    for (const garbage of ["garbage", '{"$K1":']) {
      const answer = await action(garbage, { "content-length": String(garbage.length) });
      expect(answer?.status, garbage).toBe(400);
      expect((await errorOf(answer)).key).toBe("errors.inputMalformedAction");
    }
    const form = { "content-type": "multipart/form-data; boundary=x", "content-length": "7" };
    expect((await action("garbage", form))?.status).toBe(400);
    expect(await action('["$K1"]', { "content-length": "7" })).toBeNull();
    const valid = '--x\r\nContent-Disposition: form-data; name="0"\r\n\r\n["$K1"]\r\n--x--\r\n';
    expect(await action(valid, { ...form, "content-length": String(valid.length) })).toBeNull();
    expect(await refusal(request("/settings", "POST", { "content-type": "text/plain" }, "x"))).toBeNull();
    expect(await refusal(request("/c/abc"))).toBeNull();
  });

  it("refuses an argument list React's decoder would fail on: not an array, or a reference no action takes", async () => {
    const action = (body: string) =>
      refusal(
        request(
          "/settings",
          "POST",
          { "next-action": "7f00", "content-type": "text/plain;charset=UTF-8", "content-length": String(body.length) },
          body,
        ),
      );
    for (const refused of ['"x"', "42", "null", "{}", '["$1"]', '["$Q3"]', '["$B99"]', '[{"a":["$@7"]}]', '["$h5"]']) {
      expect((await errorOf(await action(refused))).key, refused).toBe("errors.inputMalformedAction");
    }
    for (const accepted of [
      "[]",
      '["en"]',
      '["$undefined","$K1"]',
      '[{"error":"$$5 is a price","n":"$n12","d":"$D2026-12-03T00:00:00.000Z"},"$Kff"]',
      '["$NaN","$-Infinity","$-0"]',
    ]) {
      expect(await action(accepted), accepted).toBeNull();
    }
  });
});
