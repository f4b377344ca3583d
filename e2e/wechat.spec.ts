// WeChat end to end: callbacks signed and encrypted as WeChat's servers do (e2e/wechat.ts) posted to the shared app's
// official account (公众号, safe mode with answers kept for the next message) and WeCom app, which talk to the fake
// Tencent APIs (e2e/fake-wechat) and the fake OpenAI upstream; the specs assert the passive replies, the API calls
// the app made, the upstream requests and the ledger. The active-reply mode (a service account's customer-service
// messages) runs on a server of its own. Each test has its own WeChat users.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { encryptWechat, wechatSignature } from "../lib/channels/wechat/crypto";
import { createAccount, signInAs } from "./accounts";
import { type OwnApp, startOwnApp, TEST_SECRETS, WECHAT_IDS, wechatEnv } from "./app-server";
import type { TestDatabase } from "./db";
import { expect, test } from "./fixtures";
import {
  eventMessage,
  expireTokens,
  linkedMpUser,
  linkedWecomUser,
  MP_CIPHER,
  newOpenId,
  postMp,
  postWecom,
  registerMedia,
  sentText,
  storeLinkCode,
  textMessage,
  voiceMessage,
  WECOM_CIPHER,
  waitForWechatCall,
  wechatCalls,
  wechatSeq,
} from "./wechat";

const AMR = fs.readFileSync(path.join(__dirname, "fixtures", "audio", "tone.amr"));

async function ledgerOf(db: TestDatabase, userId: string) {
  return db.query<{ kind: string; source: string; status: string; conversationId: string }>(
    `SELECT "kind", "source", "status", "conversationId" FROM "LedgerEntry" WHERE "userId" = $1 ORDER BY "createdAt"`,
    [userId],
  );
}

const contentOf = (posted: { reply: Record<string, unknown> | null }) => String(posted.reply?.Content ?? "");

test("the official account's URL check, and forged, replayed or malformed callbacks are refused, doing nothing", async ({
  upstream,
}) => {
  const base = process.env.E2E_BASE_URL;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signed = (ts: string, nonce: string) => wechatSignature(TEST_SECRETS.WECHAT_MP_TOKEN, ts, nonce);
  const verify = (query: Record<string, string>) => fetch(`${base}/api/wechat/mp?${new URLSearchParams(query)}`);
  const good = await verify({ signature: signed(timestamp, "42"), timestamp, nonce: "42", echostr: "echo 7151" });
  expect(good.status).toBe(200);
  expect(await good.text()).toBe("echo 7151");
  expect((await verify({ signature: "0".repeat(40), timestamp, nonce: "42", echostr: "x" })).status).toBe(401);

  const marker = `forged ${randomUUID()}`;
  const message = textMessage(newOpenId(), marker);
  expect((await postMp(message, { mode: "plaintext", signature: "f".repeat(40) })).status).toBe(401);
  expect((await postMp(message, { mode: "safe", signature: "f".repeat(40) })).status).toBe(401);
  // A delivery signed six minutes ago: a replay.
  const old = String(Math.floor(Date.now() / 1000) - 360);
  const replay = await postMp(message, { mode: "safe", timestamp: old });
  expect(replay.status).toBe(403);
  expect(replay.body).toContain("replay");
  // Signed, but its ciphertext is not one of ours (another account's key): refused.
  const nonce = "7";
  const foreign = encryptWechat({ ...MP_CIPHER, receiveId: "wx1111111111111111" }, "<xml><a>1</a></xml>");
  const query = new URLSearchParams({
    timestamp,
    nonce,
    encrypt_type: "aes",
    msg_signature: wechatSignature(MP_CIPHER.token, timestamp, nonce, foreign),
  });
  const refused = await fetch(`${base}/api/wechat/mp?${query}`, {
    method: "POST",
    body: `<xml><ToUserName><![CDATA[gh_0e2e0e2e0e2e]]></ToUserName><Encrypt><![CDATA[${foreign}]]></Encrypt></xml>`,
  });
  expect(refused.status).toBe(400);
  const plainQuery = new URLSearchParams({ timestamp, nonce, signature: signed(timestamp, nonce) });
  for (const body of [
    "not xml",
    "<!DOCTYPE x [<!ENTITY a 'b'>]><xml><a>&a;</a></xml>",
    "<xml><MsgType>text</MsgType></xml>",
  ]) {
    const response = await fetch(`${base}/api/wechat/mp?${plainQuery}`, { method: "POST", body });
    expect(response.status, body).toBe(400);
  }
  expect(await upstream.requests({ containing: marker })).toHaveLength(0);
});

