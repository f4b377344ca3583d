// The operator's secrets (the OpenAI key, AUTH_SECRET; distinctive values from e2e/app-server.ts, which `npm test`
// also builds with) never reach a user: not in any file of the built client assets, not in any response a signed-in
// user or an anonymous visitor gets (pages, API answers, error answers, including an upstream error that quotes the
// key), and not in the server's log.
import fs from "node:fs";
import path from "node:path";
import { type APIResponse, request } from "@playwright/test";
import { TEST_SECRETS } from "./app-server";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";
import { sendChat } from "./sessions";

const ROOT = path.resolve(__dirname, "..");
const SECRETS = Object.values(TEST_SECRETS);

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

const secretsIn = (text: string) => SECRETS.filter((secret) => text.includes(secret));

test("no secret in the built client assets", () => {
  const files = filesUnder(path.join(ROOT, ".next", "static"));
  expect(files.length).toBeGreaterThan(10);
  const holding = files.filter((file) => secretsIn(fs.readFileSync(file, "latin1")).length > 0);
  expect(holding.map((file) => path.relative(ROOT, file))).toEqual([]);
  test.info().annotations.push({ type: "client assets scanned", description: String(files.length) });
});

test("no secret in any response, error or log line", async ({ page, account: _signedIn, baseURL }) => {
  test.setTimeout(180_000);
  if (!baseURL) throw new Error("no baseURL");
  const captured: { url: string; text: string }[] = [];
  const capture = async (response: APIResponse | import("@playwright/test").Response) => {
    const text = await response.text().catch(() => "");
    captured.push({ url: response.url(), text: `${JSON.stringify(response.headers())}\n${text}` });
  };
  page.on("response", (response) => void capture(response));

  const chat = new ChatPage(page);
  await page.goto("/");
  await chat.send("Hello [[reply:Hi there]]");
  await chat.waitForReply();
  const id = await chat.conversationId();
  // An upstream that refuses the key quotes it back ("Incorrect API key provided: sk-…"): the user sees a message
  // without it.
  await chat.send("Refuse me [[status:401]]");
  await expect(chat.alert()).toContainText("rejected the API key (401)");
  for (const path of [
    `/c/${id}`,
    "/settings",
    "/usage",
    "/presets",
    "/admin",
    "/no-such-page",
    "/share/x",
    "/c/%E0%A4%A",
  ]) {
    await page.goto(path);
  }

  const api = page.request;
  const answers = [
    await api.get(`/api/conversations/${id}`),
    await api.get(`/api/conversations/${id}/export?format=json`),
    await api.get("/api/export"),
    await api.get("/api/usage/export"),
    await api.get("/api/usage/summary"),
    await api.get("/api/auth/session"),
    await api.get("/api/presets"),
    await api.post("/api/chat", { data: "{", headers: { "content-type": "application/json" } }),
    await api.post("/api/chat", { data: { conversationId: id, model: "no-such-model", text: "x" } }),
    await api.get("/api/conversations/search?q=%00"),
  ];
  const refused = await sendChat(api, { text: "Fail upstream [[status:500]]" });
  const anonymous = await request.newContext({ baseURL });
  try {
    for (const path of [
      "/",
      "/sign-in",
      "/sign-up",
      "/api/health",
      "/api/auth/providers",
      "/api/auth/csrf",
      "/api/conversations",
    ]) {
      answers.push(await anonymous.get(path, { maxRedirects: 0 }));
    }
    for (const answer of answers) await capture(answer);
  } finally {
    await anonymous.dispose();
  }
  captured.push({ url: "POST /api/chat [[status:500]]", text: JSON.stringify(refused) });

  const leaking = captured.filter(({ text }) => secretsIn(text).length > 0).map(({ url }) => url);
  expect(leaking).toEqual([]);
  expect(captured.length).toBeGreaterThan(20);
  test.info().annotations.push({ type: "responses scanned", description: String(captured.length) });

  // The shared server's log so far: every spec's requests, errors included (lib/http.ts redacts what it logs).
  const log = path.join(ROOT, "test-results", `app-${process.env.E2E_RUN_NAME ?? "e2e"}.log`);
  expect(secretsIn(fs.readFileSync(log, "utf8"))).toEqual([]);
});
