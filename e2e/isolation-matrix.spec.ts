// Isolation, made hard to forget: every route handler, server action and dynamic page of the app (read from app/ by
// e2e/route-tree.ts) must have an entry below saying how to aim it at a victim's data: conversation, message, an older
// version, preset, share link, file, ledger export, settings. A new route.ts, actions.ts export or [param] page without
// an entry fails the first test, and an entry whose route is gone fails it too.
// Each entry is then sent as a second real user and anonymously: the answer is the expected refusal (404 to the other
// user; 401 from an API or a redirect to sign-in for the anonymous visitor), the body holds none of the victim's text
// or ids, and none of the victim's rows changed (a checksum of every row that mentions them, in every table).
// Server actions answer a form state rather than a status, so for them the proof is the last two.
import { randomUUID } from "node:crypto";
import { type APIRequestContext, type APIResponse, request } from "@playwright/test";
import sharp from "sharp";
import { expect, test } from "./fixtures";
import {
  type ActionArgument,
  actionReferences,
  callAction,
  changedTables,
  dynamicPages,
  routeHandlers,
  serverActions,
  tableState,
} from "./route-tree";
import { type ApiUser, createApiUser, sendChat } from "./sessions";

/** The victim's data the entries aim at. */
interface Victim {
  user: ApiUser;
  secret: string;
  conversation: string;
  /** A second conversation, shared once and then no longer: its old link must stay dead. */
  unshared: string;
  message: string;
  reply: string;
  /** The first version of the reply, replaced by a regenerated one. */
  olderReply: string;
  preset: string;
  share: string;
  revokedShare: string;
  file: string;
  comparison: string;
  /** A playground run (its history row) and its ledger entry (the call Stop names). */
  run: string;
  runEntry: string;
}

type Expected = number | "any";
interface Request_ {
  method: string;
  path: (v: Victim) => string;
  data?: (v: Victim) => unknown;
  multipart?: (v: Victim) => Record<string, string | { name: string; mimeType: string; buffer: Buffer }>;
  /** What the other user gets (default 404: as if it did not exist); "any": anything but a 5xx. */
  intruder?: Expected;
  /** What the anonymous visitor gets (default 401). */
  anonymous?: Expected;
}

const chatBody = (v: Victim, extra: Record<string, unknown>) => ({
  conversationId: v.conversation,
  model: "gpt-5-mini",
  ...extra,
});

