import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeWechat, type RecordedCall, startFakeWechat } from "./server";

const MP = { appId: "wx0123456789abcdef", appSecret: "mpsecret0123456789abcd" };
const WORK = { corpId: "ww0123456789abcdef", secret: "work-secret-0123456789", agentId: 1000002 };
let fake: FakeWechat;
let nextUser = 1;

beforeAll(async () => {
  fake = await startFakeWechat({ port: 0, mp: MP, work: WORK });
});
afterAll(async () => {
  await fake.close();
});

/** A user of the test's own, so tests never see each other's messages. */
const newUser = () => `user-${nextUser++}`;

async function api(path: string, { query = {}, body }: { query?: Record<string, string>; body?: unknown } = {}) {
  const response = await fetch(`${fake.url}${path}?${new URLSearchParams(query)}`, {
    method: body === undefined ? "GET" : "POST",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { errcode?: number; errmsg?: string } & Record<string, unknown>;
}

async function hook<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${fake.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as T;
}

const seq = async () => (await hook<{ seq: number }>("/__seq")).seq;

async function mpToken() {
  const answer = await api("/mp/cgi-bin/token", {
    query: { grant_type: "client_credential", appid: MP.appId, secret: MP.appSecret },
  });
  return answer.access_token as string;
}

async function workToken() {
  const answer = await api("/work/cgi-bin/gettoken", { query: { corpid: WORK.corpId, corpsecret: WORK.secret } });
  return answer.access_token as string;
}

const customSend = (token: string, touser: string, content: string) =>
  api("/mp/cgi-bin/message/custom/send", {
    query: { access_token: token },
    body: { touser, msgtype: "text", text: { content } },
  });

const workSend = (token: string, message: Record<string, unknown>) =>
  api("/work/cgi-bin/message/send", { query: { access_token: token }, body: { agentid: WORK.agentId, ...message } });

describe("Official Account (mp)", () => {
  it("issues a token for the right appid and secret, and refuses the others with Tencent's codes", async () => {
    const mark = await seq();
    const ok = await api("/mp/cgi-bin/token", {
      query: { grant_type: "client_credential", appid: MP.appId, secret: MP.appSecret },
    });
    expect(ok).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    const wrongSecret = await api("/mp/cgi-bin/token", {
      query: { grant_type: "client_credential", appid: MP.appId, secret: "nope" },
    });
    expect(wrongSecret.errcode).toBe(40125);
    expect(wrongSecret.errmsg).toMatch(/^invalid appsecret rid: /);
    const wrongAppId = await api("/mp/cgi-bin/token", {
      query: { grant_type: "client_credential", appid: "wx-other", secret: MP.appSecret },
    });
    expect(wrongAppId.errcode).toBe(40013);

    const calls = await hook<RecordedCall[]>(`/__calls?since=${mark}&path=/mp/cgi-bin/token`);
    expect(calls).toHaveLength(3);
    // The secret is never recorded.
    expect(calls[0]?.query).toEqual({ grant_type: "client_credential", appid: MP.appId });
  });

  it("records a custom message, refuses content over 2,048 UTF-8 bytes and unknown tokens", async () => {
    const token = await mpToken();
    const touser = newUser();
    const mark = await seq();
    expect(await customSend(token, touser, "你好")).toEqual({ errcode: 0, errmsg: "ok" });
    // 682 × 3 + 2 = 2,048 bytes pass; one more Chinese character (2,051 bytes) is refused, though it is 683 characters.
    expect((await customSend(token, touser, `${"好".repeat(682)}ab`)).errcode).toBe(0);
    expect((await customSend(token, touser, "好".repeat(683))).errcode).toBe(45002);
    expect((await customSend("forged", touser, "hi")).errcode).toBe(40001);

    const calls = await hook<RecordedCall[]>(`/__calls?since=${mark}&touser=${touser}`);
    expect(calls.map((call) => (call.response as { errcode: number }).errcode)).toEqual([0, 0, 45002, 40001]);
    expect(calls[0]).toMatchObject({
      method: "POST",
      path: "/mp/cgi-bin/message/custom/send",
      query: { access_token: token },
      body: { touser, msgtype: "text", text: { content: "你好" } },
      status: 200,
    });
    expect(await hook(`/__calls?since=${mark}&touser=someone-else`)).toEqual([]);
  });

  it("expired tokens answer 42001 until the app fetches a new one", async () => {
    const old = await mpToken();
    await hook("/__expire-tokens", { api: "mp" });
    expect((await customSend(old, newUser(), "hi")).errcode).toBe(42001);
    const fresh = await mpToken();
    expect(fresh).not.toBe(old);
    expect((await customSend(fresh, newUser(), "hi")).errcode).toBe(0);
  });

  it("serves registered media with its type and name; unknown media is 40007 as text/plain", async () => {
    const token = await mpToken();
    const bytes = Buffer.from("#!AMR\n fake voice");
    await hook("/__media", { mediaId: "mp-voice-1", contentType: "audio/amr", base64: bytes.toString("base64") });
    const response = await fetch(`${fake.mpUrl}/cgi-bin/media/get?access_token=${token}&media_id=mp-voice-1`);
    expect(response.headers.get("content-type")).toBe("audio/amr");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="mp-voice-1.amr"');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);

    const missing = await fetch(`${fake.mpUrl}/cgi-bin/media/get?access_token=${token}&media_id=nope`);
    expect(missing.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(((await missing.json()) as { errcode: number }).errcode).toBe(40007);
  });

  it("refuses the wrong HTTP method and a body that is not JSON", async () => {
    const token = await mpToken();
    expect((await api("/mp/cgi-bin/message/custom/send", { query: { access_token: token } })).errcode).toBe(43002);
    const response = await fetch(`${fake.mpUrl}/cgi-bin/message/custom/send?access_token=${token}`, {
      method: "POST",
      body: "{not json",
    });
    expect(((await response.json()) as { errcode: number }).errcode).toBe(47001);
    expect((await fetch(`${fake.url}/mp/cgi-bin/unknown`)).status).toBe(404);
  });
});

describe("WeCom (work)", () => {
  it("issues the same token until it expires, and refuses a wrong corpid or secret", async () => {
    const first = await api("/work/cgi-bin/gettoken", { query: { corpid: WORK.corpId, corpsecret: WORK.secret } });
    expect(first).toEqual({ errcode: 0, errmsg: "ok", access_token: expect.any(String), expires_in: 7200 });
    expect(await workToken()).toBe(first.access_token);
    const wrongSecret = await api("/work/cgi-bin/gettoken", { query: { corpid: WORK.corpId, corpsecret: "nope" } });
    expect(wrongSecret.errcode).toBe(40001);
    expect(wrongSecret.errmsg).toMatch(/^invalid secret, hint: \[.+\], from ip: .+, more info at .+\?e=40001$/);
    expect(
      (await api("/work/cgi-bin/gettoken", { query: { corpid: "ww-other", corpsecret: WORK.secret } })).errcode,
    ).toBe(40013);
  });

  it("sends text and markdown, refusing over 2,048 bytes, another app's agentid and unknown tokens", async () => {
    const token = await workToken();
    const touser = newUser();
    const mark = await seq();
    const text = await workSend(token, { touser, msgtype: "text", text: { content: "你好" } });
    expect(text).toMatchObject({ errcode: 0, errmsg: "ok", msgid: expect.any(String) });
    expect((await workSend(token, { touser, msgtype: "markdown", markdown: { content: "**粗体**" } })).errcode).toBe(0);
    expect(
      (await workSend(token, { touser, msgtype: "markdown", markdown: { content: "好".repeat(683) } })).errcode,
    ).toBe(45002);
    expect(
      (await workSend(token, { touser, msgtype: "text", agentid: 1000003, text: { content: "hi" } })).errcode,
    ).toBe(301002);
    expect((await workSend("forged", { touser, msgtype: "text", text: { content: "hi" } })).errcode).toBe(40014);

    const calls = await hook<RecordedCall[]>(`/__calls?since=${mark}&touser=${touser}&path=/work/`);
    expect(calls.map((call) => (call.response as { errcode: number }).errcode)).toEqual([0, 0, 45002, 301002, 40014]);
    expect(calls[1]?.body).toEqual({
      touser,
      agentid: WORK.agentId,
      msgtype: "markdown",
      markdown: { content: "**粗体**" },
    });
  });

  it("expired tokens answer 42001 and gettoken then issues a new one", async () => {
    const old = await workToken();
    await hook("/__expire-tokens", { api: "work" });
    const touser = newUser();
    expect((await workSend(old, { touser, msgtype: "text", text: { content: "hi" } })).errcode).toBe(42001);
    const fresh = await workToken();
    expect(fresh).not.toBe(old);
    expect((await workSend(fresh, { touser, msgtype: "text", text: { content: "hi" } })).errcode).toBe(0);
  });

  it("refuses every call but gettoken with 60020 while the IP is refused", async () => {
    const token = await workToken();
    const touser = newUser();
    await hook("/__refuse-ip", { on: true });
    try {
      const refused = await workSend(token, { touser, msgtype: "text", text: { content: "hi" } });
      expect(refused.errcode).toBe(60020);
      expect(refused.errmsg).toMatch(/^not allow to access from your ip/);
      expect(await workToken()).toBe(token);
    } finally {
      await hook("/__refuse-ip", { on: false });
    }
    expect((await workSend(token, { touser, msgtype: "text", text: { content: "hi" } })).errcode).toBe(0);
  });

  it("serves registered media; unknown media is 40007", async () => {
    const token = await workToken();
    const bytes = Buffer.from("#!AMR\n wecom voice");
    await hook("/__media", { mediaId: "work-voice-1", contentType: "audio/amr", base64: bytes.toString("base64") });
    const response = await fetch(`${fake.workUrl}/cgi-bin/media/get?access_token=${token}&media_id=work-voice-1`);
    expect(response.headers.get("content-type")).toBe("audio/amr");
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
    expect((await api("/work/cgi-bin/media/get", { query: { access_token: token, media_id: "nope" } })).errcode).toBe(
      40007,
    );
  });
});

it("answers 413 to a body over the cap", async () => {
  const response = await fetch(`${fake.mpUrl}/cgi-bin/message/custom/send?access_token=x`, {
    method: "POST",
    body: "x".repeat(1024 * 1024 + 1),
  });
  expect(response.status).toBe(413);
});
