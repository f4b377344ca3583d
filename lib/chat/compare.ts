import "server-only";
import { type ReplyOutcome, streamReply } from "@/lib/ai/chat-stream";
import { effectiveMaxOutputTokens, modelCapabilities } from "@/lib/ai/models";
import { availableModels, chatClient, upstreamTimeouts } from "@/lib/ai/provider";
import { describeContextOverflow, fitContext } from "@/lib/billing/context-window";
import { worstCaseCost } from "@/lib/billing/cost";
import { type Settlement, settleCall } from "@/lib/billing/settle";
import { countTokensOffThread } from "@/lib/billing/token-pool";
import { type Encoding, encodingForModel } from "@/lib/billing/tokens";
import { budgetPolicy, priceFor } from "@/lib/config";
import {
  beginComparison,
  continueAnswer,
  finishAnswer,
  getComparison,
  requestComparisonStop,
} from "@/lib/db/comparisons";
import { type Quote, settleReservation } from "@/lib/db/ledger";
import { encodeErrorText } from "@/lib/errors";
import { logUnexpected } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { titleFromMessage } from "@/lib/input-rules";
import { keepAliveUntil } from "@/lib/keep-alive";
import { MAX_MESSAGE_TOKENS } from "@/lib/validations";
import { abortTurns, registerTurn, STOPPED } from "./active-turns";
import type { CompareAnswerResult, CompareEvent } from "./compare-rules";
import { TEXT_FRAME_MS } from "./reply-stream";
import { type ChatSettings, settingsForModel, settingsProblem } from "./settings";
import { describeEnding } from "./turn";

// The Compare page's use cases: one prompt (and optional system prompt) to two to four models at once. Every model's
// prompt is counted and checked against its context window, and every worst case quoted, before anything is stored;
// then all of them are reserved in one transaction (refused as a whole when they do not fit the budget: nothing
// stored, nothing sent), and the calls run side by side, each settled from its own upstream usage exactly as a chat
// reply is (settleCall, settleReservation). Continuing with one answer makes it a normal conversation.

export type CompareRequest = {
  prompt: string;
  systemPrompt?: string;
  /** In column order; 2 to 4 (checked by the schema, lib/validations.ts). */
  models: string[];
  temperature?: number;
  maxOutputTokens?: number;
};

/** The parameters every model of the comparison gets, as far as it takes them (a reasoning model takes no temperature). */
function comparisonSettings({ systemPrompt, temperature, maxOutputTokens }: CompareRequest): ChatSettings {
  return { systemPrompt: systemPrompt?.trim() ? systemPrompt : undefined, temperature, maxOutputTokens };
}

type Column = {
  model: string;
  settings: ChatSettings;
  encoding: Encoding;
  quote: Quote;
};

/**
 * Checks and quotes every column, before anything is stored or reserved: an unknown model, an output limit above a
 * model's, a prompt over the message limit or over a model's context window is a bad_request naming it.
 */
async function quoteColumns(request: CompareRequest, now: Date): Promise<Column[]> {
  const offered = await availableModels();
  const unknown = request.models.find((model) => !offered.includes(model));
  if (unknown !== undefined) {
    throw appError("bad_request", {
      key: "errors.unknownModel",
      params: { model: unknown, models: offered.join(", ") },
    });
  }
  const settings = comparisonSettings(request);
  for (const model of request.models) {
    const problem = settingsProblem({ settings: { maxOutputTokens: settings.maxOutputTokens }, model });
    if (problem) throw appError("bad_request", problem);
  }
  chatClient(); // A friendly not_configured error before anything is written when no key is set.

  // The prompt and the system prompt counted once per encoding the models use (a worker thread).
  const counts = new Map<Encoding, { prompt: number; system: number | null }>();
  for (const encoding of new Set(request.models.map(encodingForModel))) {
    const texts = settings.systemPrompt === undefined ? [request.prompt] : [request.prompt, settings.systemPrompt];
    const [prompt = 0, system] = await countTokensOffThread({ texts, encoding });
    if (prompt > MAX_MESSAGE_TOKENS) {
      throw appError("bad_request", {
        key: "errors.messageTooManyTokens",
        params: { tokens: prompt, limit: MAX_MESSAGE_TOKENS },
      });
    }
    counts.set(encoding, { prompt, system: system ?? null });
  }
  return request.models.map((model) => {
    const encoding = encodingForModel(model);
    const counted = counts.get(encoding) ?? { prompt: 0, system: null };
    const maxOutputTokens = effectiveMaxOutputTokens({ model, maxOutputTokens: settings.maxOutputTokens });
    const fit = fitContext({
      system: counted.system === null ? null : { role: "system", contentTokens: counted.system },
      history: [],
      last: { role: "user", contentTokens: counted.prompt },
      contextWindow: modelCapabilities(model).contextWindow,
      maxOutputTokens,
    });
    if (!fit.fits) throw appError("bad_request", describeContextOverflow({ model, fit, isKeepLast: true }));
    const price = priceFor(model, now);
    const promptTokens = fit.promptTokens;
    return {
      model,
      settings: settingsForModel({ settings, model }),
      encoding,
      quote: {
        model,
        price,
        promptTokens,
        maxOutputTokens,
        reserveMicros: price ? worstCaseCost({ promptTokens, maxOutputTokens }, price) : 0,
      },
    };
  });
}