/** Route handlers: "METHOD /path" as route-tree names them. */
const ROUTES: Record<string, Request_> = {
  "POST /api/audio/transcriptions": {
    method: "POST",
    path: () => "/api/audio/transcriptions",
    multipart: (v) => ({
      conversationId: v.conversation,
      file: { name: "a.webm", mimeType: "audio/webm", buffer: Buffer.alloc(64) },
    }),
    intruder: "any",
  },
  "GET /api/chat/[id]/stream": { method: "GET", path: (v) => `/api/chat/${v.conversation}/stream` },
  "POST /api/chat": { method: "POST", path: () => "/api/chat", data: (v) => chatBody(v, { text: "hijack" }) },
  "POST /api/chat/stop": {
    method: "POST",
    path: () => "/api/chat/stop",
    data: (v) => ({ conversationId: v.conversation }),
  },
  // A comparison runs for its caller alone: a body naming the victim's comparison or account is refused (strict).
  "POST /api/compare": {
    method: "POST",
    path: () => "/api/compare",
    data: (v) => ({
      prompt: "hijack",
      models: ["gpt-5-mini", "gpt-4o-mini"],
      comparisonId: v.comparison,
      userId: v.user.id,
    }),
    intruder: 400,
  },
  "POST /api/compare/[id]/continue": {
    method: "POST",
    path: (v) => `/api/compare/${v.comparison}/continue`,
    data: () => ({ answer: 0 }),
  },
  "POST /api/compare/[id]/stop": { method: "POST", path: (v) => `/api/compare/${v.comparison}/stop` },
  "GET /api/conversations/[id]/branch": { method: "GET", path: (v) => `/api/conversations/${v.conversation}/branch` },
  "POST /api/conversations/[id]/branch": {
    method: "POST",
    path: (v) => `/api/conversations/${v.conversation}/branch`,
    data: (v) => ({ messageId: v.olderReply }),
  },
  "GET /api/conversations/[id]/export": {
    method: "GET",
    path: (v) => `/api/conversations/${v.conversation}/export?format=json`,
  },
  "GET /api/conversations/[id]/messages/[messageId]": {
    method: "GET",
    path: (v) => `/api/conversations/${v.conversation}/messages/${v.reply}`,
  },
  "GET /api/conversations/[id]/messages": {
    method: "GET",
    path: (v) => `/api/conversations/${v.conversation}/messages?before=${v.reply}`,
  },
  "GET /api/conversations/[id]/prompt": {
    method: "GET",
    path: (v) => `/api/conversations/${v.conversation}/prompt?before=${v.reply}&model=gpt-5-mini`,
  },
  "GET /api/conversations/[id]": { method: "GET", path: (v) => `/api/conversations/${v.conversation}` },
  "PATCH /api/conversations/[id]": {
    method: "PATCH",
    path: (v) => `/api/conversations/${v.conversation}`,
    data: () => ({ title: "mine now", pinned: true }),
  },
  "DELETE /api/conversations/[id]": { method: "DELETE", path: (v) => `/api/conversations/${v.conversation}` },
  "PATCH /api/conversations/[id]/settings": {
    method: "PATCH",
    path: (v) => `/api/conversations/${v.conversation}/settings`,
    data: () => ({ model: "gpt-4.1-mini", settings: { systemPrompt: "obey me", temperature: 1.5 } }),
  },
  "GET /api/conversations/[id]/share": { method: "GET", path: (v) => `/api/conversations/${v.conversation}/share` },
  "POST /api/conversations/[id]/share": { method: "POST", path: (v) => `/api/conversations/${v.unshared}/share` },
  "DELETE /api/conversations/[id]/share": {
    method: "DELETE",
    path: (v) => `/api/conversations/${v.conversation}/share`,
  },
  // Lists, searches and exports take no id: they answer the caller's own data, which must hold none of the victim's.
  "GET /api/conversations": { method: "GET", path: () => "/api/conversations?limit=100", intruder: 200 },
  "GET /api/conversations/search": {
    method: "GET",
    path: () => "/api/conversations/search?q=private%20note",
    intruder: 200,
  },
  "GET /api/export": { method: "GET", path: () => "/api/export", intruder: 200 },
  "GET /api/files/[id]": { method: "GET", path: (v) => `/api/files/${v.file}` },
  "DELETE /api/files/[id]": { method: "DELETE", path: (v) => `/api/files/${v.file}` },
  "POST /api/files": {
    method: "POST",
    path: () => "/api/files",
    multipart: (v) => ({
      conversationId: v.conversation,
      file: { name: "x.txt", mimeType: "image/png", buffer: Buffer.from("not an image") },
    }),
    intruder: 400,
  },
  "POST /api/images": {
    method: "POST",
    path: () => "/api/images",
    data: (v) => ({ conversationId: v.conversation, prompt: "draw", size: "1024x1024", quality: "low", count: 1 }),
  },
  "POST /api/import": {
    method: "POST",
    path: () => "/api/import",
    data: (v) => ({
      format: "chatledger-archive",
      version: 1,
      conversations: [{ id: v.conversation, title: "x", messages: [] }],
    }),
    intruder: "any",
  },
  "POST /api/playground": {
    method: "POST",
    path: () => "/api/playground",
    data: (v) => ({ model: "gpt-3.5-turbo-instruct", prompt: `hijack ${v.secret}`, maxTokens: 4 }),
    intruder: "any",
  },
  "POST /api/playground/stop": {
    method: "POST",
    path: () => "/api/playground/stop",
    data: (v) => ({ callId: v.runEntry }),
  },
  "GET /api/playground/runs": { method: "GET", path: (v) => `/api/playground/runs?before=${v.run}` },
  "GET /api/playground/runs/[id]": { method: "GET", path: (v) => `/api/playground/runs/${v.run}` },
  "DELETE /api/playground/runs/[id]": { method: "DELETE", path: (v) => `/api/playground/runs/${v.run}` },
  "GET /api/presets/[id]": { method: "GET", path: (v) => `/api/presets/${v.preset}` },
  "PATCH /api/presets/[id]": {
    method: "PATCH",
    path: (v) => `/api/presets/${v.preset}`,
    data: () => ({ name: "stolen" }),
  },
  "DELETE /api/presets/[id]": { method: "DELETE", path: (v) => `/api/presets/${v.preset}` },
  "GET /api/presets": { method: "GET", path: () => "/api/presets", intruder: 200 },
  "POST /api/presets": {
    method: "POST",
    path: () => "/api/presets",
    data: (v) => ({ id: v.preset, userId: v.user.id, name: `copy ${randomUUID()}`, model: "gpt-5-mini" }),
    intruder: 400,
  },
  "GET /api/usage/export": { method: "GET", path: () => "/api/usage/export?range=all", intruder: "any" },
  "GET /api/usage/summary": {
    method: "GET",
    path: (v) => `/api/usage/summary?conversationId=${v.conversation}`,
    intruder: "any",
  },
  // Auth.js: the session of the caller only; signing in as the victim needs their password.
  "GET /api/auth/[...nextauth]": { method: "GET", path: () => "/api/auth/session", intruder: 200, anonymous: 200 },
  "POST /api/auth/[...nextauth]": {
    method: "POST",
    path: () => "/api/auth/callback/credentials",
    multipart: (v) => ({ email: v.user.email, password: "not their password 1", callbackUrl: "/" }),
    intruder: "any",
    anonymous: "any",
  },
  // Off unless the benchmark sets CHATLEDGER_BENCH_FLOOR (it would spend the operator's key for anyone).
  "POST /api/bench/floor": {
    method: "POST",
    path: () => "/api/bench/floor",
    data: () => ({ text: "hi" }),
    anonymous: 404,
  },
  "GET /api/health": { method: "GET", path: () => "/api/health", intruder: 200, anonymous: 200 },
  // Telegram's deliveries: proven by the webhook secret, which no session carries (e2e/telegram.spec.ts).
  "POST /api/telegram/webhook": {
    method: "POST",
    path: () => "/api/telegram/webhook",
    data: (v) => ({ update_id: 1, message: { text: `/start ${v.user.id}` } }),
    intruder: 401,
    anonymous: 401,
  },
  // WeChat's callbacks: proven by the signature over the account's Token, which no session carries (e2e/wechat.spec.ts).
  "GET /api/wechat/mp": {
    method: "GET",
    path: (v) => `/api/wechat/mp?${unsignedCallback()}&echostr=${v.user.id}`,
    intruder: 401,
    anonymous: 401,
  },
  "POST /api/wechat/mp": {
    method: "POST",
    path: () => `/api/wechat/mp?${unsignedCallback()}`,
    data: (v) => ({ FromUserName: v.user.id, MsgType: "text", Content: "#新对话" }),
    intruder: 401,
    anonymous: 401,
  },
  "GET /api/wechat/work": {
    method: "GET",
    path: (v) => `/api/wechat/work?${unsignedCallback()}&echostr=${v.user.id}`,
    intruder: 401,
    anonymous: 401,
  },
  "POST /api/wechat/work": {
    method: "POST",
    path: () => `/api/wechat/work?${unsignedCallback()}`,
    data: (v) => ({ FromUserName: v.user.id, MsgType: "text", Content: "#新对话" }),
    intruder: 401,
    anonymous: 401,
  },
};

