// Voice input end to end: recording in the composer with Chromium's fake microphone, uploads of the eight formats,
// every bad input refused with its status and message and nothing charged, the budget refusing before any upstream
// call, and the route's sign-in and ownership checks. The shared app transcribes with gpt-4o-mini-transcribe
// ($1.25 / 1M text, $3 / 1M audio, $5 / 1M output tokens); the fake reports usage the spec turns into exact costs.
import fs from "node:fs";
import path from "node:path";
import { type APIRequestContext, request as playwrightRequest } from "@playwright/test";
import { formatUsd } from "../lib/billing/money";
import { AUDIO_FIXTURE_EXTENSIONS, makeWav } from "../test/audio";
import { num } from "./db";
import type { TranscriptionRecord } from "./fake-openai/transcriptions";
import { expect, test, type Upstream } from "./fixtures";
import { ChatPage } from "./pages/chat-page";
import { createApiUser } from "./sessions";

const FIXTURES = path.join(__dirname, "fixtures", "audio");
const fixture = (extension: string) => fs.readFileSync(path.join(FIXTURES, `tone.${extension}`));
const ENDPOINT = "/api/audio/transcriptions";
const MAX_BYTES = 25 * 1024 * 1024;

type TokensUsage = {
  input_token_details: { text_tokens: number; audio_tokens: number };
  output_tokens: number;
};

/**
 * gpt-4o-mini-transcribe's cost of the usage the fake reported to a call, in micro-USD (rounded half up, as the app
 * does); NaN when it reported none.
 */
function costOf(body: TranscriptionRecord | undefined): number {
  const usage = (body?.response as { usage?: TokensUsage } | undefined)?.usage;
  if (!usage) return Number.NaN;
  const scaled =
    usage.input_token_details.text_tokens * 1_250_000 +
    usage.input_token_details.audio_tokens * 3_000_000 +
    usage.output_tokens * 5_000_000;
  return Math.floor((scaled + 500_000) / 1_000_000);
}

async function transcriptionCalls(upstream: Upstream, marker: string) {
  const calls = await upstream.requests({ containing: marker });
  return calls.filter((call) => call.path === "/v1/audio/transcriptions") as ((typeof calls)[number] & {
    body: TranscriptionRecord;
  })[];
}

function upload(
  api: APIRequestContext,
  file: { name: string; mimeType: string; buffer: Buffer },
  fields: Record<string, string> = {},
) {
  return api.post(ENDPOINT, { multipart: { file, language: "en", ...fields } });
}

test("record in the composer: the transcript lands in the draft, its cost is shown and is one ledger entry", async ({
  page,
  account,
  db,
  upstream,
}) => {
  const chat = await ChatPage.openNew(page);
  await chat.send("hello before speaking");
  await chat.waitForReply();
  const conversationId = await chat.conversationId();
  const since = new Date().toISOString();

  // Cancel discards: nothing is sent.
  await page.getByRole("button", { name: "Record a voice message" }).click();
  await expect(page.getByRole("timer", { name: "Recording" })).toHaveText(/0:0\d/);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("button", { name: "Record a voice message" })).toBeVisible();

  await chat.composer.fill("Note:");
  await page.getByRole("button", { name: "Record a voice message" }).click();
  await expect(page.getByRole("timer", { name: "Recording" })).toHaveText("0:01", { timeout: 10_000 });
  await page.getByRole("button", { name: "Stop and transcribe" }).click();
  await expect(chat.composer).toHaveValue("Note: Transcript of audio.webm (en)");
  const calls = (await upstream.requests()).filter(
    (call) =>
      call.path === "/v1/audio/transcriptions" &&
      call.time >= since &&
      (call.body as TranscriptionRecord).prompt === null,
  );
  // One recording went up, as WebM/Opus: the cancelled one sent nothing.
  const webm = calls.map((call) => call.body as TranscriptionRecord).filter((body) => body.fileType === "audio/webm");
  expect(webm).toHaveLength(1);
  const recorded = webm[0];
  expect(recorded).toMatchObject({ fileName: "audio.webm", language: "en", model: "gpt-4o-mini-transcribe" });
  const usage = (recorded?.response as { usage?: TokensUsage } | undefined)?.usage;
  const cost = costOf(recorded);
  expect(cost).toBeGreaterThan(0);
  // The recording's own length (a second or two) and the exact cost of the fake's usage.
  const amount = formatUsd(cost).replace(/[$.]/g, "\\$&");
  await expect(page.getByRole("status").filter({ hasText: "Transcribed" })).toHaveText(
    new RegExp(`^Transcribed 0:0\\d · ${amount}$`),
  );

  const entries = await db.query(
    `SELECT "kind", "status", "costMicros", "audioTokens", "completionTokens", "conversationId", "isEstimated"
       FROM "LedgerEntry" WHERE "userId" = $1 AND "kind" = 'transcription'`,
    [account.id],
  );
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({
    status: "settled",
    conversationId,
    audioTokens: usage?.input_token_details.audio_tokens,
    completionTokens: usage?.output_tokens,
  });
  expect(num(entries[0]?.costMicros)).toBe(cost);
  expect(Boolean(entries[0]?.isEstimated)).toBe(false);

  // An uploaded file goes the same way, appended at the cursor.
  await page.locator('input[type="file"][accept^="audio/"]').setInputFiles(path.join(FIXTURES, "tone.m4a"));
  await expect(chat.composer).toHaveValue("Note: Transcript of audio.webm (en) Transcript of audio.m4a (en)");
  // The chat's meter counts both transcriptions beside the reply.
  const [total] = await db.query(
    `SELECT SUM("costMicros") AS total, COUNT(*) AS entries FROM "LedgerEntry" WHERE "conversationId" = $1 AND "status" = 'settled'`,
    [conversationId],
  );
  expect(num(total?.entries)).toBe(3);
  await expect(chat.meter("This chat")).toContainText(formatUsd(num(total?.total)));
});

