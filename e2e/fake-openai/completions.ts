import type http from "node:http";
import {
  asksForUsage,
  buildUsage,
  type EventStream,
  errorFor,
  outputLimit,
  parseScript,
  type RecordedRequest,
  randomId,
  type Script,
  sleep,
  splitIntoDeltas,
} from "./server";

// POST /v1/completions of the fake upstream (server.ts dispatches here), the legacy Completions endpoint in OpenAI's
// wire format: `text_completion` objects whose choices are `{ text, index, logprobs: null, finish_reason }`, as JSON or
// as SSE (one chunk per choice's delta, each with its `index`; a last chunk per choice with empty text and its finish
// reason; with `stream_options.include_usage` a `choices: []` chunk carrying the usage; `data: [DONE]`). The prompt's
// markers script it as they script a chat message (server.ts: [[reply:…]], [[words:N]], [[usage:P/C]], [[slow:MS]],
// [[status:CODE]], [[cut:N]], [[hang:N]], [[length:N]]), and two more give what servers without completions answer
// (README.md).

/** Models this endpoint completes: OpenAI's completion models, and those the fake is told of. */
const COMPLETION_MODELS = /(^|-)instruct($|-)|^(davinci|babbage)-002$/;

/** OpenAI's answer when a chat model is sent to the completions endpoint (status 404). */
export const CHAT_MODEL_ERROR = {
  message:
    "This is a chat model and not supported in the v1/completions endpoint. Did you mean to use v1/chat/completions?",
  type: "invalid_request_error",
  param: "model",
  code: null,
};

/** `[[no-route]]`: what a server without the endpoint answers (OpenAI's own words for a path it does not serve). */
export const NO_ROUTE_ERROR = {
  message: "Invalid URL (POST /v1/completions)",
  type: "invalid_request_error",
  param: null,
  code: null,
};

/** OpenAI's default output limit of a completion: 16 tokens when the request sets no max_tokens. */
export const DEFAULT_MAX_TOKENS = 16;

/** `[[replies:first|||second|||…]]`: a text per choice, in index order (cycling when n is larger). */
const REPLIES = /\[\[replies:([\s\S]*?)\]\]/;

/**
 * A choice's text: `[[replies:…]]`'s text for its index, else the script's reply; the default echo numbers the choices
 * after the first (`Echo 2: …`).
 */