/** A callback's query as WeChat sends it, fresh, but without a signature. */
function unsignedCallback() {
  return new URLSearchParams({ timestamp: String(Math.floor(Date.now() / 1000)), nonce: "1" });
}

/** Dynamic pages: the other user gets the not-found page; the anonymous visitor is sent to sign in (307). */
const PAGES: Record<string, { path: (v: Victim) => string; anonymous: number }> = {
  "/c/[id]": { path: (v) => `/c/${v.conversation}`, anonymous: 307 },
  // Public by design for a link that is shared: a revoked link is as dead as one never made.
  "/share/[id]": { path: (v) => `/share/${v.revokedShare}`, anonymous: 404 },
};

/** Server actions: their arguments aimed at the victim. */
const ACTIONS: Record<string, (v: Victim) => ActionArgument[]> = {
  "app/(auth)/actions.ts#signUpWithPassword": (v) => [
    { json: {} },
    { formData: { name: "x", email: v.user.email, password: "taken over 123" } },
  ],
  "app/(auth)/actions.ts#signInWithPassword": (v) => [
    { json: {} },
    { formData: { email: v.user.email, password: "not their password 1", callbackUrl: `/c/${v.conversation}` } },
  ],
  "app/(auth)/actions.ts#signInWithOAuth": () => [{ formData: { provider: "github", callbackUrl: "/" } }],
  // The caller's own password only, and only with its current one.
  "app/(auth)/actions.ts#changePassword": () => [
    { json: {} },
    { formData: { currentPassword: "not their password 1", newPassword: "taken over 12345" } },
  ],
  // Run last as the other user: it ends their session.
  "app/(auth)/actions.ts#signOutAction": () => [],
  "app/(chat)/admin/actions.ts#setUserBudget": (v) => [
    { formData: { userId: v.user.id, mode: "limited", amountUsd: "0.01" } },
  ],
  "app/(chat)/admin/actions.ts#setUserStatus": (v) => [{ formData: { userId: v.user.id, status: "disabled" } }],
  "app/(chat)/admin/actions.ts#createInviteLink": (v) => [{ formData: { email: v.user.email, expiresInDays: "7" } }],
  "app/(chat)/admin/actions.ts#revokeInviteLink": (v) => [{ formData: { inviteId: v.user.id } }],
  // The caller's own locale only (signed in: saved on their account).
  "lib/i18n/actions.ts#setLocaleAction": () => [{ json: "zh-CN" }],
  // The caller's own budget only: there is no field that names another user.
  "app/(chat)/settings/actions.ts#saveBudget": (v) => [
    { formData: { userId: v.user.id, mode: "limited", amountUsd: "0.01" } },
  ],
  // The caller's own Telegram link only: neither takes an argument that could name another user.
  "app/(chat)/settings/actions.ts#createTelegramLink": (v) => [{ json: { userId: v.user.id } }],
  "app/(chat)/settings/actions.ts#unlinkTelegram": (v) => [{ json: { userId: v.user.id } }],
  // The caller's own WeChat link only: the one argument is the channel, and a user id smuggled in after it is ignored.
  // The victim's account and code on the channel (makeVictim) stay; the caller's own code is made (checked below).
  "app/(chat)/settings/actions.ts#createWechatLinkCode": (v) => [{ json: "wechat_mp" }, { json: v.user.id }],
  "app/(chat)/settings/actions.ts#unlinkWechat": (v) => [{ json: "wechat_mp" }, { json: v.user.id }],
};

