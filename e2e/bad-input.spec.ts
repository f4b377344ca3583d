import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { request as newRequest } from "@playwright/test";
import { createAccount, signInAs } from "./accounts";
import { type AppServer, freePort, freshDatabase, startApp } from "./app-server";
import { num } from "./db";
import { expect, test } from "./fixtures";
import { type ApiUser, cookieHeader, createApiUser, parseChatStream, sendChat } from "./sessions";

// What a user (or anyone) can send that is not what the app expects, from outside: malformed paths, text no database
// stores, broken bodies, bodies far over a limit sent without a length, server actions without a session, huge
// headers, and the model provider down. Every answer is a 4xx (or the failure in the chat), never a 500, and no
// answer shows an address, a stack or a database's words.

const UNSTORABLE = "Text cannot contain the NUL character or a broken Unicode character (half of a surrogate pair).";
/** Internals no answer may show: an address, a Node error code, a path or stack frame, the database's words. */
const INTERNALS = /ECONNREFUSED|127\.0\.0\.1|localhost:\d|\bat \S+ \(|\/\.next\/|node_modules|prisma|invocation/i;

type RawAnswer = { status: number; text: string; sent: number };

/**
 * Sends a request with node:http, which sends the path exactly as given (a browser or fetch would fix it up), and
 * for a body of `bodyBytes` writes `prefix` and then filler chunked (no Content-Length) until the server answers:
 * `sent` says how much went out before the answer came.
 */
function raw(
  baseURL: string,
  {
    method = "GET",
    path: requestPath,
    headers = {},
    body,
    bodyBytes = 0,
    prefix = "",
  }: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: Buffer;
    bodyBytes?: number;
    prefix?: string;
  },
): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const request = http.request({ hostname, port, method, path: requestPath, headers });
    request.on("response", (response) => {
      answered = true;
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        text += chunk;
      });
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, text, sent });
        request.destroy();
      });
    });
    // Once answered, the server may close the connection on a body it will not read: not a failure.
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    if (body) {
      request.end(body);
      return;
    }
    if (bodyBytes === 0) {
      request.end();
      return;
    }
    const filler = Buffer.alloc(64 * 1024, "x");
    if (prefix) {
      request.write(prefix);
      sent += Buffer.byteLength(prefix);
    }
    const pump = () => {
      while (!answered && sent < bodyBytes) {
        sent += filler.length;
        if (!request.write(filler)) {
          request.once("drain", pump);
          return;
        }
      }
      if (!answered) request.end();
    };
    pump();
  });
}

/** The id of a server action by its module and export name, from the build's manifest (as Next's client has it). */
function actionId(file: string, exportedName: string): string {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", ".next", "server", "server-reference-manifest.json"), "utf8"),
  ) as { node: Record<string, { filename?: string; exportedName?: string }> };
  const found = Object.entries(manifest.node).find(
    ([, action]) => action.exportedName === exportedName && action.filename?.endsWith(file),
  );
  if (!found) throw new Error(`no server action ${exportedName} of ${file} in the build`);
  return found[0];
}

/**
 * A server action's call as Next's client sends it: a FormData argument is fields "_1_<name>", then the arguments as
 * field "0", last (React reads a FormData argument's fields as they stand when "0" arrives).
 */
function actionForm(fields: Record<string, string>): { body: Buffer; contentType: string } {
  const boundary = "----chatledgerBadInput";
  const parts = [...Object.entries(fields).map(([name, value]) => [`_1_${name}`, value]), ["0", '["$K1"]']];
  const body = parts
    .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    .join("");
  return { body: Buffer.from(`${body}--${boundary}--\r\n`), contentType: `multipart/form-data; boundary=${boundary}` };
}

const MB = 1024 * 1024;