test("plaintext, compatible and safe mode: unlinked users are told how to link; linked, a fast answer is the passive reply, with history, on the ledger and in the web history", async ({
  db,
  upstream,
  page,
}) => {
  const stranger = newOpenId();
  const unlinked = await postMp(textMessage(stranger, `hello ${randomUUID()}`), { mode: "plaintext" });
  expect(contentOf(unlinked)).toContain("#绑定");
  expect(contentOf(unlinked)).toContain("设置 → 微信");
  const welcome = await postMp(eventMessage(stranger, "subscribe"));
  expect(contentOf(welcome)).toContain("欢迎");

  const { account, openId } = await linkedMpUser(db);
  const first = `remember kumquat ${randomUUID()}`;
  for (const [mode, text] of [
    ["plaintext", first],
    ["compatible", `second ${randomUUID()}`],
    ["safe", `third ${randomUUID()}`],
  ] as const) {
    const posted = await postMp(textMessage(openId, text), { mode });
    expect(posted.status).toBe(200);
    // Encrypted in, encrypted out (readReply checked its signature and decrypted it).
    if (mode !== "plaintext") expect(posted.body).toContain("<Encrypt>");
    expect(posted.reply).toMatchObject({ ToUserName: openId, MsgType: "text", Content: `Echo: ${text}` });
  }
  const [third] = (await upstream.requests({ containing: "third" })).slice(-1);
  expect(JSON.stringify(third?.body)).toContain(first);
  const entries = await ledgerOf(db, account.id);
  expect(entries.map(({ kind, source, status }) => `${kind}/${source}/${status}`)).toEqual([
    "chat/wechat_mp/settled",
    "chat/wechat_mp/settled",
    "chat/wechat_mp/settled",
  ]);
  const conversationId = entries[0]?.conversationId ?? "";
  expect(new Set(entries.map((entry) => entry.conversationId))).toEqual(new Set([conversationId]));
  await signInAs(page.request, account);
  await page.goto(`/c/${conversationId}`);
  await expect(page.getByText(first).first()).toBeVisible();
  await expect(page.getByText("via WeChat")).toBeVisible();
});

test("commands: #帮助, #新对话, #模型, #用量, an unknown command, and a message type the account cannot read", async ({
  db,
}) => {
  const { openId } = await linkedMpUser(db);
  const say = async (text: string) => contentOf(await postMp(textMessage(openId, text)));
  expect(await say("#帮助")).toContain("#新对话");
  expect(await say("/help")).toContain("#用量");
  expect(await say("#模型")).toMatch(/本聊天的模型：\S+/);
  expect(await say("#模型 no-such-model")).toContain("没有模型“no-such-model”");
  expect(await say("＃模型 gpt-4.1-mini")).toContain("gpt-4.1-mini");
  expect(await say(`question ${randomUUID()}`)).toContain("Echo:");
  expect(await say("#用量")).toMatch(/本对话：1 次调用/);
  expect(await say("/new")).toContain("新对话");
  expect(await say("#用量")).toMatch(/本对话：暂无/);
  expect(await say("/frobnicate")).toContain("/frobnicate");
  const image = await postMp({ ...textMessage(openId, ""), MsgType: "image", PicUrl: "http://x/y.jpg", MediaId: "m1" });
  expect(contentOf(image)).toContain("暂不支持");
});

test("over budget: refused with the numbers, nothing sent upstream, nothing on the ledger", async ({
  db,
  upstream,
}) => {
  const { account, openId } = await linkedMpUser(db, { budgetMicros: 200 });
  const marker = `too dear ${randomUUID()}`;
  const refusal = contentOf(await postMp(textMessage(openId, marker)));
  expect(refusal).toMatch(/\$0\.0002/);
  expect(await upstream.requests({ containing: marker })).toHaveLength(0);
  expect(await ledgerOf(db, account.id)).toEqual([]);
});

test("voice: WeChat's recognition is answered as text; without it the AMR is fetched, transcribed (metered) and answered", async ({
  db,
}) => {
  const { account, openId } = await linkedMpUser(db);
  const recognised = await postMp(voiceMessage(openId, { mediaId: "unused", recognition: "今天天气怎么样" }));
  expect(contentOf(recognised)).toContain("🎤 今天天气怎么样");
  expect(contentOf(recognised)).toContain("Echo: 今天天气怎么样");
  const mediaId = `voice-${randomUUID()}`;
  await registerMedia({ mediaId, bytes: AMR });
  const since = await wechatSeq();
  const transcribed = await postMp(voiceMessage(openId, { mediaId }));
  // Sent upstream as WAV (the AMR converted), in Chinese: the fake names the file and the language it got.
  expect(contentOf(transcribed)).toContain("🎤 Transcript of audio.wav (zh)");
  const [download] = await wechatCalls({ since, path: "/mp/cgi-bin/media/get" });
  expect(download?.query.media_id).toBe(mediaId);
  const kinds = (await ledgerOf(db, account.id)).map(({ kind, source }) => `${kind}/${source}`);
  expect(kinds).toEqual(["chat/wechat_mp", "transcription/wechat_mp", "chat/wechat_mp"]);
});

