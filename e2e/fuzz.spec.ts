// Bad input, generated: well over a thousand malformed requests, spread over every route handler and server action
// the app has (read from app/ by e2e/route-tree.ts), as a signed-in administrator (so the admin actions parse their
// input too): wrong methods, malformed JSON, wrong types, huge and negative numbers, NaN, unknown models,
// out-of-range parameters, prototype-pollution keys, NUL bytes, invalid UTF-8 and lone surrogates, wrong content
// types, bad and malformed path ids, bad query strings, oversized bodies. Each request is malformed by construction
// (every body also carries something its schema refuses: a key it does not know or an id no record can have; path ids
// are never the user's own except for reads), so a correct app answers each with a 4xx and writes nothing:
// zero 5xx, and every table's row count and checksum the same before and after. The secrets of the server appear in
// no answer. Deterministic: one seeded generator; a failure names the requests.
// Runs its own server on a fresh database, so the other specs' writes cannot blur the checksum.
import fs from "node:fs";
import http from "node:http";
import { request } from "@playwright/test";
import sharp from "sharp";
import { encryptWechat, type WechatCipher, wechatSignature } from "../lib/channels/wechat/crypto";
import { createAccount, signInAs } from "./accounts";
import { type OwnApp, startOwnApp, TEST_SECRETS, wechatEnv } from "./app-server";
import { expect, test } from "./fixtures";
import {
  type ActionReference,
  actionHeaders,
  actionReferences,
  changedTables,
  routeHandlers,
  serverActions,
  tableState,
} from "./route-tree";
import { cookieHeader, sendChat } from "./sessions";
import { MP_CIPHER, WECOM_CIPHER } from "./wechat";

const REQUESTS = 1_200;
const SEED = 13;
const CONCURRENCY = 4;
const ADMIN_EMAIL = "fuzz-admin@example.test";

/** mulberry32: a small seeded generator, so every run sends the same requests. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, pick };
}
type Random = ReturnType<typeof generator>;

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/** Path ids no record can have: malformed escapes, NUL, traversal, huge, prototype names, control characters. */
const BAD_IDS = [
  "%",
  "%E0%A4%A",
  "%00",
  "abc%00def12",
  "%FF%FE%FD",
  "%C3%28",
  "%ED%A0%80",
  "..%2F..%2Fetc%2Fpasswd",
  "__proto__",
  "constructor",
  "prototype",
  "-1",
  "NaN",
  "1e308",
  "9007199254740993",
  "x".repeat(3000),
  "null",
  "undefined",
  "'%20OR%201=1%20--",
  "%0d%0aSet-Cookie:%20x=1",
  "%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80",
  "a.b.c",
  "AAAAAAAAAAAAAAAAAAAAAAAA%",
  "zzzzzzzzzzzzzzzzzzzzzzzz",
];
/** Bad ids in a JSON body (never valid: too short, wrong characters, wrong type). */
const BAD_BODY_IDS: unknown[] = [
  "",
  "x",
  "../..",
  "a\u0000bcdefgh",
  "%zz%zz%zz",
  "__proto__",
  42,
  null,
  [],
  {},
  "é".repeat(20),
];
/** Values of every wrong kind for any field. */
const STRANGE: unknown[] = [
  null,
  true,
  0,
  -1,
  -0,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER,
  "NaN",
  "Infinity",
  "-1",
  [],
  {},
  [[[[]]]],
  [1, "2", null],
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\uD800",
  "\uDFFF\uD800",
  "<script>alert(1)</script>",
  "=cmd|' /C calc'!A0",
  "💥".repeat(500),
  "x".repeat(70_000),
  { __proto__: null, toString: 1 },
  { $gt: "" },
];
const NUMBERS_TEXT = [
  "1e999999",
  "-1e999999",
  "123456789012345678901234567890",
  "-0.0000000000000001",
  "0x10",
  "NaN",
  "Infinity",
  "1_000",
];
const MALFORMED_JSON = [
  "{",
  "[1,",
  '{"a":',
  "nul",
  '"',
  "{}}",
  "{'a':1}",
  "[,]",
  '{"a":1,}',
  "\u0000",
  " ",
  '{"__proto__":',
  "\ufeff{}",
];
const CONTENT_TYPES = [
  "text/plain;charset=UTF-8",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=nope",
  "multipart/form-data",
  "application/xml",
  "application/json; charset=utf-16",
  "",
];
const UNKNOWN_MODELS = [
  "gpt-nonexistent",
  "",
  " ",
  "../gpt-5",
  "gpt-5-mini\u0000",
  "GPT-5-MINI",
  "x".repeat(300),
  "o1;rm -rf",
];
const SETTINGS_OUT_OF_RANGE: Record<string, unknown>[] = [
  { temperature: 99 },
  { temperature: -1 },
  { topP: 2 },
  { maxOutputTokens: 1e12 },
  { maxOutputTokens: -5 },
  { maxOutputTokens: 1.5 },
  { presencePenalty: 1e308 },
  { frequencyPenalty: "NaN" },
  { reasoningEffort: "extreme" },
  { contextPolicy: "forget" },
  { keepLastTokens: 1 },
  { systemPrompt: "x".repeat(100_000) },
];
const QUERY_KEYS = [
  "limit",
  "cursor",
  "q",
  "format",
  "range",
  "before",
  "model",
  "conversationId",
  "download",
  "__proto__",
];

