// The browser-facing defences (issue 13): every response's security headers and a page's Content-Security-Policy
// with its nonce, the chat working under that policy, requests another site makes a signed-in browser send refused
// with nothing charged or changed, server actions included, the cookies' flags, and remote images in a message
// fetched only when the user clicks.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type APIResponse, type Page, request as playwrightRequest } from "@playwright/test";
import { ACCOUNT_PASSWORD, createAccount } from "./accounts";
import { num, type TestDatabase } from "./db";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";
import { sendChat } from "./sessions";

/** A site of its own on another port of the same host (the same site, another origin): it counts what it is sent. */
async function startOtherSite(pages: Record<string, string> = {}) {
  const hits: string[] = [];
  const server = http.createServer((request, response) => {
    hits.push(request.url ?? "");
    const page = pages[request.url ?? ""];
    if (page !== undefined) {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
      return;
    }
    // A tiny PNG: what a tracking pixel answers.
    const pixel = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
      "base64",
    );
    response.writeHead(200, { "content-type": "image/png" }).end(pixel);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, hits, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The page's Content-Security-Policy as directive → sources. */
function parsePolicy(header: string | undefined): Map<string, string[]> {
  const policy = new Map<string, string[]>();
  for (const directive of (header ?? "").split(";")) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (name) policy.set(name, sources);
  }
  return policy;
}

/** Collects every CSP violation the page reports, and every console message about one. */
async function watchViolations(page: Page) {
  const console: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) console.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) => {
      seen.push(`${event.effectiveDirective} ${event.blockedURI}`);
    });
  });
  return {
    async all(): Promise<string[]> {
      const reported = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
      return [...reported, ...console];
    },
  };
}

async function userTotals(db: TestDatabase, userId: string) {
  const [row] = await db.query(
    `SELECT (SELECT COUNT(*) FROM "LedgerEntry" WHERE "userId" = $1) AS entries,
            (SELECT COUNT(*) FROM "Conversation" WHERE "userId" = $1) AS conversations,
            (SELECT COUNT(*) FROM "Message" m JOIN "Conversation" c ON c."id" = m."conversationId" WHERE c."userId" = $1) AS messages,
            (SELECT COUNT(*) FROM "Share" s JOIN "Conversation" c ON c."id" = s."conversationId" WHERE c."userId" = $1) AS shares`,
    [userId],
  );
  return {
    entries: num(row?.entries),
    conversations: num(row?.conversations),
    messages: num(row?.messages),
    shares: num(row?.shares),
  };
}

function expectCommonHeaders(response: APIResponse, label: string) {
  const headers = response.headers();
  expect(headers["x-content-type-options"], label).toBe("nosniff");
  expect(headers["x-frame-options"], label).toBe("DENY");
  expect(headers["referrer-policy"], label).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"], label).toContain("microphone=(self)");
  expect(headers["permissions-policy"], label).toContain("camera=()");
  expect(headers["permissions-policy"], label).toContain("geolocation=()");
  expect(headers["strict-transport-security"], `${label}: no HSTS over HTTP`).toBeUndefined();
}

