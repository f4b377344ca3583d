// A fake of Tencent's server APIs for e2e and integration tests: plain node:http, speaking the real wire format so the
// app's WeChat Official Account (公众号) and WeCom (企业微信) clients run unchanged against it. One server, two roots:
// `${url}/mp` stands for https://api.weixin.qq.com (WECHAT_API_BASE_URL) and `${url}/work` for
// https://qyapi.weixin.qq.com (WECOM_API_BASE_URL).
//
// Answers are JSON with errcode/errmsg and HTTP 200 even for errors, as Tencent's are; errmsg carries Tencent's
// suffix (MP: " rid: …", WeCom: ", hint: […], from ip: …, more info at …?e=<code>"), so the app must read errcode.
// An unknown path is HTTP 404; the wrong HTTP method is 43001 "require GET method" / 43002 "require POST method".
//
//   MP    GET  /mp/cgi-bin/token?grant_type=client_credential&appid=&secret=    40013 appid, 40125 secret
//         POST /mp/cgi-bin/message/custom/send?access_token=   text only; 45002 over 2,048 UTF-8 bytes
//         GET  /mp/cgi-bin/media/get?access_token=&media_id=   the bytes, or 40007 (as text/plain, as MP does)
//   WeCom GET  /work/cgi-bin/gettoken?corpid=&corpsecret=       40013 corpid, 40001 secret; the same token until expired
//         POST /work/cgi-bin/message/send?access_token=        text|markdown; 45002 over 2,048 bytes; 301002 another
//                                                              app's agentid; 60020 while /__refuse-ip is on
//         GET  /work/cgi-bin/media/get?access_token=&media_id= the bytes, or 40007
// Tokens: unknown 40001 (MP) / 40014 (WeCom), expired by /__expire-tokens 42001, absent 41001.
//
// Every API call is recorded (RecordedCall, the secret left out of its query). Test hooks (not Tencent's):
//   GET  /__calls?since=&touser=&path=   recorded calls, filtered (path: a substring of the full path, /mp/… or /work/…)
//   GET  /__seq                          { seq } of the last call recorded: a mark for `since`
//   POST /__media { mediaId, contentType, base64, fileName? }   media both APIs' media/get serve
//   POST /__expire-tokens { api: "mp" | "work" }                 every token issued so far answers 42001 from now on
//   POST /__refuse-ip { on }                                     WeCom refuses this server's IP (60020)
// Run standalone: `tsx e2e/fake-wechat/server.ts --port 4030 [--app-id --app-secret --corp-id --corp-secret --agent-id]`
// prints both base URLs (default credentials, valid for the app's settings: see the end of this file).

import { randomBytes } from "node:crypto";
import type http from "node:http";
import { serveFake } from "../fake-http";

export type WechatApi = "mp" | "work";

export interface RecordedCall {
  seq: number;
  method: string;
  /** The full path, prefix included: /mp/cgi-bin/token, /work/cgi-bin/message/send. */
  path: string;
  /** Query parameters, `secret` and `corpsecret` left out. */
  query: Record<string, string>;
  /** The parsed JSON body, or null. */
  body: unknown;
  status: number;
  /** The JSON sent, or `{ contentType, size }` for media bytes. */
  response: unknown;
  /** ISO timestamp of arrival. */
  time: string;
}

export interface FakeWechatOptions {
  /** 0 or absent: a free port picked by the OS. */
  port?: number;
  host?: string;
  mp: { appId: string; appSecret: string };
  work: { corpId: string; secret: string; agentId: number };
}

export interface FakeWechat {
  /** http://127.0.0.1:<port>: the root of both APIs. */
  url: string;
  /** WECHAT_API_BASE_URL: `${url}/mp`. */
  mpUrl: string;
  /** WECOM_API_BASE_URL: `${url}/work`. */
  workUrl: string;
  port: number;
  calls(): RecordedCall[];
  close(): Promise<void>;
}

/** Text (MP, WeCom) and markdown (WeCom) content, in UTF-8 bytes. */
const MAX_CONTENT_BYTES = 2048;
/** A message body is a few kB; more is a bug in the app, not a message. */
const MAX_API_BODY_BYTES = 1024 * 1024;
/** WeCom's file media go up to 20 MB, as base64. */
const MAX_HOOK_BODY_BYTES = 32 * 1024 * 1024;
const TOKEN_LIFETIME_SECONDS = 7200;
const SECRET_PARAMS = new Set(["secret", "corpsecret"]);

