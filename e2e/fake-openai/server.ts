// A fake OpenAI-compatible upstream for e2e and integration tests: plain node:http, speaking the real Chat Completions
// wire format (JSON and SSE, error bodies, headers) so the app's real provider code runs unchanged against it.
//
// Scripted by markers in the text of the LAST user message (several may be combined; all are stripped from the echo):
//   (none)                      reply "Echo: <last user message without markers>", one delta per word
//   [[reply:some text]]         reply with exactly "some text" (may span lines; ends at the first "]]")
//   [[words:N]]                 reply "word1 word2 … wordN" as exactly N deltas
//   [[usage:P/C]]               report prompt_tokens=P, completion_tokens=C (cached and reasoning 0)
//   [[usage:P/C/cached/reasoning]]  … and prompt_tokens_details.cached_tokens, completion_tokens_details.reasoning_tokens
//   [[slow:MS]]                 wait MS milliseconds before each content delta (non-streaming: before responding, in total)
//   [[status:CODE]]             answer every attempt with HTTP CODE and OpenAI's error body for it; clients such as the
//                               AI SDK retry 408/409/429/5xx, so each retry fails too (retry-after-ms keeps them fast)
//   [[status-once:CODE]]        fail like [[status:CODE]] only the first request whose last user message has exactly this
//                               text (remembered for the server's lifetime), then answer normally
//   [[cut:N]]                   stream N content deltas, then destroy the socket: no finish chunk, no usage, no [DONE]
//   [[hang:N]]                  stream N content deltas (0: none), then send nothing more, holding the connection open
//                               until the client gives up (a hung upstream)
//   [[bad-chunk:N]]             stream N content deltas, then a data line that is not JSON, then end (no [DONE])
//   [[error-event:N]]           stream N content deltas, then OpenAI's in-stream error event (`data: {"error": …}`) in
//                               the 200 response, then end (no [DONE])
//   [[length:N]]                end the reply after N deltas with finish_reason "length", exactly as if the request's
//                               output limit were N (the app asks for 4,096: this reaches the limit without 4,096 words)
//
// Output limit, as OpenAI enforces it: `max_completion_tokens` (or the older `max_tokens`) caps the reply at that many
// deltas (one delta = one completion token here), ends it with finish_reason "length", and caps the reported
// completion_tokens, scripted ones included.
//
// Default usage, deterministic so money can be asserted exactly (see defaultUsage below):
//   prompt_tokens     = ceil(C / 4), C = Unicode code points of every message's text content (all roles, markers
//                       included, text parts of array contents concatenated) + 1000 per image_url part (images.ts)
//   completion_tokens = number of content deltas (words) in the reply
//   cached_tokens = reasoning_tokens = 0, total_tokens = prompt + completion
//
// Auth: "Authorization: Bearer <key>" is required; key "sk-bad" gets 401 invalid_api_key.
// Models: any id starting with gpt-, o1, o3, o4, chatgpt-, or listed in `models`; others get 404 model_not_found.
// Test hooks (not OpenAI): GET /__requests → RecordedRequest[] as JSON, POST /__clear → empties that log.
// Run standalone: `tsx e2e/fake-openai/server.ts --port 4010` prints the base URL (…/v1).

import { randomBytes } from "node:crypto";
import type http from "node:http";
import { serveFake } from "../fake-http";
import { textCompletions } from "./completions";
import { imageGenerations } from "./images";
import { audioTranscriptions } from "./transcriptions";
import { IMAGE_PART_TOKENS, imagePartCount } from "./vision";

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased request headers without `authorization`, whose presence is kept in `hasAuthorization`. */
  headers: Record<string, string>;
  hasAuthorization: boolean;
  /** Parsed JSON body; the raw text when it is not JSON; null when empty. */
  body: unknown;
  /** ISO timestamp of arrival. */
  time: string;
  /** HTTP status answered, null while the response is in progress or when the socket was cut. */
  status: number | null;
  /** Streaming: content deltas written so far. */
  deltasSent: number;
  /** Streaming: the client closed the connection before the reply ended (it stopped the call). */
  closedByClient: boolean;
}

export interface FakeOpenAIOptions {
  /** 0 or absent: a free port picked by the OS. */
  port?: number;
  host?: string;
  /** Model ids accepted besides the gpt-/o1/o3/o4/chatgpt- prefixes. */
  models?: string[];
  /** retry-after-ms sent with 408/409/429/5xx so retrying clients fail fast. Default 10. */
  retryAfterMs?: number;
  /** Model ids POST /v1/completions serves besides its own (completions.ts): the others are chat models to it. */
  completionModels?: string[];
}

