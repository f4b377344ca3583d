import "server-only";
import { type CompletionOutcome, isCompletionsUnsupported, startCompletion } from "@/lib/ai/completions";
import { describeTimeout, describeUpstreamError } from "@/lib/ai/errors";
import { chatClient, upstreamTimeouts } from "@/lib/ai/provider";
import { completionWorstCase } from "@/lib/billing/cost";
import { type Settlement, settleCall } from "@/lib/billing/settle";
import { countTokensOffThread } from "@/lib/billing/token-pool";
import { encodingForModel } from "@/lib/billing/tokens";
import { registerTurn, STOPPED } from "@/lib/chat/active-turns";
import { budgetPolicy, priceFor, ratesFor } from "@/lib/config";
import { type CompletionRunStatus, type CompletionRunView, createCompletionRun } from "@/lib/db/completion-runs";
import { type Quote, reserveCall, settleReservation } from "@/lib/db/ledger";
import { configuredSecrets, getEnv } from "@/lib/env";
import type { ErrorText } from "@/lib/errors";
import { logUnexpected } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import { keepAliveUntil } from "@/lib/keep-alive";
import { completionContextWindow, maxTokensLimit } from "./limits";
import type { PlaygroundRun } from "./request";

// A run of the Completions playground, the use case behind POST /api/playground: check it against the model (offered,
// the prompt within its window, max_tokens within what is left), count the prompt with the model's tokenizer, reserve
// the worst case (the prompt once, n × max_tokens), call POST /v1/completions, stream the choices to the browser as
// they come, settle from the upstream's usage (our counts, estimated, when it reported none), then keep the run in the
// user's history. A refusal by the upstream (a server without text completions, a chat model) is released: nothing
// charged, the reason said with a status. The money is settled first and on its own: what the upstream charged is
// recorded whatever happens to the run's row or the browser.

/** The models the playground offers (OPENAI_COMPLETION_MODELS). */
export const completionModels = (): string[] => getEnv().OPENAI_COMPLETION_MODELS;

/** One line of the run's stream (NDJSON), in order: start, then text, then end (or error). */
export type PlaygroundEvent =
  | {
      type: "start";
      /** The call's ledger entry: what POST /api/playground/stop names. */
      callId: string;
      /** Our count of the prompt, with the model's tokenizer. */
      promptTokens: number;
      /** The worst case held against the budget while it runs, micro-USD (0 when unpriced). */
      reservedMicros: number;
      isUnpriced: boolean;
    }
  | { type: "text"; index: number; text: string }
  | { type: "end"; run: CompletionRunView }
  | { type: "error"; error: ErrorText };

/** Refuses (bad_request) what the model cannot take; the prompt's tokens, counted with its tokenizer. */
async function checkRun({ model, prompt, maxTokens }: PlaygroundRun) {
  const models = completionModels();
  if (!models.includes(model)) {
    throw appError("bad_request", {
      key: "errors.playgroundUnknownModel",
      params: { model, models: models.join(", ") },
    });
  }
  const encoding = encodingForModel(model);
  const [promptTokens = 0] = await countTokensOffThread({ texts: [prompt], encoding });
  const window = completionContextWindow(model);
  if (window !== null && promptTokens >= window) {
    throw appError("bad_request", {
      key: "errors.playgroundPromptOverWindow",
      params: { model, promptTokens, window },
    });
  }
  const max = maxTokensLimit({ model, promptTokens });
  if (maxTokens > max) {
    throw appError("bad_request", {
      key: "errors.playgroundMaxTokensOver",
      params: { model, max, promptTokens, window: window ?? 0, hasWindow: window === null ? "no" : "yes" },
    });
  }
  return { encoding, promptTokens };
}

/** Why a call that never streamed failed, as what the route answers (the upstream's status: `upstream`). */
function refusalOf(outcome: CompletionOutcome, model: string) {
  if (outcome.ending === "timeout" && outcome.timeout) return appError("upstream", describeTimeout(outcome.timeout));
  if (outcome.ending === "stopped") return appError("upstream", "errors.playgroundStoppedEarly");
  if (isCompletionsUnsupported(outcome.error)) {
    const described = describeUpstreamError(outcome.error, { secrets: configuredSecrets() });
    return appError("upstream", {
      key: "errors.playgroundNoCompletions",
      params: { model, status: described.params?.status ?? "", detail: described.params?.detail ?? "" },
    });
  }
  logUnexpected("playground upstream call", outcome.error);
  return appError("upstream", describeUpstreamError(outcome.error, { secrets: configuredSecrets() }));
}