test("pages, API answers and assets carry the security headers; a page's policy has a fresh nonce on every script", async ({
  request,
}) => {
  const page = await request.get("/sign-in");
  expect(page.status()).toBe(200);
  expectCommonHeaders(page, "page");
  const policy = parsePolicy(page.headers()["content-security-policy"]);
  const nonce = policy.get("script-src")?.find((source) => source.startsWith("'nonce-"));
  expect(nonce).toMatch(/^'nonce-[A-Za-z0-9+/]{22}=='$/);
  expect(policy.get("script-src")).toEqual(["'self'", nonce, "'strict-dynamic'"]);
  expect(policy.get("img-src")).toEqual(["'self'", "data:", "blob:"]);
  expect(policy.get("connect-src")).toEqual(["'self'"]);
  expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
  expect(policy.get("object-src")).toEqual(["'none'"]);
  expect(policy.get("base-uri")).toEqual(["'self'"]);
  expect(policy.get("form-action")).toEqual(["'self'"]);
  expect(policy.get("default-src")).toEqual(["'self'"]);
  expect(policy.has("upgrade-insecure-requests")).toBe(false);
  // Every script of the page carries this response's nonce (Next's own, and the theme's before the first paint).
  const html = await page.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
  expect(scripts.length).toBeGreaterThan(2);
  const value = nonce?.slice("'nonce-".length, -1);
  expect(scripts.filter((tag) => !tag.includes(`nonce="${value}"`))).toEqual([]);
  const again = parsePolicy((await request.get("/sign-in")).headers()["content-security-policy"]);
  expect(again.get("script-src")?.[1]).not.toBe(nonce);

  const api = await request.get("/api/health");
  expectCommonHeaders(api, "API");
  expect(api.headers()["content-security-policy"]).toBe(
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  );
  const refusedApi = await request.get("/api/conversations");
  expect(refusedApi.status()).toBe(401);
  expectCommonHeaders(refusedApi, "API error");

  const assetPath = html.match(/\/_next\/static\/[^"]+\.js/)?.[0];
  expect(assetPath).toBeDefined();
  const asset = await request.get(assetPath ?? "");
  expect(asset.status()).toBe(200);
  expectCommonHeaders(asset, "asset");
  expect(parsePolicy(asset.headers()["content-security-policy"]).get("frame-ancestors")).toEqual(["'none'"]);

  // Over HTTPS (a TLS-terminating proxy says so): HSTS everywhere, and the page upgrades any http: address.
  const overHttps = { "x-forwarded-proto": "https" };
  for (const url of ["/sign-in", "/api/health", assetPath ?? ""]) {
    const response = await request.get(url, { headers: overHttps });
    expect(response.headers()["strict-transport-security"], url).toBe("max-age=63072000; includeSubDomains");
  }
  const securePage = parsePolicy(
    (await request.get("/sign-in", { headers: overHttps })).headers()["content-security-policy"],
  );
  expect(securePage.has("upgrade-insecure-requests")).toBe(true);
});

test("the chat works under the policy: chatting, Markdown, code, formulas, the estimate and other pages raise no violation", async ({
  page,
  account: _signedIn,
}) => {
  const violations = await watchViolations(page);
  const chat = await ChatPage.openNew(page);
  // The theme's script ran before the first paint (it sets the class the theme is read from).
  await expect(page.locator("html")).toHaveClass(/light|dark/);
  await chat.composer.fill("How many tokens is this?");
  // The estimate comes from the token worker (a worker script under the policy).
  await expect(chat.meter("Next message")).toContainText(/\d+ prompt tokens/);
  const reply = "Some **bold**, a formula $x^2 + y^2$ and code:\n\n```ts\nconst answer: number = 42;\n```";
  await chat.send(`[[reply:${reply}]]`);
  const message = await chat.waitForReply();
  await expect(message.locator("strong")).toHaveText("bold");
  await expect(message.locator(".katex").first()).toBeVisible();
  await expect(message.locator("pre span[style]").first()).toBeVisible();
  await page.reload();
  await chat.waitForReply();
  for (const url of ["/usage", "/settings", "/presets"]) {
    await page.goto(url);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  }
  expect(await violations.all()).toEqual([]);
});

test("another site cannot make a signed-in browser chat, share or change anything: refused, nothing charged", async ({
  page,
  account,
  db,
  upstream,
  baseURL,
}) => {
  const { conversationId } = await sendChat(page.request, { text: "[[reply:mine]] a conversation of mine" });
  const before = await userTotals(db, account.id);
  const marker = `csrf-${Date.now().toString(36)}`;
  const chatBody = (text: string) =>
    JSON.stringify({ conversationId: crypto.randomUUID(), model: "gpt-5-mini", text: `${marker} ${text}` });
  // A text/plain form builds `name=value` with a JSON-looking name: the body the issue's attack sent.
  const formName = chatBody("form").slice(0, -2);
  const attack = `<!doctype html><html><body>
<form id="chat" method="POST" enctype="text/plain" action="${baseURL}/api/chat">
  <input type="hidden" name='${formName}' value='x"}'>
</form>
<script>
  Promise.allSettled([
    fetch(${JSON.stringify(`${baseURL}/api/chat`)}, { method: "POST", mode: "no-cors", credentials: "include", body: ${JSON.stringify(chatBody("no-cors"))} }),
    fetch(${JSON.stringify(`${baseURL}/api/conversations/${conversationId}/share`)}, { method: "POST", mode: "no-cors", credentials: "include" }),
  ]).then(() => document.getElementById("chat").submit());
</script></body></html>`;
  const site = await startOtherSite({ "/attack": attack });
  try {
    const refused: { url: string; status: number }[] = [];
    page.on("response", (response) => {
      if (response.url().startsWith(`${baseURL}/api/`))
        refused.push({ url: response.url(), status: response.status() });
    });
    const formAnswer = page.waitForResponse(
      (response) =>
        response.url() === `${baseURL}/api/chat` && response.request().postData()?.includes("form") === true,
    );
    await page.goto(`${site.url}/attack`);
    expect((await formAnswer).status()).toBe(403);
    await expect(page.locator("body")).toContainText("came from another site");
    await expect.poll(() => refused.length).toBe(3);
    expect(refused.map((response) => response.status)).toEqual([403, 403, 403]);
  } finally {
    await site.close();
  }

  // The same through the API, with the victim's cookies: refused for a foreign Origin or Sec-Fetch-Site, and a body
  // that is not declared JSON is not read.
  const data = { conversationId: crypto.randomUUID(), model: "gpt-5-mini", text: `${marker} api` };
  const foreign: Record<string, string>[] = [
    { origin: "http://127.0.0.1:1" },
    { origin: "null" },
    { "sec-fetch-site": "same-site" },
    { "sec-fetch-site": "cross-site", origin: baseURL ?? "" },
  ];
  for (const headers of foreign) {
    const answer = await page.request.post("/api/chat", { data, headers });
    expect(answer.status(), JSON.stringify(headers)).toBe(403);
    const body = await answer.json();
    expect(body.error).toMatchObject({ code: "forbidden", key: "errors.crossSiteRequest" });
    expect(body.error.message).toContain("another site");
  }
  const deleted = await page.request.delete(`/api/conversations/${conversationId}`, {
    headers: { origin: "http://localhost:1" },
  });
  expect(deleted.status()).toBe(403);
  const plain = await page.request.post("/api/chat", {
    data: JSON.stringify(data),
    headers: { "content-type": "text/plain;charset=UTF-8" },
  });
  expect(plain.status()).toBe(415);
  expect((await plain.json()).error.key).toBe("errors.crossSiteContentType");

  expect(await upstream.requests({ containing: marker })).toEqual([]);
  expect(await userTotals(db, account.id)).toEqual(before);

  // The app's own requests (its Origin, same-origin) still work.
  const renamed = await page.request.patch(`/api/conversations/${conversationId}`, {
    data: { title: "Renamed by the app" },
    headers: { origin: baseURL ?? "", "sec-fetch-site": "same-origin" },
  });
  expect(renamed.status()).toBe(200);
});

/** The id of a server action in the build, by the module and name it is exported as. */
function serverActionId(name: string): string {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", ".next", "server", "server-reference-manifest.json"), "utf8"),
  ) as { node: Record<string, { exportedName?: string; filename?: string }> };
  const found = Object.entries(manifest.node).find(([, action]) => action.exportedName === name);
  if (!found) throw new Error(`no server action ${name} in the build's manifest`);
  return found[0];
}

test("a server action posted from another site is refused; the locale cookie is HttpOnly, Lax, and Secure over HTTPS", async ({
  page,
  account,
  db,
  baseURL,
}) => {
  const action = serverActionId("setLocaleAction");
  const post = (headers: Record<string, string>) =>
    page.request.post("/settings", {
      data: JSON.stringify(["zh-CN"]),
      headers: {
        "next-action": action,
        "content-type": "text/plain;charset=UTF-8",
        accept: "text/x-component",
        ...headers,
      },
    });
  const locale = async () => (await db.query(`SELECT "locale" FROM "User" WHERE "id" = $1`, [account.id]))[0]?.locale;

  const foreign: Record<string, string>[] = [{ origin: "http://127.0.0.1:1" }, { "sec-fetch-site": "same-site" }];
  for (const headers of foreign) {
    const refused = await post(headers);
    expect(refused.status(), JSON.stringify(headers)).toBe(403);
    expect((await refused.json()).error.key).toBe("errors.crossSiteRequest");
    expect(refused.headers()["set-cookie"]).toBeUndefined();
  }
  expect(await locale()).toBeNull();

  // The same action from the app itself runs: the request above was a real one, refused for where it came from.
  const own = await post({ origin: baseURL ?? "", "sec-fetch-site": "same-origin" });
  expect(own.status()).toBe(200);
  expect(await locale()).toBe("zh-CN");
  const cookie = own
    .headersArray()
    .find((header) => header.name.toLowerCase() === "set-cookie" && header.value.startsWith("NEXT_LOCALE="));
  expect(cookie?.value).toMatch(/; HttpOnly/i);
  expect(cookie?.value).toMatch(/; SameSite=lax/i);
  expect(cookie?.value).not.toMatch(/; Secure/i);
  const overHttps = await post({ origin: baseURL?.replace("http:", "https:") ?? "", "x-forwarded-proto": "https" });
  expect(overHttps.status()).toBe(200);
  const secure = overHttps.headersArray().find((header) => header.value.startsWith("NEXT_LOCALE="));
  expect(secure?.value).toMatch(/; Secure/i);
});

test("the session cookie is HttpOnly and SameSite=Lax, and Secure (__Secure-) over HTTPS", async ({ db, baseURL }) => {
  const account = await createAccount(db, { prefix: "cookies" });
  for (const isHttps of [false, true]) {
    const api = await playwrightRequest.newContext({ baseURL });
    try {
      const headers: Record<string, string> = isHttps ? { "x-forwarded-proto": "https" } : {};
      const csrf = await api.get("/api/auth/csrf", { headers });
      const csrfCookie = csrf.headersArray().find((header) => /csrf-token=/.test(header.value));
      expect(csrfCookie?.value, "csrf cookie").toMatch(/; HttpOnly/i);
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const cookie = csrfCookie?.value.split(";")[0] ?? "";
      const signIn = await api.post("/api/auth/callback/credentials", {
        form: { email: account.email, password: ACCOUNT_PASSWORD, csrfToken, callbackUrl: "/" },
        headers: { ...headers, cookie },
        maxRedirects: 0,
      });
      const session = signIn.headersArray().find((header) => /session-token=/.test(header.value))?.value ?? "";
      expect(session, `session cookie over ${isHttps ? "HTTPS" : "HTTP"}`).toMatch(
        isHttps ? /^__Secure-authjs\.session-token=/ : /^authjs\.session-token=/,
      );
      expect(session).toMatch(/; HttpOnly/i);
      expect(session).toMatch(/; SameSite=Lax/i);
      if (isHttps) expect(session).toMatch(/; Secure/i);
      else expect(session).not.toMatch(/; Secure/i);
    } finally {
      await api.dispose();
    }
  }
});

test("a remote image in a reply is fetched only when the user clicks it, here and on the shared page; the policy refuses one put in the page", async ({
  page,
  browser,
  account: _signedIn,
}) => {
  const host = await startOtherSite();
  try {
    const image = `${host.url}/tracker.png`;
    const chat = await ChatPage.openNew(page);
    await chat.send(`[[reply:Look: ![tracker](${image}) and ![](${image}?2)]]`);
    const reply = await chat.waitForReply();
    const placeholder = reply.getByRole("link", { name: /tracker.*Load image from 127\.0\.0\.1:\d+/ });
    await expect(placeholder).toHaveAttribute("href", image);
    await expect(placeholder).toHaveAttribute("target", "_blank");
    await expect(placeholder).toHaveAttribute("rel", "noopener noreferrer");
    await expect(reply.getByRole("link", { name: /Load image from/ })).toHaveCount(2);
    await page.reload();
    await expect(chat.lastAssistant().getByRole("link", { name: /Load image from/ })).toHaveCount(2);

    const conversationId = await chat.conversationId();
    const shared = await page.request.post(`/api/conversations/${conversationId}/share`);
    const { share } = (await shared.json()) as { share: { path: string } };
    const visitor = await browser.newContext();
    try {
      const sharedPage = await visitor.newPage();
      await sharedPage.goto(share.path);
      await expect(sharedPage.getByRole("link", { name: /Load image from/ })).toHaveCount(2);
    } finally {
      await visitor.close();
    }
    expect(host.hits).toEqual([]);

    // An image element put in the page by other means is refused by the policy's img-src, and reported.
    const blocked = await page.evaluate(
      (src) =>
        new Promise<string>((resolve) => {
          document.addEventListener("securitypolicyviolation", (event) => resolve(event.effectiveDirective), {
            once: true,
          });
          const element = document.createElement("img");
          element.src = src;
          document.body.append(element);
        }),
      `${image}?injected`,
    );
    expect(blocked).toBe("img-src");
    expect(host.hits).toEqual([]);

    // The user's click opens it, in a tab of its own.
    const [tab] = await Promise.all([page.waitForEvent("popup"), placeholder.click()]);
    await tab.waitForLoadState();
    // (A browser may ask any site it opens for its icon.)
    expect(host.hits.filter((hit) => hit !== "/favicon.ico")).toEqual(["/tracker.png"]);
    await tab.close();
  } finally {
    await host.close();
  }
});