test.describe("on the shared server", () => {
  let user: ApiUser;
  let cookie: string;

  test.beforeAll(async ({ baseURL, db }) => {
    user = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "bad-input" });
    cookie = await cookieHeader(user.api);
  });

  test.afterAll(async () => {
    await user.api.dispose();
  });

  test("malformed % escapes and ids no database stores are a 4xx, never a 500", async ({ baseURL }) => {
    const paths = [
      "/c/%E0%A4%A",
      "/c/%ZZ",
      "/share/%",
      "/share/%E0%A4%A",
      "/settings%",
      "/api/conversations/%ZZ",
      "/api/conversations/%E0%A4%A/messages",
      "/api/presets/%",
      "/api/files/%C0%AF",
      "/c/a%00b",
      "/share/a%00b",
      "/c/%ED%A0%80",
    ];
    for (const requestPath of paths) {
      const answer = await raw(baseURL ?? "", { path: requestPath, headers: { cookie } });
      expect(answer.status, requestPath).toBeGreaterThanOrEqual(400);
      expect(answer.status, requestPath).toBeLessThan(500);
      expect(answer.text, requestPath).not.toMatch(INTERNALS);
    }
    // An id with NUL on every route that takes one: said why, not looked up (PostgreSQL would refuse the query).
    for (const [method, requestPath] of [
      ["GET", "/api/conversations/a%00b"],
      ["GET", "/api/conversations/a%00b/export?format=md"],
      ["POST", "/api/conversations/a%00b/share"],
      ["GET", "/api/conversations/a%00b/messages"],
      ["GET", "/api/conversations/a%00b/messages/m%00"],
      ["GET", "/api/presets/p%00"],
      ["DELETE", "/api/presets/p%00"],
      ["GET", "/api/files/f%00"],
      ["GET", "/api/chat/a%00b/stream"],
    ]) {
      const answer = await raw(baseURL ?? "", { method, path: requestPath ?? "", headers: { cookie } });
      expect(answer.status, `${method} ${requestPath}`).toBe(400);
      expect(JSON.parse(answer.text).error.message, `${method} ${requestPath}`).toBe(UNSTORABLE);
    }
  });

  test("NUL, lone surrogates, invalid UTF-8 and __proto__ in bodies: a clear 400 and nothing written", async ({
    db,
  }) => {
    const chat = (text: string) =>
      user.api.post("/api/chat", { data: { conversationId: `nul-${Date.now()}`, model: "gpt-5-mini", text } });
    for (const response of [
      await chat("a\u0000b"),
      await chat("half an emoji \ud83d"),
      await user.api.post("/api/presets", { data: { name: "P\u0000", model: "gpt-5-mini" } }),
      await user.api.post("/api/presets", {
        data: { name: "Preset", model: "gpt-5-mini", settings: { systemPrompt: "be \u0000 brief" } },
      }),
      await user.api.patch("/api/conversations/some-conversation-id", { data: { title: "x\udc00" } }),
    ]) {
      expect(response.status()).toBe(400);
      expect((await response.json()).error.message).toBe(UNSTORABLE);
    }

    const notUtf8 = await user.api.post("/api/chat", {
      headers: { "content-type": "application/json" },
      data: Buffer.concat([
        Buffer.from('{"conversationId":"utf8-test-1","model":"gpt-5-mini","text":"'),
        Buffer.from([0xe0, 0xa4]),
        Buffer.from('"}'),
      ]),
    });
    expect(notUtf8.status()).toBe(400);
    expect((await notUtf8.json()).error.message).toBe("Request body must be valid UTF-8.");

    // __proto__ and constructor keys do nothing: not stored, no prototype changed, the next request as usual.
    const polluting = await user.api.post("/api/presets", {
      headers: { "content-type": "application/json" },
      data: '{"name":"Polluter","model":"gpt-5-mini","__proto__":{"isAdmin":true,"name":"other"},"constructor":{"prototype":{"polluted":1}}}',
    });
    expect(polluting.status()).toBeLessThan(500);
    expect(JSON.stringify(await polluting.json())).not.toMatch(/isAdmin|polluted/);
    const presets = await user.api.get("/api/presets");
    expect(presets.status()).toBe(200);
    expect(JSON.stringify(await presets.json())).not.toMatch(/isAdmin|polluted/);

    const [conversations] = await db.query(`SELECT COUNT(*) AS n FROM "Conversation" WHERE "userId" = $1`, [user.id]);
    expect(num(conversations?.n)).toBe(0);
    const [refused] = await db.query(
      `SELECT COUNT(*) AS n FROM "Preset" WHERE "userId" = $1 AND ("name" = 'Preset' OR "name" LIKE 'P_')`,
      [user.id],
    );
    expect(num(refused?.n)).toBe(0);
  });

  test("huge headers are refused by the server, not a 500", async ({ baseURL }) => {
    const huge: Record<string, string>[] = [
      { "x-filler": "a".repeat(64 * 1024) },
      { cookie: `${cookie}; big=${"b".repeat(64 * 1024)}` },
    ];
    for (const headers of huge) {
      const answer = await raw(baseURL ?? "", { path: "/api/conversations", headers });
      expect(answer.status).toBe(431);
    }
  });

  test("a body far over its limit, sent chunked, is refused before it is all sent, on every route", async ({
    baseURL,
  }) => {
    const boundary = "----chatledgerHuge";
    const multipart = (field: string, name: string, type: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`;
    const json = { "content-type": "application/json", cookie };
    const form = { "content-type": `multipart/form-data; boundary=${boundary}`, cookie };
    const routes: { path: string; headers: Record<string, string>; prefix: string }[] = [
      { path: "/api/chat", headers: json, prefix: '{"text":"' },
      { path: "/api/import", headers: json, prefix: '{"conversations":[{"title":"' },
      { path: "/api/images", headers: json, prefix: '{"prompt":"' },
      { path: "/api/presets", headers: json, prefix: '{"name":"' },
      { path: "/api/files", headers: form, prefix: multipart("file", "huge.png", "image/png") },
      { path: "/api/audio/transcriptions", headers: form, prefix: multipart("file", "huge.webm", "audio/webm") },
      {
        path: "/settings",
        headers: { ...form, "next-action": actionId("settings/actions.ts", "saveBudget"), origin: baseURL ?? "" },
        prefix: `--${boundary}\r\nContent-Disposition: form-data; name="_1_mode"\r\n\r\n`,
      },
    ];
    const total = 50 * MB;
    for (const route of routes) {
      // A page's form post (a server action) passes Next's proxy, which reads the body to its end before any answer
      // (it keeps at most 10 MB): refused, with a 4xx, but not early. Every route handler answers before the end.
      const isPage = !route.path.startsWith("/api/");
      const answer = await raw(baseURL ?? "", {
        method: "POST",
        path: route.path,
        headers: route.headers,
        bodyBytes: total,
        prefix: route.prefix,
      });
      expect(answer.status, route.path).toBeGreaterThanOrEqual(400);
      expect(answer.status, route.path).toBeLessThan(500);
      if (!isPage) expect(answer.sent, `${route.path}: answered only once the whole body was sent`).toBeLessThan(total);
      else expect(answer.status).toBe(411);
    }
  });

  test("a body declared over its limit is answered, not cut off by a reset, even when the client sends it all", async ({
    baseURL,
  }) => {
    // The server used to answer at once and close the connection on the unread rest: the reset could overtake the
    // answer, and the client saw "connection reset" instead of its 4xx (it failed the fuzz spec once in CI). Each
    // request on a connection of its own, closed after it, as the fuzz sends them; several times each, as a race.
    const boundary = "----chatledgerDeclared";
    const form = (size: number) =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.webm"\r\n\r\n`),
        Buffer.alloc(size, 1),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
    const json = (size: number) => Buffer.from(JSON.stringify({ conversationId: "", padding: "x".repeat(size) }));
    const cases: { path: string; contentType: string; body: Buffer; extra?: Record<string, string> }[] = [
      { path: "/api/chat/stop", contentType: "application/json", body: json(300_000) },
      { path: "/api/chat/stop", contentType: "application/json", body: json(17_000_000) },
      { path: "/api/presets", contentType: "application/json", body: json(2_000_000) },
      { path: "/api/files", contentType: `multipart/form-data; boundary=${boundary}`, body: form(30 * MB) },
      {
        path: "/api/audio/transcriptions",
        contentType: `multipart/form-data; boundary=${boundary}`,
        body: form(30 * MB),
      },
      {
        path: "/settings",
        contentType: "text/plain;charset=UTF-8",
        body: Buffer.alloc(3 * MB, "x"),
        extra: { "next-action": actionId("settings/actions.ts", "saveBudget"), origin: baseURL ?? "" },
      },
    ];
    for (let round = 0; round < 3; round += 1) {
      for (const { path: requestPath, contentType, body, extra } of cases) {
        const answer = await raw(baseURL ?? "", {
          method: "POST",
          path: requestPath,
          headers: {
            cookie,
            connection: "close",
            "content-type": contentType,
            "content-length": String(body.length),
            ...extra,
          },
          body,
        });
        expect([400, 413], `${requestPath} with ${body.length} bytes`).toContain(answer.status);
      }
    }
  });

  test("server actions: no session, a garbled or oversized body are a clear answer, never a 500", async ({
    baseURL,
  }) => {
    const saveBudget = actionId("settings/actions.ts", "saveBudget");
    const call = (headers: Record<string, string>, body: Buffer) =>
      raw(baseURL ?? "", {
        method: "POST",
        path: "/settings",
        headers: {
          accept: "text/x-component",
          origin: baseURL ?? "",
          "next-action": saveBudget,
          "content-length": String(body.length),
          ...headers,
        },
        body,
      });
    const form = actionForm({ mode: "limited", amountUsd: "5" });

    // Signed out: the form's message, in a normal answer.
    const signedOut = await call({ "content-type": form.contentType }, form.body);
    expect(signedOut.status).toBe(200);
    expect(signedOut.text).toContain("Sign in to continue.");

    // Signed in, the same call saves: the request above was well formed.
    const saved = await call({ "content-type": form.contentType, cookie }, form.body);
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('"isSaved":true');

    for (const [contentType, body] of [
      ["text/plain;charset=UTF-8", Buffer.from("not a server action's arguments")],
      ["text/plain;charset=UTF-8", Buffer.from('{"$K1":')],
      [form.contentType, Buffer.from("--garbage\r\n\r\n")],
      ["multipart/form-data", Buffer.from("no boundary")],
      ["application/json", Buffer.from([0xff, 0xfe, 0x00])],
    ] as const) {
      const answer = await call({ "content-type": contentType, cookie }, body);
      expect(answer.status, `${contentType}: ${body}`).toBeGreaterThanOrEqual(400);
      expect(answer.status, `${contentType}: ${body}`).toBeLessThan(500);
      expect(answer.text).not.toMatch(INTERNALS);
    }

    const unknown = await call({ "content-type": form.contentType, cookie, "next-action": "00".repeat(21) }, form.body);
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    expect(unknown.status).toBeLessThan(500);

    const huge = Buffer.alloc(2 * MB, "x");
    const tooLarge = await call({ "content-type": "text/plain;charset=UTF-8", cookie }, huge);
    expect(tooLarge.status).toBe(413);
  });
});