test("a slow answer: WeChat's retries of one MsgId wait for it, one upstream call and one ledger entry, the retry replies", async ({
  db,
  upstream,
}) => {
  const { account, openId } = await linkedMpUser(db);
  // About 6 s: past the first delivery's window, within the second's.
  const message = textMessage(openId, `slow [[words:3]][[slow:2000]] ${randomUUID()}`);
  const first = await postMp(message);
  expect(first.body).toBe("success");
  const retry = await postMp(message);
  expect(contentOf(retry)).toContain("word3");
  expect(await upstream.requests({ containing: String(message.Content) })).toHaveLength(1);
  await expect.poll(async () => (await ledgerOf(db, account.id)).map((entry) => entry.status)).toEqual(["settled"]);
});

test("slower than three deliveries: the last says it is thinking, the next message fetches the answer, charged once", async ({
  db,
  upstream,
}) => {
  test.slow();
  const { account, openId } = await linkedMpUser(db);
  // About 18 s: past all three deliveries (about 15.5 s).
  const message = textMessage(openId, `slower [[words:3]][[slow:6000]] ${randomUUID()}`);
  expect((await postMp(message)).body).toBe("success");
  expect((await postMp(message)).body).toBe("success");
  expect(contentOf(await postMp(message))).toBe("正在思考，稍后发送任意消息获取回答");
  // Any message now fetches it (and is not itself a question): not ready yet, then the answer.
  const early = contentOf(await postMp(textMessage(openId, "好了吗")));
  expect(early === "回答还没有准备好，请稍后再发送任意消息。" || early.includes("word3")).toBe(true);
  if (!early.includes("word3")) {
    await expect
      .poll(async () => contentOf(await postMp(textMessage(openId, "好了吗"))), { timeout: 30_000 })
      .toContain("word3");
  }
  expect(await upstream.requests({ containing: String(message.Content) })).toHaveLength(1);
  expect(await upstream.requests({ containing: "好了吗" })).toHaveLength(0);
  expect((await ledgerOf(db, account.id)).map((entry) => entry.status)).toEqual(["settled"]);
  // Fetched once: the next message is a question again.
  expect(contentOf(await postMp(textMessage(openId, "next one")))).toBe("Echo: next one");
});

test("WeCom: URL check, forged callbacks refused, answers sent by message/send once per MsgId, the token refreshed when it expires", async ({
  db,
  upstream,
}) => {
  const base = process.env.E2E_BASE_URL;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const echostr = encryptWechat(WECOM_CIPHER, "1616140317555161061");
  const check = (signature: string) =>
    fetch(
      `${base}/api/wechat/work?${new URLSearchParams({ msg_signature: signature, timestamp, nonce: "9", echostr })}`,
    );
  const verified = await check(wechatSignature(WECOM_CIPHER.token, timestamp, "9", echostr));
  expect(await verified.text()).toBe("1616140317555161061");
  expect((await check("0".repeat(40))).status).toBe(401);
  const forged = textMessage("someone", `forged ${randomUUID()}`, { toUser: WECHAT_IDS.corpId });
  expect((await postWecom(forged, { signature: "a".repeat(40) })).status).toBe(401);
  expect(await upstream.requests({ containing: String(forged.Content) })).toHaveLength(0);

  const { account, userId } = await linkedWecomUser(db);
  const question = textMessage(userId, `**bold** question ${randomUUID()}`, { toUser: WECHAT_IDS.corpId });
  const since = await wechatSeq();
  // WeCom, too, delivers again what it thinks was not received: answered once.
  const statuses = await Promise.all([postWecom(question), postWecom(question), postWecom(question)]);
  expect(statuses.map((posted) => posted.status)).toEqual([200, 200, 200]);
  const sent = await waitForWechatCall({ since, touser: userId, path: "/work/cgi-bin/message/send" });
  expect(sent.body).toMatchObject({ msgtype: "markdown", agentid: WECHAT_IDS.agentId });
  expect(sentText(sent)).toBe(`Echo: ${question.Content}`);
  expect(await upstream.requests({ containing: String(question.Content) })).toHaveLength(1);
  // An expired token (42001) is replaced, and the send made again.
  await expireTokens("work");
  const mark = await wechatSeq();
  await postWecom(textMessage(userId, "#用量", { toUser: WECHAT_IDS.corpId }));
  const stats = await waitForWechatCall({
    since: mark,
    touser: userId,
    where: (call) => call.status === 200 && sentText(call).includes("本对话"),
  });
  expect(stats.body).toMatchObject({ msgtype: "text" });
  const calls = await wechatCalls({ since: mark, path: "/work/" });
  expect(
    calls.map(
      (call) => `${call.path.replace("/work/cgi-bin/", "")}:${(call.response as { errcode?: number }).errcode}`,
    ),
  ).toEqual(["message/send:42001", "gettoken:0", "message/send:0"]);
  const entries = await ledgerOf(db, account.id);
  expect(entries.map(({ source }) => source)).toEqual(["wecom"]);
});

