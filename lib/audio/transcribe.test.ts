import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { FakeOpenAI } from "@/e2e/fake-openai/server";
import type { TranscriptionRecord } from "@/e2e/fake-openai/transcriptions";
import { transcriptionCost } from "@/lib/billing/media-cost";
import { findRates } from "@/lib/billing/prices";
import { AUDIO_FIXTURE_EXTENSIONS, audioFixture, makeWav } from "@/test/audio";
import { prepareTestDatabase } from "@/test/database";
import { fakeUpstreamForSuite } from "@/test/fake-upstream";
import { NO_LIMITS } from "@/test/money";

// The money path of a transcription against a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL) and the
// fake upstream over real HTTP: what is reserved, sent, settled, released — and never overspent.

const fake = fakeUpstreamForSuite();
prepareTestDatabase();
const { prisma } = await import("@/lib/db/client");
const { transcribeAudio } = await import("./transcribe");
const { readUsage } = await import("@/lib/ai/transcription");
const { AppError } = await import("@/lib/errors");

beforeEach(() => fake().clear());

const now = new Date();
const rates = (model: string) => {
  const found = findRates({ model, at: now });
  if (!found) throw new Error(`no rates for ${model}`);
  return found;
};
const upstreamCalls = () =>
  fake()
    .requests()
    .filter((request) => request.path === "/v1/audio/transcriptions") as ({
    body: TranscriptionRecord;
  } & ReturnType<FakeOpenAI["requests"]>[number])[];

/** The usage the fake reported to a recorded call, as the app reads it. */
const reported = (call: { body: TranscriptionRecord } | undefined) =>
  readUsage((call?.body.response as { usage?: unknown } | null | undefined)?.usage);

async function createUser(budgetMicros: number | null = null) {
  return prisma.user.create({
    data: {
      email: `transcribe-${randomUUID()}@example.test`,
      budgetMode: budgetMicros === null ? "unlimited" : "limited",
      monthlyBudgetMicros: budgetMicros === null ? null : BigInt(budgetMicros),
    },
  });
}

function transcribe(userId: string, bytes: Buffer, options: Partial<Parameters<typeof transcribeAudio>[0]> = {}) {
  return transcribeAudio({
    userId,
    audio: { bytes, fileName: "memo.wav" },
    language: "en",
    policy: NO_LIMITS,
    now,
    model: "gpt-4o-mini-transcribe",
    ...options,
  });
}

async function failure(promise: Promise<unknown>) {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as InstanceType<typeof AppError>;
}

const entriesOf = (userId: string) => prisma.ledgerEntry.findMany({ where: { userId } });