/**
 * POST /api/compare: checks and quotes the comparison, reserves every model's worst case at once (or throws: nothing
 * stored, spent or sent), then answers the calls' multiplexed NDJSON stream (CompareEvent). `signal` is the browser's
 * request: its going away stops every call, and each is settled to what it streamed.
 */
export async function startComparison({
  userId,
  request,
  signal,
}: {
  userId: string;
  request: CompareRequest;
  signal: AbortSignal;
}): Promise<Response> {
  const now = new Date();
  const columns = await quoteColumns(request, now);
  const settings = comparisonSettings(request);
  const comparison = await beginComparison({
    userId,
    prompt: request.prompt,
    systemPrompt: settings.systemPrompt ?? null,
    settings: JSON.stringify({ temperature: settings.temperature, maxOutputTokens: settings.maxOutputTokens }),
    quotes: columns.map((column) => column.quote),
    policy: budgetPolicy(),
    now,
  });

  const stopAll = new AbortController();
  const encoder = new TextEncoder();
  let output: ReadableStreamDefaultController<Uint8Array> | null = null;
  const send = (event: CompareEvent) => {
    try {
      output?.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
    } catch {
      // The browser went away: the calls are being stopped (cancel below), and what they streamed is still settled.
    }
  };
  const text = textFrames(send);
  const run = async () => {
    const results = await Promise.all(
      columns.map((column, index) => {
        const answer = comparison.answers[index];
        if (!answer) throw new Error(`comparison ${comparison.id} has no answer ${index}`);
        return runAnswer({
          userId,
          column,
          answerId: answer.id,
          entryId: answer.entryId,
          prompt: request.prompt,
          stop: stopAll.signal,
          onText: (delta, firstTokenMs) => text.add(index, delta, firstTokenMs),
        }).then((result) => {
          text.flush();
          send({ type: "done", index, result });
          return result;
        });
      }),
    );
    send({ type: "end", totalCostMicros: results.reduce((sum, result) => sum + result.costMicros, 0) });
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      output = controller;
      send({
        type: "start",
        comparisonId: comparison.id,
        answers: columns.map((column, index) => ({ index, model: column.model })),
      });
      const done = run()
        .catch((error: unknown) => logUnexpected(`comparison ${comparison.id}`, error))
        .finally(() => {
          try {
            controller.close();
          } catch {
            // Already cancelled by the browser.
          }
          output = null;
        });
      // Settled and stored even after the response ended (a serverless function is kept alive for it).
      keepAliveUntil(done);
    },
    cancel() {
      output = null;
      stopAll.abort(STOPPED);
    },
  });
  signal.addEventListener("abort", () => stopAll.abort(STOPPED), { once: true });
  return new Response(body, {
    headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-cache, no-transform" },
  });
}

/**
 * The answers' text on its way to the browser: the first words of each answer at once (their time to first token is
 * what the page shows), then what arrives within a frame as one line per answer, as the chat does (TEXT_FRAME_MS).
 */
function textFrames(send: (event: CompareEvent) => void) {
  const pending = new Map<number, { delta: string; firstTokenMs?: number }>();
  let frame: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (frame) clearTimeout(frame);
    frame = null;
    for (const [index, { delta, firstTokenMs }] of pending) send({ type: "text", index, delta, firstTokenMs });
    pending.clear();
  };
  return {
    flush,
    add(index: number, delta: string, firstTokenMs?: number) {
      const held = pending.get(index);
      pending.set(index, { delta: (held?.delta ?? "") + delta, firstTokenMs: held?.firstTokenMs ?? firstTokenMs });
      if (firstTokenMs !== undefined) flush();
      else frame ??= setTimeout(flush, TEXT_FRAME_MS);
    },
  };
}

/**
 * One column's call: its lease renewed while it runs (lib/chat/active-turns.ts, which also stops it on Stop from
 * another server), settled from the upstream's usage (or, stopped or cut, from our counts: estimated; refused before
 * any output: released), then its answer stored. Never throws for an upstream failure: that is the column's error.
 */