class WechatError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(errmsg);
  }
}

class BodyTooLarge extends Error {}

interface StoredMedia {
  bytes: Buffer;
  contentType: string;
  fileName: string;
}

interface Reply {
  json?: Record<string, unknown>;
  /** MP answers media/get errors as text/plain. */
  jsonType?: string;
  media?: StoredMedia;
}

type Route = { method: "GET" | "POST"; handle: (query: URLSearchParams, body: unknown) => Reply };

export async function startFakeWechat(options: FakeWechatOptions): Promise<FakeWechat> {
  const { mp, work } = options;
  const log: RecordedCall[] = [];
  let seq = 0;
  /** Every token issued, valid or expired. */
  const tokens = { mp: new Map<string, { expired: boolean }>(), work: new Map<string, { expired: boolean }>() };
  let currentWorkToken: string | null = null;
  const media = new Map<string, StoredMedia>();
  let refuseIp = false;

  const issueToken = (api: WechatApi) => {
    const token = randomBytes(96).toString("base64url");
    tokens[api].set(token, { expired: false });
    return token;
  };

  function assertToken(api: WechatApi, query: URLSearchParams) {
    const token = query.get("access_token");
    if (!token) throw new WechatError(41001, "access_token missing");
    const state = tokens[api].get(token);
    if (!state) {
      throw api === "mp"
        ? new WechatError(40001, "invalid credential")
        : new WechatError(40014, "invalid access_token");
    }
    if (state.expired) throw new WechatError(42001, "access_token expired");
    if (api === "work" && refuseIp) throw new WechatError(60020, "not allow to access from your ip");
  }

  function content(body: unknown, types: string[]): { touser: string; content: string } {
    const message = (body ?? {}) as Record<string, unknown>;
    const msgtype = message.msgtype;
    if (typeof msgtype !== "string" || !types.includes(msgtype)) throw new WechatError(40008, "invalid message type");
    const text = (message[msgtype] as { content?: unknown } | undefined)?.content;
    if (typeof text !== "string" || text === "") throw new WechatError(44004, "empty content");
    if (Buffer.byteLength(text, "utf8") > MAX_CONTENT_BYTES) {
      throw new WechatError(45002, "content size out of limit");
    }
    return { touser: typeof message.touser === "string" ? message.touser : "", content: text };
  }

  function mediaGet(api: WechatApi, query: URLSearchParams): Reply {
    assertToken(api, query);
    const found = media.get(query.get("media_id") ?? "");
    if (!found) throw new WechatError(40007, "invalid media_id");
    return { media: found };
  }

  const routes: Record<WechatApi, Record<string, Route>> = {
    mp: {
      "/cgi-bin/token": {
        method: "GET",
        handle(query) {
          if (query.get("grant_type") !== "client_credential") throw new WechatError(40002, "invalid grant_type");
          if (!query.get("appid")) throw new WechatError(41002, "appid missing");
          if (!query.get("secret")) throw new WechatError(41004, "appsecret missing");
          if (query.get("appid") !== mp.appId) throw new WechatError(40013, "invalid appid");
          if (query.get("secret") !== mp.appSecret) throw new WechatError(40125, "invalid appsecret");
          // MP issues a new token on every call and keeps the earlier ones working (for 5 minutes on Tencent's side).
          return { json: { access_token: issueToken("mp"), expires_in: TOKEN_LIFETIME_SECONDS } };
        },
      },
      "/cgi-bin/message/custom/send": {
        method: "POST",
        handle(query, body) {
          assertToken("mp", query);
          const { touser } = content(body, ["text"]);
          if (touser === "") throw new WechatError(40003, "invalid openid");
          return { json: { errcode: 0, errmsg: "ok" } };
        },
      },
      "/cgi-bin/media/get": { method: "GET", handle: (query) => mediaGet("mp", query) },
    },
    work: {
      "/cgi-bin/gettoken": {
        method: "GET",
        handle(query) {
          if (!query.get("corpid")) throw new WechatError(41002, "corpid missing");
          if (!query.get("corpsecret")) throw new WechatError(41004, "corpsecret missing");
          if (query.get("corpid") !== work.corpId) throw new WechatError(40013, "invalid corpid");
          if (query.get("corpsecret") !== work.secret) throw new WechatError(40001, "invalid secret");
          // WeCom returns the same token until it expires.
          if (!currentWorkToken || tokens.work.get(currentWorkToken)?.expired) currentWorkToken = issueToken("work");
          return {
            json: { errcode: 0, errmsg: "ok", access_token: currentWorkToken, expires_in: TOKEN_LIFETIME_SECONDS },
          };
        },
      },
      "/cgi-bin/message/send": {
        method: "POST",
        handle(query, body) {
          assertToken("work", query);
          const agentId = Number((body as { agentid?: unknown } | null)?.agentid);
          if (!Number.isSafeInteger(agentId) || agentId <= 0) throw new WechatError(40056, "invalid agentid");
          if (agentId !== work.agentId) {
            throw new WechatError(301002, "not allow operate another agent with this accesstoken.");
          }
          const { touser } = content(body, ["text", "markdown"]);
          if (touser === "") throw new WechatError(81013, "user & party & tag all invalid");
          return {
            json: { errcode: 0, errmsg: "ok", invaliduser: "", msgid: randomBytes(32).toString("base64url") },
          };
        },
      },
      "/cgi-bin/media/get": { method: "GET", handle: (query) => mediaGet("work", query) },
    },
  };

  function errorBody(api: WechatApi, error: WechatError) {
    const suffix =
      api === "mp"
        ? ` rid: ${randomBytes(12)
            .toString("hex")
            .replace(/(.{8})(.{8})/, "$1-$2-")}`
        : `, hint: [${Math.floor(Date.now() / 1000)}_${randomBytes(16).toString("hex")}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=${error.errcode}`;
    return { errcode: error.errcode, errmsg: `${error.errmsg}${suffix}` };
  }

  function record(call: Omit<RecordedCall, "seq" | "time">, time: Date) {
    log.push({ seq: ++seq, ...call, time: time.toISOString() });
  }

  async function tencentApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const arrived = new Date();
    const prefix = /^\/(mp|work)(\/.*)$/.exec(url.pathname);
    const api = prefix?.[1] as WechatApi | undefined;
    const route = api ? routes[api][prefix?.[2] ?? ""] : undefined;
    const query = Object.fromEntries([...url.searchParams].filter(([name]) => !SECRET_PARAMS.has(name)));
    let body: unknown = null;
    const answer = (status: number, reply: Reply) => {
      const response = reply.media
        ? { contentType: reply.media.contentType, size: reply.media.bytes.length }
        : (reply.json ?? null);
      record({ method: req.method ?? "GET", path: url.pathname, query, body, status, response }, arrived);
      if (reply.media) {
        res.writeHead(status, {
          "content-type": reply.media.contentType,
          "content-length": reply.media.bytes.length,
          "content-disposition": `attachment; filename="${reply.media.fileName}"`,
        });
        return res.end(reply.media.bytes);
      }
      sendJson(res, status, reply.json, reply.jsonType);
    };

    let raw: string;
    try {
      raw = await readBody(req, MAX_API_BODY_BYTES);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      return answer(413, { json: { errcode: 413, errmsg: "request entity too large" } });
    }
    if (!api || !route) return answer(404, { json: { errcode: 404, errmsg: "not found" } });
    try {
      if (req.method !== route.method) {
        throw route.method === "GET"
          ? new WechatError(43001, "require GET method")
          : new WechatError(43002, "require POST method");
      }
      if (route.method === "POST") {
        try {
          body = raw.trim() === "" ? null : JSON.parse(raw);
        } catch {
          body = raw;
          throw new WechatError(47001, "data format error");
        }
      }
      answer(200, route.handle(url.searchParams, body));
    } catch (error) {
      if (!(error instanceof WechatError)) throw error;
      const isMpMedia = api === "mp" && prefix?.[2] === "/cgi-bin/media/get";
      answer(200, { json: errorBody(api, error), jsonType: isMpMedia ? "text/plain" : undefined });
    }
  }

  async function testHook(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const path = url.pathname;
    const body = async () => {
      const raw = await readBody(req, MAX_HOOK_BODY_BYTES);
      return (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    };
    if (path === "/__calls" && req.method === "GET") {
      const since = Number(url.searchParams.get("since") ?? 0);
      const touser = url.searchParams.get("touser");
      const pathPart = url.searchParams.get("path");
      return sendJson(
        res,
        200,
        log.filter(
          (call) =>
            call.seq > since &&
            (pathPart === null || call.path.includes(pathPart)) &&
            // WeCom's touser may name several users: "a|b".
            (touser === null ||
              String((call.body as { touser?: unknown } | null)?.touser ?? "")
                .split("|")
                .includes(touser)),
        ),
      );
    }
    if (path === "/__seq" && req.method === "GET") return sendJson(res, 200, { seq });
    if (path === "/__media" && req.method === "POST") {
      const { mediaId, contentType, base64, fileName } = await body();
      if (typeof mediaId !== "string" || typeof contentType !== "string" || typeof base64 !== "string") {
        return sendJson(res, 400, { error: "mediaId, contentType and base64 are required" });
      }
      const bytes = Buffer.from(base64, "base64");
      const extension = contentType.split("/")[1]?.split(";")[0] ?? "bin";
      media.set(mediaId, {
        bytes,
        contentType,
        fileName: typeof fileName === "string" ? fileName : `${mediaId}.${extension}`,
      });
      return sendJson(res, 200, { mediaId, size: bytes.length });
    }
    if (path === "/__expire-tokens" && req.method === "POST") {
      const { api } = await body();
      if (api !== "mp" && api !== "work") return sendJson(res, 400, { error: 'api must be "mp" or "work"' });
      for (const state of tokens[api].values()) state.expired = true;
      return sendJson(res, 200, { api, expired: tokens[api].size });
    }
    if (path === "/__refuse-ip" && req.method === "POST") {
      const { on } = await body();
      if (typeof on !== "boolean") return sendJson(res, 400, { error: "on must be a boolean" });
      refuseIp = on;
      return sendJson(res, 200, { on });
    }
    sendJson(res, 404, { error: `no test hook ${req.method} ${path}` });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://fake-wechat");
    if (url.pathname.startsWith("/__")) return testHook(req, res, url);
    return tencentApi(req, res, url);
  }

  const served = await serveFake({
    name: "fake-wechat",
    // An oversized or malformed body is the caller's fault: refused, not a failure of the fake.
    handle: async (req, res) => {
      try {
        await handle(req, res);
      } catch (error) {
        if (!(error instanceof BodyTooLarge || error instanceof SyntaxError)) throw error;
        sendJson(res, error instanceof BodyTooLarge ? 413 : 400, { error: error.message });
      }
    },
    answerFailure: (res) => sendJson(res, 500, { errcode: -1, errmsg: "system error" }),
    port: options.port,
    host: options.host,
  });
  const { url } = served;

  return {
    url,
    mpUrl: `${url}/mp`,
    workUrl: `${url}/work`,
    port: served.port,
    calls: () => structuredClone(log),
    close: served.close,
  };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, type = "application/json") {
  res.writeHead(status, { "content-type": `${type}; charset=utf-8` });
  res.end(JSON.stringify(body));
}