test.describe("a verified service account (WECHAT_MP_ACTIVE_REPLY=true)", () => {
  let own: OwnApp;
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    own = await startOwnApp("wechat-active", {
      ...wechatEnv(process.env.FAKE_WECHAT_URL ?? "", { isActiveReply: true }),
      // Unlinked users are guests with a budget of their own here.
      WECHAT_GUEST_MONTHLY_BUDGET_USD: "0.01",
    });
  });
  test.afterAll(async () => {
    await own?.stop();
  });

  test("a slow answer goes out through the customer-service API, split at 2,048 bytes, once", async ({ upstream }) => {
    test.slow();
    const account = await createAccount(own.db, { prefix: "wxactive" });
    const code = await storeLinkCode(own.db, account, "wechat_mp");
    const openId = newOpenId();
    const url = own.app.url;
    expect(contentOf(await postMp(textMessage(openId, `#绑定${code}`), { url }))).toContain("已关联");
    // Guests have a budget on this server, but linking made none to be left behind.
    const guests = await own.db.query(`SELECT "id" FROM "User" WHERE "email" = $1`, [
      `wechat_mp-${openId}@guest.invalid`,
    ]);
    expect(guests).toEqual([]);
    // Three words of 6 s each, past all three deliveries; 2,702 bytes of Chinese: two customer-service messages.
    const long = ["长".repeat(300), "长".repeat(300), "长".repeat(300)].join("\n");
    const message = textMessage(openId, `slowest [[reply:${long}]][[slow:6000]] ${randomUUID()}`);
    const since = await wechatSeq();
    expect((await postMp(message, { url })).body).toBe("success");
    expect((await postMp(message, { url })).body).toBe("success");
    expect((await postMp(message, { url })).body).toBe("success");
    await waitForWechatCall(
      {
        since,
        touser: openId,
        path: "/mp/cgi-bin/message/custom/send",
        where: (call) => sentText(call).endsWith("长") && call.status === 200,
      },
      { timeout: 30_000 },
    );
    await expect
      .poll(async () => (await wechatCalls({ since, touser: openId, path: "custom/send" })).map(sentText).join(""))
      .toBe(long);
    const sends = await wechatCalls({ since, touser: openId, path: "custom/send" });
    expect(sends.length).toBe(2);
    for (const send of sends) expect(Buffer.byteLength(sentText(send))).toBeLessThanOrEqual(2048);
    expect(await upstream.requests({ containing: String(message.Content) })).toHaveLength(1);
  });

  test("an unlinked user is a guest with the operator's guest budget, on the ledger as a guest", async () => {
    const openId = newOpenId();
    const url = own.app.url;
    const text = `guest question ${randomUUID()}`;
    expect(contentOf(await postMp(textMessage(openId, text), { url }))).toBe(`Echo: ${text}`);
    const [guest] = await own.db.query<{ id: string; isGuest: unknown; monthlyBudgetMicros: unknown }>(
      `SELECT u."id", u."isGuest", u."monthlyBudgetMicros" FROM "User" u JOIN "ChannelAccount" a ON a."userId" = u."id"
       WHERE a."channel" = 'wechat_mp' AND a."externalId" = $1`,
      [openId],
    );
    expect(Boolean(guest?.isGuest)).toBe(true);
    expect(Number(guest?.monthlyBudgetMicros)).toBe(10_000);
    expect((await ledgerOf(own.db, guest?.id ?? "")).map(({ kind, source }) => `${kind}/${source}`)).toEqual([
      "chat/wechat_mp",
    ]);
  });
});