async function runAnswer({
  userId,
  column,
  answerId,
  entryId,
  prompt,
  stop,
  onText,
}: {
  userId: string;
  column: Column;
  answerId: string;
  entryId: string;
  prompt: string;
  stop: AbortSignal;
  onText: (delta: string, firstTokenMs?: number) => void;
}): Promise<CompareAnswerResult> {
  const { model, settings, encoding, quote } = column;
  const turn = registerTurn({ entryId, userId, conversationId: null, encoding });
  const started = performance.now();
  let firstTokenMs: number | null = null;
  let outcome: ReplyOutcome;
  try {
    outcome = await streamReply({
      model,
      messages: [{ role: "user", content: prompt }],
      system: settings.systemPrompt,
      parameters: settingsForModel({ settings, model }),
      maxOutputTokens: quote.maxOutputTokens,
      signal: AbortSignal.any([turn.signal, stop]),
      timeouts: upstreamTimeouts(),
      onText: (delta) => {
        turn.addStreamed(delta);
        const isFirst = firstTokenMs === null;
        if (isFirst) firstTokenMs = Math.round(performance.now() - started);
        onText(delta, isFirst ? (firstTokenMs ?? undefined) : undefined);
      },
    });
  } finally {
    turn.end();
  }
  const totalMs = Math.round(performance.now() - started);
  const [completionTokensEstimate = 0] =
    outcome.usage || !outcome.text ? [0] : await countTokensOffThread({ texts: [outcome.text], encoding });
  const settlement: Settlement = settleCall({
    price: quote.price,
    usage: outcome.usage,
    promptTokensEstimate: quote.promptTokens,
    completionTokensEstimate,
    wasRefused: outcome.wasRefused,
  });
  // The money first and on its own: what the call cost is recorded whatever happens to storing its answer. Should
  // even that fail, the lease lapses and the sweep charges what was streamed.
  await settleReservation({ entryId, settlement });
  const errorText = describeEnding(outcome, false);
  const status = outcome.ending === "complete" ? "complete" : outcome.ending === "stopped" ? "stopped" : "error";
  const error = errorText && encodeErrorText(errorText);
  await finishAnswer({
    answerId,
    content: outcome.text,
    status,
    error,
    finishReason: outcome.finishReason,
    firstTokenMs,
    totalMs,
  }).catch((failure: unknown) => logUnexpected(`storing comparison answer ${answerId}`, failure));
  return {
    status,
    error,
    finishReason: outcome.finishReason,
    firstTokenMs,
    totalMs,
    promptTokens: settlement.promptTokens,
    completionTokens: settlement.completionTokens,
    costMicros: settlement.status === "settled" ? settlement.costMicros : 0,
    isEstimated: settlement.isEstimated,
    isUnpriced: quote.price === null,
    isReleased: settlement.status === "released",
  };
}

/**
 * Stop: ends every call of this user's comparison, at once when it runs in this process, otherwise at the next
 * heartbeat of the server running it; each is settled to what it streamed. Another user's comparison is not_found.
 */
export async function stopComparison({ userId, comparisonId }: { userId: string; comparisonId: string }) {
  const entryIds = await requestComparisonStop({ id: comparisonId, userId });
  if (!entryIds) throw appError("not_found", "errors.compareNotFound");
  return { stopped: abortTurns(entryIds, STOPPED) };
}

/**
 * Continue with one answer: it becomes a normal conversation (the model, the system prompt and parameters, the
 * prompt, the answer and its ledger entry), the same one however often this is asked. Another user's comparison, or
 * a column it does not have, is not_found.
 */
export async function continueComparison({
  userId,
  comparisonId,
  answer,
}: {
  userId: string;
  comparisonId: string;
  answer: number;
}) {
  const comparison = await getComparison({ id: comparisonId, userId });
  if (!comparison) throw appError("not_found", "errors.compareNotFound");
  const stored = parseStoredParameters(comparison.settings);
  return continueAnswer({
    userId,
    comparisonId,
    position: answer,
    conversation: ({ model }) => ({
      title: titleFromMessage(comparison.prompt),
      settings: JSON.stringify(
        settingsForModel({ settings: { ...stored, systemPrompt: comparison.systemPrompt ?? undefined }, model }),
      ),
    }),
  });
}

function parseStoredParameters(text: string): Pick<ChatSettings, "temperature" | "maxOutputTokens"> {
  try {
    const { temperature, maxOutputTokens } = JSON.parse(text) as Record<string, unknown>;
    return {
      temperature: typeof temperature === "number" ? temperature : undefined,
      maxOutputTokens: typeof maxOutputTokens === "number" ? maxOutputTokens : undefined,
    };
  } catch {
    return {};
  }
}