/** The fields each JSON route reads, plus a key its strict schema refuses, so no body is ever a valid request. */
function template(route: string, random: Random): Record<string, unknown> {
  const badId = random.pick(BAD_BODY_IDS);
  const base: Record<string, unknown> = { fuzz: true };
  switch (route) {
    case "POST /api/chat":
      return { ...base, conversationId: badId, model: "gpt-5-mini", text: "hello", settings: {} };
    case "POST /api/chat/stop":
      return { ...base, conversationId: badId };
    case "POST /api/playground":
      return { ...base, model: "gpt-3.5-turbo-instruct", prompt: "hello", maxTokens: 8, n: 1, stop: [] };
    case "POST /api/playground/stop":
      return { ...base, callId: badId };
    case "POST /api/images":
      return { ...base, conversationId: badId, prompt: "a cat", size: "1024x1024", quality: "low", count: 1 };
    case "POST /api/compare":
      return { ...base, prompt: "a question", models: ["gpt-5-mini", "gpt-4o-mini"] };
    case "POST /api/compare/[id]/continue":
      return { ...base, answer: 0 };
    case "POST /api/import":
      return {
        ...base,
        format: "not-a-chatledger-archive",
        version: 999,
        conversations: [{ title: "t", messages: [] }],
      };
    case "POST /api/presets":
    case "PATCH /api/presets/[id]":
      return { ...base, name: "fuzzed", model: "gpt-5-mini", settings: {} };
    case "PATCH /api/conversations/[id]":
      return { ...base, title: "fuzzed", pinned: true };
    case "PATCH /api/conversations/[id]/settings":
      return { ...base, model: "gpt-5-mini", settings: {} };
    case "POST /api/conversations/[id]/branch":
      return { ...base, messageId: badId };
    default:
      return { ...base, conversationId: badId, text: "hello" };
  }
}

interface FuzzRequest {
  target: string;
  attack: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

function requestText(request: FuzzRequest): string {
  const body = request.body ? ` body ${JSON.stringify(request.body.subarray(0, 160).toString("latin1"))}` : "";
  return `${request.attack}: ${request.method} ${request.path.slice(0, 160)} [${request.headers["content-type"] ?? ""}]${body}`;
}

/** A JSON text with a string of raw bytes that are not UTF-8 spliced into its first string value. */
function invalidUtf8(json: string, random: Random): Buffer {
  const bad = random.pick([
    [0xff],
    [0xc3, 0x28],
    [0x80],
    [0xed, 0xa0, 0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0xfe, 0xfe],
  ]);
  const at = json.indexOf('":"') + 3;
  if (at < 3) return Buffer.concat([Buffer.from(json), Buffer.from(bad)]);
  return Buffer.concat([Buffer.from(json.slice(0, at)), Buffer.from(bad), Buffer.from(json.slice(at))]);
}

function withEveryString(value: unknown, change: (text: string) => string): unknown {
  if (typeof value === "string") return change(value);
  if (Array.isArray(value)) return value.map((item) => withEveryString(item, change));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withEveryString(item, change)]));
  }
  return value;
}