const sorted = (keys: Iterable<string>) => [...keys].sort();

test("the matrix lists every route handler, server action and dynamic page, and nothing else", () => {
  expect(sorted(Object.keys(ROUTES)), "route handlers (app/**/route.ts)").toEqual(sorted(routeHandlers()));
  expect(sorted(Object.keys(ACTIONS)), "server actions (app/**/actions.ts)").toEqual(sorted(serverActions()));
  expect(sorted(Object.keys(PAGES)), "dynamic pages (app/**/[param]/page.tsx)").toEqual(sorted(dynamicPages()));
  // Every action has an id in this build and a page to post it to, and the build has no action the scan missed.
  const references = actionReferences();
  expect(serverActions().filter((name) => !references.has(name))).toEqual([]);
  expect(sorted(references.keys())).toEqual(sorted(serverActions()));
});

async function tinyPng(): Promise<Buffer> {
  return sharp({ create: { width: 8, height: 8, channels: 3, background: "#c33" } })
    .png()
    .toBuffer();
}

async function makeVictim(baseURL: string, db: Parameters<typeof createApiUser>[0]["db"]): Promise<Victim> {
  const user = await createApiUser({ baseURL, db, prefix: "victim", budgetMicros: null });
  const secret = `victim-secret-${randomUUID()}`;
  const first = await sendChat(user.api, { text: `My private note ${secret} [[reply:Private reply ${secret}]]` });
  expect(first.status).toBe(200);
  const conversation = first.conversationId;
  const read = async () =>
    (
      (await (await user.api.get(`/api/conversations/${conversation}`)).json()) as {
        conversation: { messages: { id: string; role: string }[] };
      }
    ).conversation.messages;
  const [message, olderReply] = (await read()).map((m) => m.id);
  const regenerated = await user.api.post("/api/chat", {
    data: { conversationId: conversation, model: "gpt-5-mini", regenerate: olderReply },
  });
  expect(regenerated.status()).toBe(200);
  await regenerated.text();
  const reply = (await read()).at(-1)?.id;
  const other = await sendChat(user.api, { text: `Second note ${secret}` });
  const share = async (id: string) =>
    ((await (await user.api.post(`/api/conversations/${id}/share`)).json()) as { share: { id: string } }).share.id;
  const revokedShare = await share(other.conversationId);
  expect((await user.api.delete(`/api/conversations/${other.conversationId}/share`)).status()).toBe(204);
  const preset = await user.api.post("/api/presets", {
    data: { name: `Preset ${secret}`, model: "gpt-5-mini", settings: { systemPrompt: `Prompt ${secret}` } },
  });
  expect(preset.status()).toBe(201);
  const upload = await user.api.post("/api/files", {
    multipart: { file: { name: `${secret}.png`, mimeType: "image/png", buffer: await tinyPng() } },
  });
  expect(upload.status()).toBe(201);
  if (!message || !olderReply || !reply || olderReply === reply) throw new Error("the victim's chat was not stored");
  const compared = await user.api.post("/api/compare", {
    data: { prompt: `Compare ${secret} [[reply:Compared ${secret}]]`, models: ["gpt-5-mini", "gpt-4o-mini"] },
  });
  expect(compared.status()).toBe(200);
  const [started] = (await compared.text()).split("\n");
  const comparison = (JSON.parse(started ?? "{}") as { comparisonId?: string }).comparisonId;
  if (!comparison) throw new Error("the victim's comparison was not stored");
  const completion = await user.api.post("/api/playground", {
    data: { model: "gpt-3.5-turbo-instruct", prompt: `Playground ${secret}`, maxTokens: 8 },
  });
  expect(completion.status()).toBe(200);
  const ended = JSON.parse((await completion.text()).trim().split("\n").at(-1) ?? "{}") as { run?: { id: string } };
  const [runRow] = await db.query(`SELECT "id", "entryId" FROM "CompletionRun" WHERE "id" = $1`, [ended.run?.id]);
  if (!runRow) throw new Error("the victim's playground run was not stored");
  // A linked official-account user and an unused link code, for the WeChat actions to leave alone.
  await db.query(
    `INSERT INTO "ChannelAccount" ("channel", "externalId", "userId", "displayName", "linkedAt") VALUES ('wechat_mp', $1, $2, NULL, $3)`,
    [`victim-openid-${randomUUID()}`, user.id, new Date().toISOString()],
  );
  await db.query(
    `INSERT INTO "ChannelLinkToken" ("tokenHash", "channel", "userId", "expiresAt", "createdAt") VALUES ($1, 'wechat_mp', $2, $3, $4)`,
    [
      `${randomUUID()}${randomUUID()}`.replaceAll("-", ""),
      user.id,
      new Date(Date.now() + 3_600_000).toISOString(),
      new Date().toISOString(),
    ],
  );
  return {
    user,
    secret,
    conversation,
    unshared: other.conversationId,
    message,
    reply,
    olderReply,
    preset: ((await preset.json()) as { preset: { id: string } }).preset.id,
    share: await share(conversation),
    revokedShare,
    file: ((await upload.json()) as { id: string }).id,
    comparison,
    run: String(runRow.id),
    runEntry: String(runRow.entryId),
  };
}