/** The body as UTF-8; over `limit` bytes, BodyTooLarge once the whole request has been read (so the answer arrives). */
function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on("end", () =>
      size > limit
        ? reject(new BodyTooLarge(`body over ${limit} bytes`))
        : resolve(Buffer.concat(chunks).toString("utf8")),
    );
    req.on("error", reject);
  });
}

// Standalone: argv[1] is this file when run as `tsx e2e/fake-wechat/server.ts` (import.meta is unavailable under CJS).
if (/[\\/]fake-wechat[\\/]server\.[cm]?[jt]s$/.test(process.argv[1] ?? "")) {
  const arg = (name: string, fallback: string) => {
    const index = process.argv.indexOf(name);
    return (index >= 0 ? process.argv[index + 1] : undefined) ?? fallback;
  };
  startFakeWechat({
    port: Number(arg("--port", "0")),
    mp: { appId: arg("--app-id", "wx0123456789abcdef"), appSecret: arg("--app-secret", "fakeappsecret0123456789") },
    work: {
      corpId: arg("--corp-id", "ww0123456789abcdef"),
      secret: arg("--corp-secret", "fake-corp-secret-0123456789"),
      agentId: Number(arg("--agent-id", "1000002")),
    },
  }).then(
    (fake) => {
      console.log(`WECHAT_API_BASE_URL=${fake.mpUrl}\nWECOM_API_BASE_URL=${fake.workUrl}`);
      const stop = () => void fake.close().then(() => process.exit(0));
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