test("each of the eight formats transcribes, charged exactly what the fake reported", async ({
  baseURL,
  db,
  upstream,
}) => {
  const user = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "voice-formats" });
  const marker = `formats-${Date.now()}`;
  for (const extension of AUDIO_FIXTURE_EXTENSIONS) {
    const response = await upload(
      user.api,
      { name: `tone.${extension}`, mimeType: "application/octet-stream", buffer: fixture(extension) },
      { prompt: `${marker}-${extension}` },
    );
    expect(response.status(), extension).toBe(200);
    const body = (await response.json()) as { text: string; cost: { micros: number; isEstimated: boolean } };
    expect(body.text).toBe(`Transcript of audio.${extension} (en)`);
    const [call] = await transcriptionCalls(upstream, `${marker}-${extension}`);
    expect(body.cost).toMatchObject({
      micros: costOf(call?.body),
      isEstimated: false,
    });
  }
  const [sum] = await db.query(`SELECT COUNT(*) AS n FROM "LedgerEntry" WHERE "userId" = $1 AND "status" = 'settled'`, [
    user.id,
  ]);
  expect(num(sum?.n)).toBe(AUDIO_FIXTURE_EXTENSIONS.length);
  await user.api.dispose();
});

test("bad input is refused with its status and message, nothing charged", async ({ baseURL, db, upstream }) => {
  const user = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "voice-bad" });
  const marker = `bad-${Date.now()}`;
  const wav = fixture("wav");
  const cases: [string, { name: string; mimeType: string; buffer: Buffer }, number, string][] = [
    ["empty", { name: "memo.wav", mimeType: "audio/wav", buffer: Buffer.alloc(0) }, 400, "The audio file is empty."],
    [
      "truncated",
      { name: "memo.m4a", mimeType: "audio/mp4", buffer: fixture("m4a").subarray(0, 2_000) },
      400,
      "This audio file is truncated or damaged",
    ],
    [
      "25 MB + 1 byte",
      {
        name: "big.wav",
        mimeType: "audio/wav",
        buffer: Buffer.concat([wav, Buffer.alloc(MAX_BYTES + 1 - wav.length)]),
      },
      413,
      "This audio file is larger than 25 MB",
    ],
    [
      "fake mp3",
      { name: "song.mp3", mimeType: "audio/mpeg", buffer: Buffer.from("not audio at all\n".repeat(100)) },
      400,
      "This file claims to be mp3, but its content is not.",
    ],
    [
      "4-hour recording",
      { name: "meeting.wav", mimeType: "audio/wav", buffer: makeWav({ seconds: 4 * 3600, sampleRate: 100 }) },
      400,
      "This recording lasts about 240 minutes; gpt-4o-mini-transcribe transcribes at most 25 minutes.",
    ],
  ];
  for (const [label, file, status, message] of cases) {
    const response = await upload(user.api, file, { prompt: marker });
    expect(response.status(), label).toBe(status);
    expect(((await response.json()) as { error: { message: string } }).error.message, label).toContain(message);
  }
  expect(await transcriptionCalls(upstream, marker)).toHaveLength(0);

  const upstreamFaults: [number, string][] = [
    [400, "The model provider refused the request (400): Invalid file format."],
    [429, "The model provider is rate limiting requests (429)"],
    [500, "The model provider had a server error (500)"],
  ];
  for (const [status, message] of upstreamFaults) {
    const response = await upload(
      user.api,
      { name: "memo.wav", mimeType: "audio/wav", buffer: wav },
      { prompt: `[[status:${status}]] ${marker}-upstream-${status}` },
    );
    expect(response.status()).toBe(502);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(message);
    expect(await transcriptionCalls(upstream, `${marker}-upstream-${status}`)).toHaveLength(1);
  }
  const entries = await db.query(`SELECT "status", "costMicros" FROM "LedgerEntry" WHERE "userId" = $1`, [user.id]);
  expect(entries.map((entry) => [entry.status, num(entry.costMicros)])).toEqual([
    ["released", 0],
    ["released", 0],
    ["released", 0],
  ]);
  await user.api.dispose();
});

test("over budget: refused before any upstream call; signed out 401; another user's conversation 404", async ({
  baseURL,
  db,
  upstream,
}) => {
  // $0.000100 left: a 1 s file's worst case (20 audio tokens, 10 output tokens, the prompt) is more.
  const poor = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "voice-budget", budgetMicros: 100 });
  const marker = `budget-${Date.now()}`;
  const wav = { name: "memo.wav", mimeType: "audio/wav", buffer: fixture("wav") };
  const refused = await upload(poor.api, wav, { prompt: marker });
  expect(refused.status()).toBe(402);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
    "This transcription could cost up to",
  );
  expect(await transcriptionCalls(upstream, marker)).toHaveLength(0);

  const anonymous = await playwrightRequest.newContext({ baseURL });
  expect((await upload(anonymous, wav, { prompt: marker })).status()).toBe(401);
  await anonymous.dispose();

  const owner = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "voice-owner" });
  const conversationId = `voice-${Date.now()}`;
  await db.query(
    `INSERT INTO "Conversation" ("id", "userId", "title", "model", "updatedAt") VALUES ($1, $2, 'mine', 'gpt-5-mini', $3)`,
    [conversationId, owner.id, new Date().toISOString()],
  );
  expect((await upload(poor.api, wav, { conversationId, prompt: marker })).status()).toBe(404);
  expect(await transcriptionCalls(upstream, marker)).toHaveLength(0);
  await Promise.all([poor.api.dispose(), owner.api.dispose()]);
});