/** A JSON (or not) body for a route: one attack on its template. */
function jsonAttack(route: string, random: Random): { attack: string; body: Buffer; contentType: string } {
  const fields = template(route, random);
  const keys = Object.keys(fields);
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));
  const attack = random.pick([
    "malformed JSON",
    "wrong type",
    "huge number",
    "unknown model",
    "out of range",
    "prototype pollution",
    "NUL bytes",
    "invalid UTF-8",
    "wrong content type",
    "empty body",
    "deep nesting",
    "not an object",
    "oversized",
  ]);
  let body: Buffer;
  let contentType = "application/json";
  switch (attack) {
    case "malformed JSON":
      body = Buffer.from(random.pick(MALFORMED_JSON));
      break;
    case "wrong type":
      body = json({ ...fields, [random.pick(keys)]: random.pick(STRANGE) });
      break;
    case "huge number": {
      const text = JSON.stringify({ ...fields, [random.pick(keys)]: "__N__" });
      body = Buffer.from(text.replace('"__N__"', random.pick(NUMBERS_TEXT)));
      break;
    }
    case "unknown model":
      body = json({ ...fields, model: random.pick(UNKNOWN_MODELS) });
      break;
    case "out of range":
      body = json({ ...fields, settings: random.pick(SETTINGS_OUT_OF_RANGE), count: random.pick([0, -1, 1e9, 2.5]) });
      break;
    case "prototype pollution": {
      const polluted = '{"__proto__":{"isAdmin":true,"userId":"someone"},"constructor":{"prototype":{"isAdmin":true}}';
      const inner = JSON.stringify(fields).slice(1);
      body = Buffer.from(
        random.next() < 0.5
          ? `${polluted},${inner}`
          : JSON.stringify(fields).replace('"settings":{}', `"settings":${polluted}}`),
      );
      break;
    }
    case "NUL bytes":
      body = json(withEveryString(fields, (text) => `${text}\u0000${text}`));
      break;
    case "invalid UTF-8":
      body = invalidUtf8(JSON.stringify(fields), random);
      break;
    case "wrong content type":
      body = json(fields);
      contentType = random.pick(CONTENT_TYPES);
      break;
    case "empty body":
      body = Buffer.alloc(0);
      break;
    case "deep nesting":
      body = Buffer.from(`${"[".repeat(5000)}${"]".repeat(5000)}`);
      break;
    case "not an object":
      body = json(random.pick([[fields], "text", 42, null, true]));
      break;
    default:
      // Oversized: past every route's JSON limit (the largest, an import, is far below 16 MB), sent whole.
      body = json({ ...fields, padding: "x".repeat(random.pick([300_000, 2_000_000, 17_000_000])) });
  }
  return { attack, body, contentType };
}