describe("transcribeAudio", () => {
  it("settles gpt-4o-mini-transcribe from the reported tokens, to the micro-dollar", async () => {
    const user = await createUser();
    const result = await transcribe(user.id, audioFixture("wav"));
    const [call] = upstreamCalls();
    expect(call?.body).toMatchObject({ model: "gpt-4o-mini-transcribe", language: "en", fileName: "audio.wav" });
    expect(call?.body.fileType).toBe("audio/wav");
    const usage = reported(call);
    expect(usage).toEqual({ type: "tokens", textInputTokens: 0, audioTokens: 10, outputTokens: 4 });
    // 10 audio tokens at $3 / 1M and 4 output tokens at $5 / 1M.
    const expected = 10 * 3 + 4 * 5;
    expect(usage && transcriptionCost(usage, rates("gpt-4o-mini-transcribe"))).toBe(expected);
    expect(result).toMatchObject({
      text: "Transcript of audio.wav (en)",
      seconds: 1,
      isDurationBounded: false,
      cost: { micros: expected, isEstimated: false, isUnpriced: false },
    });
    const [entry] = await entriesOf(user.id);
    expect(entry).toMatchObject({
      kind: "transcription",
      status: "settled",
      conversationId: null,
      costMicros: BigInt(expected),
      audioTokens: 10,
      audioSeconds: 1,
      completionTokens: 4,
      isEstimated: false,
      audioInputPer1M: 3_000_000,
    });
  });

  it("settles whisper-1 from the reported seconds ($0.006 a minute), each of the eight formats", async () => {
    const user = await createUser();
    for (const extension of AUDIO_FIXTURE_EXTENSIONS) {
      const result = await transcribe(user.id, audioFixture(extension), {
        audio: { bytes: audioFixture(extension), fileName: `tone.${extension}` },
        model: "whisper-1",
      });
      // The fixtures last 1.00–1.08 s and whisper-1 reports whole seconds (up): $0.0001 a second.
      const usage = reported(upstreamCalls().at(-1));
      expect(usage?.type).toBe("duration");
      const seconds = usage?.type === "duration" ? usage.seconds : Number.NaN;
      expect(result.cost).toEqual({ micros: seconds * 100, isEstimated: false, isUnpriced: false });
      expect(result.text).toBe(`Transcript of audio.${extension} (en)`);
    }
    expect(upstreamCalls().map((call) => call.body.fileType)).toEqual([
      "audio/mpeg",
      "audio/mpeg",
      "audio/mpeg",
      "audio/mp4",
      "audio/mp4",
      "audio/wav",
      "audio/webm",
      "audio/ogg",
    ]);
  });

  it("without usage in the response, charges the measured duration, labelled an estimate", async () => {
    const user = await createUser();
    const wav = makeWav({ seconds: 90, sampleRate: 1_000 });
    const result = await transcribe(user.id, wav, { model: "whisper-1", prompt: "[[no-usage]]" });
    // 90 s at $0.006 a minute.
    expect(result.cost).toEqual({ micros: 9_000, isEstimated: true, isUnpriced: false });
    expect((await entriesOf(user.id))[0]).toMatchObject({ isEstimated: true, audioSeconds: 90, costMicros: 9_000n });
  });

  it.each([400, 429, 500])("an upstream %i releases the reservation: nothing charged, one call", async (status) => {
    const user = await createUser();
    const error = await failure(transcribe(user.id, audioFixture("wav"), { prompt: `[[status:${status}]]` }));
    expect(error.code).toBe("upstream");
    expect(error.message).toMatch(status === 429 ? /rate limiting/ : status === 500 ? /server error/ : /refused/);
    expect(upstreamCalls()).toHaveLength(1);
    const [entry] = await entriesOf(user.id);
    expect(entry).toMatchObject({ status: "released", costMicros: 0n });
  });

  it("a connection cut after sending charges an estimate at the measured duration", async () => {
    const user = await createUser();
    const wav = makeWav({ seconds: 30, sampleRate: 1_000, seed: 7 });
    await failure(transcribe(user.id, wav, { model: "whisper-1", prompt: "[[cut]]" }));
    // 30 s at $0.006 a minute, an estimate.
    expect((await entriesOf(user.id))[0]).toMatchObject({ status: "settled", isEstimated: true, costMicros: 3_000n });
  });

  it("refuses a 4-hour recording on gpt-4o-mini-transcribe before anything is spent", async () => {
    const user = await createUser();
    const error = await failure(transcribe(user.id, makeWav({ seconds: 4 * 3600, sampleRate: 100 })));
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      "This recording lasts about 240 minutes; gpt-4o-mini-transcribe transcribes at most 25 minutes. Split it into shorter parts. Nothing was charged.",
    );
    expect(upstreamCalls()).toHaveLength(0);
    expect(await entriesOf(user.id)).toHaveLength(0);
  });

  it("reserves a 4-hour recording's full worst case on whisper-1, which a small budget refuses with no call", async () => {
    const user = await createUser(1_000_000);
    const error = await failure(
      transcribe(user.id, makeWav({ seconds: 4 * 3600, sampleRate: 100 }), { model: "whisper-1" }),
    );
    // 14,400 s at $0.006 a minute is $1.44, over the $1 budget.
    expect([error.status, error.text?.key, error.text?.params?.cost]).toEqual([
      402,
      "errors.budgetWouldExceedMedia",
      "$1.44",
    ]);
    expect(upstreamCalls()).toHaveLength(0);
  });

  it("refuses an unpriced model when a budget applies, exactly like chat, with no call", async () => {
    const user = await createUser(1_000_000);
    const error = await failure(transcribe(user.id, audioFixture("wav"), { model: "gpt-4o-mini-transcribe-unpriced" }));
    expect([error.status, error.text?.key]).toEqual([402, "errors.budgetModelUnpriced"]);
    expect(upstreamCalls()).toHaveLength(0);
  });

  it("answers 404 for another user's conversation, before reading the audio", async () => {
    const owner = await createUser();
    const other = await createUser();
    const conversation = await prisma.conversation.create({
      data: { userId: owner.id, title: "mine", model: "gpt-5-mini" },
    });
    expect((await failure(transcribe(other.id, Buffer.from("x"), { conversationId: conversation.id }))).status).toBe(
      404,
    );
    const result = await transcribe(owner.id, audioFixture("wav"), { conversationId: conversation.id });
    expect((await prisma.ledgerEntry.findUnique({ where: { id: result.entryId } }))?.conversationId).toBe(
      conversation.id,
    );
    expect(upstreamCalls()).toHaveLength(1);
  });

  it("never overspends a small budget under concurrent transcriptions", async () => {
    // Each reserves about 123 µUSD (its prompt, 20 audio tokens at $3 / 1M, 10 output tokens at $5 / 1M) and costs 61.
    const budget = 300;
    const user = await createUser(budget);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        transcribe(user.id, makeWav({ seconds: 1, seed: i + 1 }), { prompt: "[[transcript:one two three four]]" }),
      ),
    );
    const succeeded = outcomes.filter((outcome) => outcome.status === "fulfilled").length;
    const refused = outcomes.filter(
      (outcome) => outcome.status === "rejected" && (outcome.reason as InstanceType<typeof AppError>).status === 402,
    ).length;
    expect(succeeded + refused).toBe(8);
    expect(succeeded).toBeGreaterThanOrEqual(2);
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(upstreamCalls()).toHaveLength(succeeded);
    const entries = await entriesOf(user.id);
    const spent = entries.reduce((sum, entry) => sum + Number(entry.costMicros), 0);
    expect(entries.every((entry) => entry.status === "settled")).toBe(true);
    expect(spent).toBeLessThanOrEqual(budget);
    const charged = upstreamCalls().map((call) => {
      const usage = reported(call);
      return usage ? transcriptionCost(usage, rates("gpt-4o-mini-transcribe")) : null;
    });
    expect(spent).toBe(charged.reduce((sum: number, cost) => sum + (cost ?? Number.NaN), 0));
  });
});