/** The victim's text and every id of theirs, except those the request itself carried (a 404 page may echo its URL). */
function leaksIn(body: string, victim: Victim, sent: string): string[] {
  const needles = [
    victim.secret,
    victim.user.id,
    victim.user.email,
    victim.conversation,
    victim.unshared,
    victim.message,
    victim.reply,
    victim.olderReply,
    victim.preset,
    victim.share,
    victim.revokedShare,
    victim.file,
    victim.comparison,
    victim.run,
    victim.runEntry,
  ];
  return needles.filter((needle) => !sent.includes(needle) && body.includes(needle));
}

async function send(api: APIRequestContext, baseURL: string, entry: Request_, victim: Victim) {
  const path = entry.path(victim);
  const data = entry.data?.(victim);
  const multipart = entry.multipart?.(victim);
  const response = await api.fetch(path, {
    method: entry.method,
    data,
    multipart,
    maxRedirects: 0,
    headers: { origin: baseURL, "sec-fetch-site": "same-origin" },
  });
  return { response, sent: `${path} ${JSON.stringify(data ?? multipart ?? "")}` };
}

async function check(
  who: string,
  { response, sent }: { response: APIResponse; sent: string },
  expected: Expected,
  victim: Victim,
) {
  const body = await response.text();
  if (expected === "any") expect(response.status(), `${who}: no server error`).toBeLessThan(500);
  else expect(response.status(), who).toBe(expected);
  expect(leaksIn(body, victim, sent), `${who}: the victim's data in the body`).toEqual([]);
}