export function choiceText({ script, prompt, index }: { script: Script; prompt: string; index: number }): string {
  const replies = REPLIES.exec(prompt)?.[1]?.split("|||");
  if (replies?.length) return replies[index % replies.length] ?? "";
  const isEcho = !/\[\[(reply|words):/.test(prompt);
  return isEcho && index > 0 ? `Echo ${index + 1}: ${script.reply.slice("Echo: ".length)}` : script.reply;
}

/** `text` cut before the earliest of `stops` it holds; whether one was found. */
export function cutAtStop(text: string, stops: readonly string[]): { text: string; isStopped: boolean } {
  let at = -1;
  for (const stop of stops) {
    const found = stop ? text.indexOf(stop) : -1;
    if (found >= 0 && (at < 0 || found < at)) at = found;
  }
  return at < 0 ? { text, isStopped: false } : { text: text.slice(0, at), isStopped: true };
}

type Choice = { deltas: string[]; finishReason: "stop" | "length" };

function stopsOf(stop: unknown): string[] {
  if (typeof stop === "string") return [stop];
  return Array.isArray(stop) ? stop.filter((item): item is string => typeof item === "string") : [];
}

export async function textCompletions({
  body,
  apiKey,
  record,
  res,
  completionModels,
  isKnownModel,
  sendJson,
  openEventStream,
}: {
  body: Record<string, unknown>;
  apiKey: string;
  record: RecordedRequest;
  res: http.ServerResponse;
  completionModels: string[];
  isKnownModel: (model: string) => boolean;
  sendJson: (res: http.ServerResponse, record: RecordedRequest, status: number, body: unknown) => void;
  openEventStream: (res: http.ServerResponse, record: RecordedRequest) => EventStream;
}) {
  const fail = (status: number, error: unknown) => sendJson(res, record, status, { error });
  const invalid = (message: string, param: string) =>
    fail(400, { message, type: "invalid_request_error", param, code: null });
  const { model, prompt } = body;
  if (typeof model !== "string") return invalid("you must provide a model parameter", "model");
  if (typeof prompt !== "string") return invalid("Missing required parameter: 'prompt'.", "prompt");
  if (prompt.includes("[[no-route]]")) return fail(404, NO_ROUTE_ERROR);
  if (!completionModels.includes(model) && !COMPLETION_MODELS.test(model)) {
    return fail(404, isKnownModel(model) ? CHAT_MODEL_ERROR : errorFor(404, { model }));
  }
  const n = body.n ?? 1;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 128) {
    return invalid(`${String(n)} is greater than the maximum of 128 - 'n'`, "n");
  }
  const stops = stopsOf(body.stop);
  if (stops.length > 4) return invalid(`[${stops.join(", ")}] is too long - 'stop'`, "stop");
  const script = parseScript([{ role: "user", content: prompt }]);
  if (script.status !== null) return fail(script.status, errorFor(script.status, { model, apiKey }));

  const requested = outputLimit(body.max_tokens) ?? DEFAULT_MAX_TOKENS;
  const limit = script.length === null ? requested : Math.min(requested, script.length);
  const choices: Choice[] = Array.from({ length: n }, (_, index) => {
    const cut = cutAtStop(choiceText({ script, prompt, index }), stops);
    const deltas = splitIntoDeltas(cut.text);
    return deltas.length > limit
      ? { deltas: deltas.slice(0, limit), finishReason: "length" }
      : { deltas, finishReason: "stop" };
  });
  const completion = choices.reduce((sum, choice) => sum + choice.deltas.length, 0);
  const { prompt_tokens, completion_tokens, total_tokens } = buildUsage(
    script.usage
      ? { ...script.usage, completion: Math.min(script.usage.completion, n * limit) }
      : { prompt: Math.ceil([...prompt].length / 4), completion, cached: 0, reasoning: 0 },
  );
  // The legacy endpoint's usage has the three counts only.
  const usage = { prompt_tokens, completion_tokens, total_tokens };
  const id = randomId("cmpl-", 29);
  const created = Math.floor(Date.now() / 1000);
  const object = { id, object: "text_completion", created, model };
  const choiceOf = (index: number, text: string, finishReason: string | null) => ({
    text,
    index,
    logprobs: null,
    finish_reason: finishReason,
  });

  if (body.stream !== true) {
    await sleep(script.slowMs * completion);
    return sendJson(res, record, 200, {
      ...object,
      choices: choices.map((choice, index) => choiceOf(index, choice.deltas.join(""), choice.finishReason)),
      usage,
    });
  }

  const includeUsage = asksForUsage(body.stream_options);
  const sse = openEventStream(res, record);
  const chunk = (choice: unknown[], extra: Record<string, unknown> = {}) => ({
    ...object,
    choices: choice,
    ...(includeUsage ? { usage: null } : {}),
    ...extra,
  });
  const stopAt = Math.min(...[script.cut, script.hang].map((count) => count ?? Number.POSITIVE_INFINITY));
  // The choices' deltas interleaved, as OpenAI streams n choices: the first delta of each, then the second…
  const longest = Math.max(0, ...choices.map((choice) => choice.deltas.length));
  let sent = 0;
  for (let step = 0; step < longest && sent < stopAt; step++) {
    for (const [index, choice] of choices.entries()) {
      const delta = choice.deltas[step];
      if (delta === undefined || sent >= stopAt) continue;
      if (script.slowMs > 0) await sleep(script.slowMs);
      if (sse.isClosed()) return;
      sse.send(chunk([choiceOf(index, delta, null)]));
      record.deltasSent = ++sent;
    }
  }
  // Hung: silent, the connection held open until the client goes. Cut: dropped without finish, usage or [DONE].
  if (script.hang !== null) return;
  if (script.cut !== null) return sse.cut();
  for (const [index, choice] of choices.entries()) sse.send(chunk([choiceOf(index, "", choice.finishReason)]));
  if (includeUsage) sse.send(chunk([], { usage }));
  sse.end("[DONE]");
}