/** What a streaming handler writes with: see openEventStream. */
export interface EventStream {
  send(data: unknown): void;
  isClosed(): boolean;
  end(last: unknown): void;
  cut(): Promise<void>;
}

/** `stream_options.include_usage` is true: the last chunk carries the usage, every other one `"usage": null`. */
export function asksForUsage(streamOptions: unknown): boolean {
  return (streamOptions as { include_usage?: unknown } | undefined)?.include_usage === true;
}

export interface FakeOpenAI {
  /** Base URL ending in /v1, as given to an OpenAI client's baseURL. */
  url: string;
  port: number;
  requests(): RecordedRequest[];
  clear(): void;
  close(): Promise<void>;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: {
    reasoning_tokens: number;
    audio_tokens: number;
    accepted_prediction_tokens: number;
    rejected_prediction_tokens: number;
  };
}

interface ChatMessage {
  role?: unknown;
  content?: unknown;
}

export interface Script {
  reply: string;
  deltas: string[];
  usage: { prompt: number; completion: number; cached: number; reasoning: number } | null;
  slowMs: number;
  status: number | null;
  statusOnce: number | null;
  cut: number | null;
  hang: number | null;
  /** Deltas before a malformed chunk ([[bad-chunk:N]]) or an error event ([[error-event:N]]) ends the stream. */
  badChunk: number | null;
  errorEvent: number | null;
  /** An output limit as if the request had sent it ([[length:N]]). */
  length: number | null;
}

const DEFAULT_MODELS = ["fake-model"];
const MODEL_PREFIXES = ["gpt-", "o1", "o3", "o4", "chatgpt-"];
const SYSTEM_FINGERPRINT = "fp_fake0penai";
const MARKER = /\[\[(reply|words|usage|slow|status-once|status|cut|hang|bad-chunk|error-event|length):([\s\S]*?)\]\]/g;

/** Text of a message's content: a string, or the concatenated `text` of an array of content parts. */
export function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (part && typeof part === "object" && typeof part.text === "string" ? part.text : ""))
    .join("");
}

export function lastUserText(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === "user") return messageText(message.content);
  }
  return "";
}

/** OpenAI-style deltas: the first word, then each following word with its leading whitespace. Joins back to `text`. */
export function splitIntoDeltas(text: string): string[] {
  const deltas: string[] = text.match(/\s*\S+/g) ?? [];
  const trailing = text.slice(deltas.join("").length);
  if (trailing) {
    if (deltas.length > 0) deltas[deltas.length - 1] += trailing;
    else deltas.push(trailing);
  }
  return deltas;
}

export function estimatePromptTokens(messages: ChatMessage[]): number {
  const chars = messages.reduce((sum, message) => sum + [...messageText(message.content)].length, 0);
  return Math.ceil(chars / 4) + IMAGE_PART_TOKENS * imagePartCount(messages);
}

export function parseScript(messages: ChatMessage[]): Script {
  const text = lastUserText(messages);
  const script: Script = {
    reply: "",
    deltas: [],
    usage: null,
    slowMs: 0,
    status: null,
    statusOnce: null,
    cut: null,
    hang: null,
    badChunk: null,
    errorEvent: null,
    length: null,
  };
  let reply: string | null = null;
  for (const [, name, arg = ""] of text.matchAll(MARKER)) {
    const numbers = arg.split("/").map((n) => Number.parseInt(n.trim(), 10) || 0);
    if (name === "reply") reply = arg;
    else if (name === "words") {
      const count = numbers[0] ?? 0;
      reply = Array.from({ length: count }, (_, i) => `word${i + 1}`).join(" ");
    } else if (name === "usage") {
      const [prompt = 0, completion = 0, cached = 0, reasoning = 0] = numbers;
      script.usage = { prompt, completion, cached, reasoning };
    } else if (name === "slow") script.slowMs = numbers[0] ?? 0;
    else if (name === "status") script.status = numbers[0] ?? 500;
    else if (name === "status-once") script.statusOnce = numbers[0] ?? 500;
    else if (name === "cut") script.cut = numbers[0] ?? 0;
    else if (name === "hang") script.hang = numbers[0] ?? 0;
    else if (name === "bad-chunk") script.badChunk = numbers[0] ?? 0;
    else if (name === "error-event") script.errorEvent = numbers[0] ?? 0;
    else if (name === "length") script.length = Math.max(1, numbers[0] ?? 1);
  }
  script.reply = reply ?? `Echo: ${text.replace(MARKER, "").replace(/\s+/g, " ").trim()}`;
  script.deltas = splitIntoDeltas(script.reply);
  return script;
}