test("the provider's 503 reads clearly; a 429 with retry-after is retried while nothing has streamed", async ({
  baseURL,
  db,
  upstream,
}) => {
  const user = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "upstream-503" });
  const failed = await sendChat(user.api, { text: "[[status:503]] unavailable" });
  const error = failed.chunks.find((chunk) => chunk.type === "error");
  expect(JSON.parse(String(error?.errorText))).toMatchObject({
    key: "errors.upstreamServerError",
    params: { status: 503 },
  });
  const marker = `retry-after-${Date.now()}`;
  const retried = await sendChat(user.api, { text: `[[status-once:429]] ${marker}` });
  expect(retried.text).toBe(`Echo: ${marker}`);
  expect(await upstream.requests({ containing: marker })).toHaveLength(2);
  await user.api.dispose();
});

test.describe("with the model provider unreachable", () => {
  let app: AppServer;
  let database: Awaited<ReturnType<typeof freshDatabase>>;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    database = await freshDatabase("unreachable");
    // A port nothing listens on: every call to the provider is refused (ECONNREFUSED 127.0.0.1:<port>).
    const port = await freePort();
    app = await startApp({
      name: "unreachable",
      databaseUrl: database.url,
      upstreamUrl: `http://127.0.0.1:${port}/v1`,
      env: { SIGNUP_MODE: "open" },
    });
  });

  test.afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  test("the chat says the provider could not be reached, without its address, live and stored", async () => {
    const { openDatabase } = await import("./db");
    const appDb = openDatabase(database.url);
    const account = await createAccount(appDb, { prefix: "unreachable" });
    const api = await newRequest.newContext({ baseURL: app.url });
    await signInAs(api, account);
    const conversationId = `unreachable-${Date.now()}`;
    const response = await api.post("/api/chat", { data: { conversationId, model: "gpt-5-mini", text: "hello?" } });
    expect(response.status()).toBe(200);
    const body = await response.text();
    const error = parseChatStream(body).chunks.find((chunk) => chunk.type === "error");
    expect(JSON.parse(String(error?.errorText))).toEqual({ key: "errors.upstreamUnreachable" });
    expect(body).not.toMatch(INTERNALS);

    const stored = await api.get(`/api/conversations/${conversationId}`);
    expect(stored.status()).toBe(200);
    const storedText = await stored.text();
    expect(storedText).toMatch(/errors\.upstreamUnreachable|Could not reach the model provider/);
    expect(storedText).not.toMatch(INTERNALS);
    const [row] = await appDb.query(
      `SELECT "error" FROM "Message" WHERE "conversationId" = $1 AND "role" = 'assistant'`,
      [conversationId],
    );
    expect(String(row?.error)).not.toMatch(INTERNALS);

    // An image request: the same words, stored as the failed reply.
    const images = await api.post("/api/images", {
      data: { conversationId, prompt: "a cat", size: "1024x1024", quality: "low", count: 1 },
    });
    expect(images.status()).not.toBe(500);
    const imageText = await images.text();
    expect(imageText).toMatch(/errors\.upstreamUnreachable|Could not reach the model provider/);
    expect(imageText).not.toMatch(INTERNALS);
    await api.dispose();
    await appDb.close();
  });
});