/** A multipart body for the upload routes, never carrying a usable file. */
function multipartAttack(random: Random): { attack: string; body: Buffer; contentType: string } {
  const boundary = "fuzzboundary13";
  const part = (name: string, value: string, file?: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${file}"\r\nContent-Type: application/octet-stream` : ""}\r\n\r\n${value}\r\n`;
  const attack = random.pick([
    "no file",
    "file as text field",
    "truncated",
    "bad boundary",
    "NUL in names",
    "empty file",
  ]);
  let text: string;
  switch (attack) {
    case "no file":
      text = `${part("conversationId", String(random.pick(BAD_BODY_IDS)))}--${boundary}--\r\n`;
      break;
    case "file as text field":
      text = `${part("file", "not a file")}--${boundary}--\r\n`;
      break;
    case "truncated":
      text = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n\x89PNG`;
      break;
    case "bad boundary":
      text = `--other\r\n${part("file", "x", "a.png")}`;
      break;
    case "NUL in names":
      text = `${part("conversationId\u0000", "a\u0000b")}${part("file\u0000", "\u0000", "a\u0000.png")}--${boundary}--\r\n`;
      break;
    default:
      text = `${part("conversationId", "%%%")}${part("file", "", "empty.webm")}--${boundary}--\r\n`;
  }
  return { attack, body: Buffer.from(text, "latin1"), contentType: `multipart/form-data; boundary=${boundary}` };
}

const UPLOAD_ROUTES = new Set(["POST /api/files", "POST /api/audio/transcriptions"]);

/** Callback bodies that are not a message: each is refused however well the callback is signed. */
const CALLBACK_BODIES = [
  "not xml",
  "<xml><FromUserName>o1</FromUserName>",
  "<!DOCTYPE xml [<!ENTITY x 'y'>]><xml><FromUserName>&x;</FromUserName><MsgType>text</MsgType></xml>",
  "<other><FromUserName>o1</FromUserName><MsgType>text</MsgType></other>",
  "<xml><MsgType>text</MsgType><Content>no sender</Content></xml>",
  "<xml><FromUserName>o1</FromUserName><FromUserName>o2</FromUserName><MsgType>text</MsgType></xml>",
  "<xml><__proto__>x</__proto__><FromUserName>o1</FromUserName></xml>",
  '{"FromUserName":"o1","MsgType":"text"}',
  `<xml><Content>${"x".repeat(70_000)}</Content></xml>`,
];

/**
 * A WeChat callback signed as WeChat signs it (the signature is right), carrying what no message is: malformed XML,
 * ciphertext that is not base64, not ours (another receive id) or not XML inside, or a stale timestamp. Signed, so
 * each reaches the parsing and decryption behind the signature check.
 */
function wechatRequest(target: string, random: Random): FuzzRequest {
  const [method = "POST", pattern = "/"] = target.split(" ");
  const isWork = pattern.endsWith("/work");
  const cipher: WechatCipher = isWork ? WECOM_CIPHER : MP_CIPHER;
  const isStale = random.next() < 0.15;
  const timestamp = String(Math.floor(Date.now() / 1000) - (isStale ? 400 : 0));
  const nonce = String(Math.floor(random.next() * 1e9));
  const headers = { "content-type": "text/xml" };
  const inner = random.pick(CALLBACK_BODIES);
  const encryptedInner = encryptWechat(cipher, inner);
  const encrypted = random.pick([
    "%%% not base64 %%%",
    encryptWechat({ ...cipher, receiveId: "wx1111111111111111" }, "<xml><FromUserName>o1</FromUserName></xml>"),
    encryptedInner,
    Buffer.from("sixteen byte blk".repeat(3)).toString("base64"),
  ]);
  const attack = `${isStale ? "stale " : ""}signed callback`;
  const query = (extra: Record<string, string>) => `${pattern}?${new URLSearchParams({ timestamp, nonce, ...extra })}`;
  if (method === "GET") {
    // A WeCom check whose echostr decrypts is a valid one: only ciphertext that does not.
    const broken = encrypted === encryptedInner ? "%%% not base64 %%%" : encrypted;
    const echostr = isWork ? broken : inner;
    const signature: Record<string, string> = isWork
      ? { msg_signature: wechatSignature(cipher.token, timestamp, nonce, echostr) }
      : { signature: wechatSignature(cipher.token, timestamp, nonce) };
    // The MP's check echoes whatever it is given once signed: only a stale one is refused.
    const extra: Record<string, string> = isWork || isStale ? {} : { signature: "0".repeat(40) };
    return { target, attack, method, path: query({ ...signature, ...extra, echostr }), headers };
  }
  if (!isWork && random.next() < 0.5) {
    const signature = wechatSignature(cipher.token, timestamp, nonce);
    return {
      target,
      attack: `${attack} (plaintext)`,
      method,
      path: query({ signature }),
      headers,
      body: Buffer.from(inner),
    };
  }
  const msgSignature = wechatSignature(cipher.token, timestamp, nonce, encrypted);
  const body = Buffer.from(
    `<xml><ToUserName><![CDATA[x]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
  );
  const extra: Record<string, string> = isWork ? {} : { encrypt_type: "aes" };
  return {
    target,
    attack: `${attack} (encrypted)`,
    method,
    path: query({ msg_signature: msgSignature, ...extra }),
    headers,
    body,
  };
}

function routeRequest(target: string, random: Random, own: Record<string, string>): FuzzRequest {
  const [method = "GET", pattern = "/"] = target.split(" ");
  const isRead = method === "GET" || method === "HEAD";
  let attack = "";
  let hasOwnId = false;
  // Path parameters: the user's own only for reads (a write to them could be valid), else ids no record has.
  let path = pattern.replace(/\[\.\.\.(\w+)\]|\[(\w+)\]/g, (_match, rest: string, name: string) => {
    if (rest)
      return random.pick([
        "session",
        "csrf",
        "providers",
        "signin/%",
        "callback/credentials",
        "callback/%00",
        "signout",
        "x%E0%A4%A",
      ]);
    if (isRead && random.next() < 0.4 && own[name]) {
      hasOwnId = true;
      return own[name];
    }
    attack = "bad id";
    return random.pick(BAD_IDS);
  });
  const headers: Record<string, string> = {};
  // Another method on the user's own id could be a valid request (DELETE of their own chat): only on ids no record has.
  if (!hasOwnId && random.next() < 0.12) {
    return { target, attack: "wrong method", method: random.pick(METHODS.filter((m) => m !== method)), path, headers };
  }
  if (isRead) {
    const query = Array.from({ length: 1 + Math.floor(random.next() * 3) }, () => {
      const value = random.pick([...BAD_IDS, "-1", "0", "1e308", "NaN", "%00", "", "md%00", "all%25"]);
      return `${random.pick(QUERY_KEYS)}=${value}`;
    });
    path += `${path.includes("?") ? "&" : "?"}${query.join("&")}`;
    return { target, attack: attack || "bad query", method, path, headers };
  }
  if (target.includes(" /api/wechat/") && random.next() < 0.7) return wechatRequest(target, random);
  const made = UPLOAD_ROUTES.has(target) ? multipartAttack(random) : jsonAttack(target, random);
  if (made.contentType) headers["content-type"] = made.contentType;
  const body = made.body;
  return { target, attack: attack ? `${attack} + ${made.attack}` : made.attack, method, path, headers, body };
}

/** A server action's body, malformed: React's reply encoding broken in each way, or its form fields invalid. */
function actionRequest(target: string, action: ActionReference, random: Random, baseURL: string): FuzzRequest {
  const headers = actionHeaders(baseURL, action.id);
  const boundary = "fuzzaction13";
  const multipart = (fields: Record<string, string>) =>
    Buffer.from(
      `${Object.entries(fields)
        .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
        .join("")}--${boundary}--\r\n`,
      "latin1",
    );
  const invalidForm = (): Record<string, string> => ({
    "1_userId": random.pick(["", "%", "\u0000", "x".repeat(100)]),
    "1_inviteId": random.pick(["", "__proto__", "\u0000"]),
    "1_mode": random.pick(["", "__proto__", "limited", "nonsense"]),
    "1_amountUsd": random.pick(["NaN", "-1", "1e308", "Infinity", "0x10", "1.0000001", "\u0000", "9999999999999"]),
    "1_status": random.pick(["", "deleted", "\u0000"]),
    "1_email": random.pick(["not-an-email", "a@", "\u0000@x", "x".repeat(300)]),
    "1_password": random.pick(["", "short", "\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000"]),
    "1_provider": random.pick(["", "nonexistent", "__proto__"]),
    "1_expiresInDays": random.pick(["-1", "NaN", "1e308", "0"]),
    "1_callbackUrl": random.pick(["//evil.example", "javascript:alert(1)", "/\t/evil.example", "%"]),
  });
  const attack = random.pick([
    "invalid form fields",
    "malformed argument list",
    "argument list not an array",
    "dangling reference",
    "prototype pollution",
    "text/plain arguments",
    "wrong content type",
    "unknown action id",
    "empty body",
    "invalid UTF-8",
    "oversized",
  ]);
  let body: Buffer;
  switch (attack) {
    case "invalid form fields":
      body = multipart({ "0": random.pick(['["$K1"]', '[{},"$K1"]', '["$undefined","$K1"]']), ...invalidForm() });
      headers["content-type"] = `multipart/form-data; boundary=${boundary}`;
      break;
    case "malformed argument list":
      body = multipart({ "0": random.pick(MALFORMED_JSON), ...invalidForm() });
      headers["content-type"] = `multipart/form-data; boundary=${boundary}`;
      break;
    case "argument list not an array":
      body = multipart({ "0": random.pick(['"text"', "42", "null", '{"a":1}', "true"]) });
      headers["content-type"] = `multipart/form-data; boundary=${boundary}`;
      break;
    case "dangling reference":
      body = multipart({
        "0": random.pick(['["$K9"]', '["$@7"]', '["$Q3"]', '["$1"]', '["$T"]', '["$h5"]', '["$B99"]']),
      });
      headers["content-type"] = `multipart/form-data; boundary=${boundary}`;
      break;
    case "prototype pollution":
      body = multipart({
        "0": '[{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}},"$K1"]',
        "1___proto__": "polluted",
        "1_constructor": "polluted",
        ...invalidForm(),
      });
      headers["content-type"] = `multipart/form-data; boundary=${boundary}`;
      break;
    case "text/plain arguments":
      body = Buffer.from(random.pick([...MALFORMED_JSON, "[1,2,3]", '[{"mode":"NaN"}]', '["$K1"]', "[null]", '"x"']));
      headers["content-type"] = "text/plain;charset=UTF-8";
      break;
    case "wrong content type":
      body = Buffer.from('["$K1"]');
      headers["content-type"] = random.pick(CONTENT_TYPES.filter((type) => !type.startsWith("text/plain")));
      break;
    case "unknown action id":
      body = Buffer.from("[]");
      headers["content-type"] = "text/plain;charset=UTF-8";
      headers["next-action"] = random.pick(["0".repeat(42), "x", "%00", "__proto__", "f".repeat(400)]);
      break;
    case "empty body":
      body = Buffer.alloc(0);
      break;
    case "invalid UTF-8":
      body = Buffer.concat([Buffer.from('["'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('"]')]);
      headers["content-type"] = "text/plain;charset=UTF-8";
      break;
    default:
      body = multipart({
        "0": '["$K1"]',
        ...invalidForm(),
        "1_padding": "x".repeat(random.pick([1_200_000, 3_000_000])),
      });
      headers["content-type"] = `multipart/form-data; boundary=${boundary}`;
  }
  return { target, attack, method: "POST", path: action.page, headers, body };
}

/**
 * One request on a connection of its own (no keep-alive: a body the server refused unread must not break the next
 * request on a shared socket), its path sent byte for byte as written. Answers the status, and the headers and body as
 * text. A reset after the answer began (the server stopped reading an oversized body) is not a failure.
 */
function sendRaw(
  url: string,
  { method, headers, body }: { method: string; headers: Record<string, string>; body?: Buffer },
): Promise<{ status: number; text: string }> {
  const { hostname, port, pathname, search } = new URL(url);
  const path = url.slice(url.indexOf("/", "http://".length)) || `${pathname}${search}`;
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        hostname,
        port,
        path,
        method,
        // Declared: node:http sends a DELETE's body without Content-Length, so the server would read it as a second
        // (garbled) request on the connection.
        headers: { ...headers, ...(body ? { "content-length": String(body.length) } : {}), connection: "close" },
        agent: false,
        timeout: 60_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        const done = () =>
          resolve({
            status: response.statusCode ?? 0,
            text: `${JSON.stringify(response.headers)}\n${Buffer.concat(chunks).toString("utf8")}`,
          });
        response.on("end", done);
        response.on("error", done);
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new Error("no answer within 60 s")));
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

interface Outcome {
  request: FuzzRequest;
  status: number | "no answer";
  leaked: string[];
  /** The start of the answer (or the network error), for the report. */
  answer: string;
}

let server: OwnApp;

test.beforeAll(async () => {
  // WeChat's routes live (with the fake Tencent APIs), so their parsing and decryption are fuzzed too.
  server = await startOwnApp("fuzz", { ADMIN_EMAILS: ADMIN_EMAIL, ...wechatEnv(process.env.FAKE_WECHAT_URL ?? "") });
});

test.afterAll(async () => {
  await server?.stop();
});

test(`${REQUESTS} malformed requests over every route and server action: no 5xx, no row changed, no secret`, async () => {
  test.setTimeout(600_000);
  const { app, db } = server;
  // A user with one of everything, so reads of their own ids reach the code behind the ownership checks.
  const account = await createAccount(db, { email: ADMIN_EMAIL });
  const api = await request.newContext({ baseURL: app.url });
  await signInAs(api, account);
  const chat = await sendChat(api, { text: "fuzz target [[reply:Stored reply]]" });
  expect(chat.status).toBe(200);
  const messages = (
    (await (await api.get(`/api/conversations/${chat.conversationId}`)).json()) as {
      conversation: { messages: { id: string }[] };
    }
  ).conversation.messages;
  const preset = await api.post("/api/presets", { data: { name: "Fuzz preset", model: "gpt-5-mini" } });
  const file = await api.post("/api/files", {
    multipart: {
      file: {
        name: "f.png",
        mimeType: "image/png",
        buffer: await sharp({ create: { width: 4, height: 4, channels: 3, background: "#123" } })
          .png()
          .toBuffer(),
      },
    },
  });
  const own: Record<string, string> = {
    id: chat.conversationId,
    messageId: messages.at(-1)?.id ?? "",
  };
  const ownPreset = ((await preset.json()) as { preset: { id: string } }).preset.id;
  const ownFile = ((await file.json()) as { id: string }).id;
  const cookie = await cookieHeader(api);
  await api.dispose();

  const random = generator(SEED);
  const references = actionReferences();
  // Any call of signOutAction is a valid sign-out (it takes no arguments): it would end this session, not fuzz it.
  const actions = serverActions().filter((name) => !name.endsWith("#signOutAction"));
  const targets = [...routeHandlers(), ...actions];
  const requests = Array.from({ length: REQUESTS }, (_, i) => {
    const target = targets[i % targets.length] as string;
    const reference = references.get(target);
    if (reference) return actionRequest(target, reference, random, app.url);
    const ids = {
      ...own,
      id: target.includes("/presets/") ? ownPreset : target.includes("/files/") ? ownFile : (own.id ?? ""),
    };
    return routeRequest(target, random, ids);
  });

  const before = await tableState(db);
  const secrets = Object.values(TEST_SECRETS);
  const outcomes: Outcome[] = [];
  let next = 0;
  async function worker() {
    while (next < requests.length) {
      const fuzzed = requests[next++] as FuzzRequest;
      let status: Outcome["status"] = "no answer";
      let text = "";
      try {
        const answer = await sendRaw(`${app.url}${fuzzed.path}`, {
          method: fuzzed.method,
          headers: { cookie, origin: app.url, "sec-fetch-site": "same-origin", ...fuzzed.headers },
          body: fuzzed.method === "GET" || fuzzed.method === "HEAD" ? undefined : fuzzed.body,
        });
        status = answer.status;
        text = answer.text;
      } catch (error) {
        // No answer (a reset connection) counts against the app like a 5xx: a body the server answers without reading
        // (too large, or a DELETE's) is still read to its end before the connection closes (lib/node-requests.ts).
        text = String(error);
      }
      outcomes.push({
        request: fuzzed,
        status,
        leaked: secrets.filter((secret) => text.includes(secret)),
        answer: text.slice(0, 300),
      });
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const after = await tableState(db);

  const failures = outcomes.filter(
    (o) => o.status === "no answer" || (typeof o.status === "number" && o.status >= 500),
  );
  const changed = changedTables(before, after);
  const figures = {
    requests: outcomes.length,
    targets: targets.length,
    "5xx or no answer": failures.length,
    "tables changed": changed.length,
    "answers with a secret": outcomes.filter((o) => o.leaked.length).length,
  };
  console.log(`fuzz: ${JSON.stringify(figures)}`);
  // Every failure in full, for whoever fixes them, and a summary by route and kind of attack.
  fs.writeFileSync(
    test.info().outputPath("fuzz-failures.json"),
    JSON.stringify(
      failures.map((o) => ({ status: o.status, request: requestText(o.request), answer: o.answer })),
      null,
      2,
    ),
  );
  const byKind = new Map<string, number>();
  for (const o of failures) {
    const key = `${o.status} ${o.request.target} — ${o.request.attack}`;
    byKind.set(key, (byKind.get(key) ?? 0) + 1);
  }
  for (const [key, count] of [...byKind].sort()) console.log(`fuzz: ${count} × ${key}`);
  for (const [type, description] of Object.entries(figures)) {
    test.info().annotations.push({ type, description: String(description) });
  }
  expect(outcomes.length).toBeGreaterThanOrEqual(1_000);
  expect(failures.map((o) => `${o.status} ${requestText(o.request)}`)).toEqual([]);
  expect(changed, "tables whose rows changed").toEqual([]);
  expect(outcomes.filter((o) => o.leaked.length).map((o) => requestText(o.request))).toEqual([]);
  // The server log names no secret either (it redacts them in what it logs).
  const log = fs.readFileSync(app.logFile, "utf8");
  expect(secrets.filter((secret) => log.includes(secret))).toEqual([]);
  expect(new Set(outcomes.map((o) => o.request.target)).size).toBe(targets.length);
});