test("as another user and anonymously, every entry point refuses the victim's data and changes nothing", async ({
  baseURL,
  db,
}) => {
  test.setTimeout(300_000);
  if (!baseURL) throw new Error("no baseURL");
  const victim = await makeVictim(baseURL, db);
  const intruder = await createApiUser({ baseURL, db, prefix: "intruder" });
  const anonymous = await request.newContext({ baseURL });
  const theirs = () => tableState(db, [victim.user.id, victim.conversation, victim.unshared]);
  const before = await theirs();
  const references = actionReferences();
  let attempts = 0;
  try {
    for (const [name, entry] of Object.entries(ROUTES)) {
      await check(
        `${name} as another user`,
        await send(intruder.api, baseURL, entry, victim),
        entry.intruder ?? 404,
        victim,
      );
      await check(`${name} anonymously`, await send(anonymous, baseURL, entry, victim), entry.anonymous ?? 401, victim);
      attempts += 2;
    }
    for (const [name, page] of Object.entries(PAGES)) {
      const path = page.path(victim);
      const get = (api: APIRequestContext) => api.get(path, { maxRedirects: 0 });
      await check(`${name} as another user`, { response: await get(intruder.api), sent: path }, 404, victim);
      const anonymousPage = await get(anonymous);
      await check(`${name} anonymously`, { response: anonymousPage, sent: path }, page.anonymous, victim);
      if (page.anonymous === 307) expect(anonymousPage.headers().location).toMatch(/^\/sign-in\b/);
      attempts += 2;
    }
    const actionNames = sorted(Object.keys(ACTIONS)).sort(
      (a, b) => Number(a.endsWith("#signOutAction")) - Number(b.endsWith("#signOutAction")),
    );
    for (const name of actionNames) {
      const reference = references.get(name);
      if (!reference) throw new Error(`no id for ${name} in this build`);
      const args = ACTIONS[name]?.(victim) ?? [];
      const sent = JSON.stringify(args);
      for (const [who, api] of [
        ["another user", intruder.api],
        ["anonymously", anonymous],
      ] as const) {
        const response = await callAction(api, baseURL, reference, args);
        expect(leaksIn(await response.text(), victim, sent), `${name} ${who}: the victim's data in the body`).toEqual(
          [],
        );
        attempts++;
      }
    }
    expect(changedTables(before, await theirs()), "the victim's rows changed").toEqual([]);
    // The actions really ran (a wrong id or encoding would be refused before any of them): the other user's own
    // language was saved on their account, by setLocaleAction.
    const [own] = await db.query<{ locale: string | null }>(`SELECT "locale" FROM "User" WHERE "id" = $1`, [
      intruder.id,
    ]);
    expect(own?.locale).toBe("zh-CN");
    // And the other user's own WeChat code was made, by createWechatLinkCode (not the victim's, whose stayed).
    const codes = await db.query<{ channel: string }>(`SELECT "channel" FROM "ChannelLinkToken" WHERE "userId" = $1`, [
      intruder.id,
    ]);
    expect(codes.map((code) => code.channel)).toContain("wechat_mp");
    test.info().annotations.push({ type: "cross-user attempts", description: String(attempts) });
  } finally {
    await anonymous.dispose();
  }

  // The victim still has everything (a checksum proves it did not change; this proves it is reachable).
  expect((await victim.user.api.get(`/api/conversations/${victim.conversation}`)).status()).toBe(200);
  expect((await victim.user.api.get(`/api/files/${victim.file}`)).status()).toBe(200);
  expect((await victim.user.api.get(`/share/${victim.share}`)).status()).toBe(200);
});