/** How a run that streamed ended, for its history row. */
function endingOf(outcome: CompletionOutcome): { status: CompletionRunStatus; error?: ErrorText } {
  if (outcome.ending === "complete") return { status: "complete" };
  if (outcome.ending === "stopped") return { status: "stopped" };
  if (outcome.ending === "timeout" && outcome.timeout)
    return { status: "error", error: describeTimeout(outcome.timeout) };
  logUnexpected("playground upstream stream", outcome.error);
  const hasPartialReply = outcome.choices.some((choice) => choice.text !== "");
  return {
    status: "error",
    error: describeUpstreamError(outcome.error, { secrets: configuredSecrets(), hasPartialReply }),
  };
}

/**
 * Starts a run: everything up to the upstream's acceptance happens before answering, so a bad request, a budget
 * refusal or an upstream refusal is an error status (nothing spent: released). Then the choices stream as NDJSON
 * (PlaygroundEvent lines) to the end, settled and stored whether or not the browser still reads: a reader that goes
 * away (`disconnected`, or the stream cancelled) stops the call, which settles what streamed, estimated.
 */
export async function startPlaygroundRun({
  userId,
  run,
  disconnected,
  now = new Date(),
}: {
  userId: string;
  run: PlaygroundRun;
  /** The request's signal: aborted when the browser goes away. */
  disconnected?: AbortSignal;
  now?: Date;
}): Promise<ReadableStream<Uint8Array>> {
  const { model, prompt, temperature, topP, maxTokens, n, stop } = run;
  const { encoding, promptTokens } = await checkRun(run);
  chatClient(); // A friendly not_configured error before anything is reserved when no key is set.
  const price = priceFor(model, now);
  const quote: Quote = {
    model,
    price: null,
    promptTokens,
    maxOutputTokens: n * maxTokens,
    reserveMicros: price ? completionWorstCase({ promptTokens, maxTokens, n }, price) : 0,
    media: { kind: "completion", rates: price ? ratesFor(model, now) : null },
  };
  const { id: entryId } = await reserveCall({ userId, conversationId: null, quote, policy: budgetPolicy(), now });
  const turn = registerTurn({ entryId, userId, conversationId: null, encoding });
  const gone = new AbortController();
  if (disconnected) {
    if (disconnected.aborted) gone.abort(STOPPED);
    else disconnected.addEventListener("abort", () => gone.abort(STOPPED), { once: true });
  }
  const settle = async (outcome: CompletionOutcome): Promise<Settlement> => {
    turn.end();
    const texts = outcome.choices.map((choice) => choice.text).filter(Boolean);
    const counted = outcome.usage || texts.length === 0 ? [] : await countTokensOffThread({ texts, encoding });
    const settlement = settleCall({
      price,
      usage: outcome.usage,
      promptTokensEstimate: promptTokens,
      completionTokensEstimate: counted.reduce((sum, tokens) => sum + tokens, 0),
      wasRefused: outcome.wasRefused,
    });
    await settleReservation({ entryId, settlement });
    return settlement;
  };
  const store = (outcome: CompletionOutcome) =>
    createCompletionRun({
      userId,
      entryId,
      model,
      prompt,
      temperature,
      topP,
      maxTokens,
      n,
      stop,
      outputs: outcome.choices,
      ...endingOf(outcome),
    });

  const start = await startCompletion({
    model,
    prompt,
    parameters: { temperature, topP, maxTokens, n, stop },
    signal: AbortSignal.any([turn.signal, gone.signal]),
    timeouts: upstreamTimeouts(),
  }).catch(async (error: unknown) => {
    // Not an upstream failure (those are outcomes): the reservation must not be left for the sweep.
    await settle({ choices: [], ending: "error", error, wasRefused: true });
    throw error;
  });
  if (!start.isAccepted) {
    const settlement = await settle(start.outcome);
    // Charged (a time-out or a stop after the upstream may have begun): the run is kept, so its cost is explained.
    if (settlement.status === "settled") await store(start.outcome);
    throw refusalOf(start.outcome, model);
  }

  const encoder = new TextEncoder();
  let isReading = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: PlaygroundEvent) => {
        if (!isReading) return;
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
        } catch {
          isReading = false;
        }
      };
      send({ type: "start", callId: entryId, promptTokens, reservedMicros: quote.reserveMicros, isUnpriced: !price });
      const work = (async () => {
        const outcome = await start.read((index, text) => {
          turn.addStreamed(text);
          send({ type: "text", index, text });
        });
        await settle(outcome);
        send({ type: "end", run: await store(outcome) });
      })()
        .catch((error: unknown) => {
          logUnexpected(`playground run ${entryId}`, error);
          send({ type: "error", error: { key: "errors.internal" } });
        })
        .finally(() => {
          if (isReading) controller.close();
        });
      keepAliveUntil(work);
    },
    cancel() {
      isReading = false;
      gone.abort(STOPPED);
    },
  });
}