export function defaultUsage(messages: ChatMessage[], deltas: string[]): Usage {
  return buildUsage({ prompt: estimatePromptTokens(messages), completion: deltas.length, cached: 0, reasoning: 0 });
}

export function buildUsage(u: { prompt: number; completion: number; cached: number; reasoning: number }): Usage {
  return {
    prompt_tokens: u.prompt,
    completion_tokens: u.completion,
    total_tokens: u.prompt + u.completion,
    prompt_tokens_details: { cached_tokens: u.cached, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

interface OpenAIError {
  message: string;
  type: string;
  param: string | null;
  code: string | number | null;
}

/** The error bodies OpenAI actually sends for each status (messages copied from real responses). */
export function errorFor(status: number, context: { model?: string; apiKey?: string } = {}): OpenAIError {
  const model = context.model ?? "gpt-4o-mini";
  switch (status) {
    case 400:
      return {
        message:
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.",
        type: "invalid_request_error",
        param: "messages",
        code: "context_length_exceeded",
      };
    case 401:
      return {
        message: `Incorrect API key provided: ${context.apiKey ?? "sk-bad"}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        type: "invalid_request_error",
        param: null,
        code: "invalid_api_key",
      };
    case 403:
      return {
        message: "Country, region, or territory not supported",
        type: "request_forbidden",
        param: null,
        code: "unsupported_country_region_territory",
      };
    case 404:
      return {
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
        type: "invalid_request_error",
        param: null,
        code: "model_not_found",
      };
    case 429:
      return {
        message: `Rate limit reached for ${model} in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        type: "requests",
        param: null,
        code: "rate_limit_exceeded",
      };
    case 500:
      return {
        message: "The server had an error while processing your request. Sorry about that!",
        type: "server_error",
        param: null,
        code: null,
      };
    case 502:
      return { message: "Bad gateway.", type: "cf_bad_gateway", param: null, code: 502 };
    case 503:
      return {
        message: "The engine is currently overloaded, please try again later.",
        type: "server_error",
        param: null,
        code: null,
      };
    case 504:
      return { message: "Gateway timeout.", type: "cf_gateway_timeout", param: null, code: 504 };
    default:
      return {
        message: `Scripted error with status ${status}.`,
        type: status >= 500 ? "server_error" : "invalid_request_error",
        param: null,
        code: null,
      };
  }
}

/** A request's max_completion_tokens / max_tokens, when it is a positive integer. */
export function outputLimit(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : null;
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

export function randomId(prefix: string, length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return prefix + Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join("");
}

function isKnownModel(model: string, extra: string[]): boolean {
  return extra.includes(model) || MODEL_PREFIXES.some((prefix) => model.startsWith(prefix));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const models = [...DEFAULT_MODELS, ...(options.models ?? [])];
  const completionModels = options.completionModels ?? [];
  const retryAfterMs = options.retryAfterMs ?? 10;
  const log: RecordedRequest[] = [];
  const failedOnce = new Set<string>();

  function baseHeaders(): Record<string, string> {
    return {
      "x-request-id": randomId("req_", 32),
      "openai-version": "2020-10-01",
      "openai-organization": "org-fake",
      "openai-processing-ms": "1",
    };
  }

  function sendJson(res: http.ServerResponse, record: RecordedRequest | null, status: number, body: unknown): void {
    const headers: Record<string, string> = { ...baseHeaders(), "content-type": "application/json" };
    if (isRetryableStatus(status)) {
      headers["retry-after-ms"] = String(retryAfterMs);
      headers["retry-after"] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    }
    if (status === 429) {
      Object.assign(headers, {
        "x-ratelimit-limit-requests": "3",
        "x-ratelimit-remaining-requests": "0",
        "x-ratelimit-reset-requests": "20s",
      });
    }
    if (record) record.status = status;
    res.writeHead(status, headers);
    res.end(JSON.stringify(body));
  }

  function sendError(res: http.ServerResponse, record: RecordedRequest | null, status: number, error: OpenAIError) {
    sendJson(res, record, status, { error });
  }

  /**
   * The bearer key and a JSON object body, as OpenAI checks them first: the key (null once refused, the answer sent),
   * else the 401 or 400 already answered.
   */
  function acceptedKey(req: http.IncomingMessage, res: http.ServerResponse, record: RecordedRequest): string | null {
    const auth = req.headers.authorization ?? "";
    const apiKey = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
    if (!apiKey) {
      sendError(res, record, 401, {
        message:
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
        type: "invalid_request_error",
        param: null,
        code: null,
      });
      return null;
    }
    if (apiKey === "sk-bad") {
      sendError(res, record, 401, errorFor(401, { apiKey }));
      return null;
    }
    const body = record.body;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      sendError(res, record, 400, {
        message:
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
        type: "invalid_request_error",
        param: null,
        code: null,
      });
      return null;
    }
    return apiKey;
  }

  async function chatCompletions(req: http.IncomingMessage, res: http.ServerResponse, record: RecordedRequest) {
    const apiKey = acceptedKey(req, res, record);
    if (apiKey === null) return;
    const body = record.body;
    const request = body as {
      model?: unknown;
      messages?: unknown;
      stream?: unknown;
      stream_options?: unknown;
      max_tokens?: unknown;
      max_completion_tokens?: unknown;
    };
    if (typeof request.model !== "string") {
      return sendError(res, record, 400, {
        message: "you must provide a model parameter",
        type: "invalid_request_error",
        param: null,
        code: null,
      });
    }
    const model = request.model;
    if (!Array.isArray(request.messages)) {
      return sendError(res, record, 400, {
        message: "Missing required parameter: 'messages'.",
        type: "invalid_request_error",
        param: "messages",
        code: "missing_required_parameter",
      });
    }
    const messages = request.messages as ChatMessage[];
    if (!isKnownModel(model, models)) return sendError(res, record, 404, errorFor(404, { model }));

    const script = parseScript(messages);
    if (script.status !== null)
      return sendError(res, record, script.status, errorFor(script.status, { model, apiKey }));
    if (script.statusOnce !== null) {
      const key = lastUserText(messages);
      if (!failedOnce.has(key)) {
        failedOnce.add(key);
        return sendError(res, record, script.statusOnce, errorFor(script.statusOnce, { model, apiKey }));
      }
    }

    const requested = outputLimit(request.max_completion_tokens ?? request.max_tokens);
    const limit =
      script.length === null ? requested : requested === null ? script.length : Math.min(requested, script.length);
    const isTruncated = limit !== null && script.deltas.length > limit;
    if (isTruncated) script.deltas = script.deltas.slice(0, limit);
    const finishReason = isTruncated ? "length" : "stop";
    const scripted = script.usage;
    const usage = scripted
      ? buildUsage({
          ...scripted,
          completion: limit === null ? scripted.completion : Math.min(scripted.completion, limit),
        })
      : defaultUsage(messages, script.deltas);
    const id = randomId("chatcmpl-", 29);
    const created = Math.floor(Date.now() / 1000);

    if (request.stream !== true) {
      if (script.cut !== null) {
        await sleep(script.slowMs * script.cut);
        res.destroy();
        return;
      }
      await sleep(script.slowMs * script.deltas.length);
      return sendJson(res, record, 200, {
        id,
        object: "chat.completion",
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: script.deltas.join(""), refusal: null, annotations: [] },
            logprobs: null,
            finish_reason: finishReason,
          },
        ],
        usage,
        service_tier: "default",
        system_fingerprint: SYSTEM_FINGERPRINT,
      });
    }

    const includeUsage = asksForUsage(request.stream_options);
    const sse = openEventStream(res, record);
    const { send } = sse;
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
      id,
      object: "chat.completion.chunk",
      created,
      model,
      service_tier: "default",
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices,
      ...(includeUsage ? { usage: null } : {}),
      ...extra,
    });
    const choice = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
      index: 0,
      delta,
      logprobs: null,
      finish_reason: finishReason,
    });

    send(chunk([choice({ role: "assistant", content: "", refusal: null })]));
    const stopAt = Math.min(
      ...[script.cut, script.hang, script.badChunk, script.errorEvent].map((n) => n ?? Number.POSITIVE_INFINITY),
    );
    const deltaCount = Math.min(stopAt, script.deltas.length);
    for (let i = 0; i < deltaCount; i++) {
      if (script.slowMs > 0) await sleep(script.slowMs);
      if (sse.isClosed()) return;
      send(chunk([choice({ content: script.deltas[i] })]));
      record.deltasSent++;
    }
    if (script.hang !== null && script.hang <= deltaCount) {
      // Hung: the connection stays open and silent until the client closes it (or the server shuts down).
      return;
    }
    if (script.badChunk !== null || script.errorEvent !== null) {
      sse.end(
        script.badChunk !== null
          ? '{"id":"chatcmpl-broken","choices":[{"delta":{"content":'
          : { error: { message: "The server had an error while processing your request.", type: "server_error" } },
      );
      return;
    }
    if (script.cut !== null) return sse.cut();
    send(chunk([choice({}, finishReason)]));
    if (includeUsage) send(chunk([], { usage }));
    sse.end("[DONE]");
  }

  /** A 200 SSE response: `send` writes one `data:` event; `end` the last one; `cut` drops the connection instead. */
  function openEventStream(res: http.ServerResponse, record: RecordedRequest): EventStream {
    let closed = false;
    let ended = false;
    res.on("close", () => {
      closed = true;
      if (!ended) record.closedByClient = true;
    });
    record.status = 200;
    res.writeHead(200, {
      ...baseHeaders(),
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    res.flushHeaders();
    const send = (data: unknown) => {
      if (!closed) res.write(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
    };
    return {
      send,
      isClosed: () => closed,
      end: (last) => {
        ended = true;
        send(last);
        res.end();
      },
      cut: async () => {
        ended = true;
        record.status = null;
        // Let the written deltas reach the client before the connection drops, as a real mid-stream failure would.
        await sleep(20);
        res.destroy();
      },
    };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path === "/__requests" && req.method === "GET") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(log));
      return;
    }
    if (path === "/__clear" && req.method === "POST") {
      log.length = 0;
      res.writeHead(204).end();
      return;
    }

    if (path === "/v1/audio/transcriptions" && req.method === "POST")
      return audioTranscriptions(req, res, { log, sendJson, errorFor });
    const raw = await readBody(req);
    let body: unknown = null;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const record = recordOf(req, path, body);
    log.push(record);

    if (path === "/v1/chat/completions" && req.method === "POST") return chatCompletions(req, res, record);
    if (path === "/v1/completions" && req.method === "POST") {
      const apiKey = acceptedKey(req, res, record);
      if (apiKey === null) return;
      return textCompletions({
        body: record.body as Record<string, unknown>,
        apiKey,
        record,
        res,
        completionModels,
        isKnownModel: (model) => isKnownModel(model, models),
        sendJson,
        openEventStream,
      });
    }
    if (path === "/v1/images/generations" && req.method === "POST") {
      const answer = await imageGenerations({ body, authorization: req.headers.authorization, errorFor });
      return sendJson(res, record, answer.status, answer.body);
    }
    if (path === "/v1/models" && req.method === "GET") {
      return sendJson(res, record, 200, {
        object: "list",
        data: models.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "system" })),
      });
    }
    sendError(res, record, 404, {
      message: `Invalid URL (${req.method} ${path})`,
      type: "invalid_request_error",
      param: null,
      code: null,
    });
  }

  const served = await serveFake({
    name: "fake-openai",
    handle,
    answerFailure: (res) => sendError(res, null, 500, errorFor(500)),
    port: options.port,
    host: options.host,
  });

  return {
    url: `${served.url}/v1`,
    port: served.port,
    requests: () => structuredClone(log),
    clear: () => {
      log.length = 0;
    },
    close: served.close,
  };
}

/** A request as the log keeps it: lower-cased headers without `authorization` (only whether it was there). */
export function recordOf(req: http.IncomingMessage, path: string, body: unknown): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name !== "authorization" && value !== undefined)
      headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return {
    method: req.method ?? "GET",
    path,
    headers,
    hasAuthorization: req.headers.authorization !== undefined,
    body,
    time: new Date().toISOString(),
    status: null,
    deltasSent: 0,
    closedByClient: false,
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

// Standalone: argv[1] is this file when run as `tsx e2e/fake-openai/server.ts` (import.meta is unavailable under CJS).
if (/[\\/]fake-openai[\\/]server\.[cm]?[jt]s$/.test(process.argv[1] ?? "")) {
  const portArg = process.argv.indexOf("--port");
  const port = portArg >= 0 ? Number(process.argv[portArg + 1]) : 0;
  startFakeOpenAI({ port }).then(
    (fake) => {
      console.log(fake.url);
      const stop = () => void fake.close().then(() => process.exit(0));
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
