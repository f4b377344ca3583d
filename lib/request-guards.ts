// Requests Next.js itself would answer with a 500 before any code of ours runs, refused by proxy.ts with a clear 4xx
// instead. The words come from the message files, in the visitor's language (the cookie, else Accept-Language), as
// every other error of the app.
import type { ErrorCode, ErrorText } from "./errors";
import { appError, localizedMessage } from "./i18n/errors";
import { isLocale, LOCALE_COOKIE, type Locale } from "./i18n/locales";
import { negotiateLocale } from "./i18n/negotiate";
import { unstorableTextProblem } from "./input-rules";

/**
 * The body limit of a server action: Next's own default for `serverActions.bodySizeLimit` (next.config.js sets none).
 * Every action of the app takes a small form; 1 MB is far above any of them.
 */
export const MAX_ACTION_BODY_BYTES = 1024 * 1024;

/** A NextRequest, or what of it is read here: `nextUrl.pathname` is the path as sent (escapes not decoded). */
type GuardedRequest = Request & { nextUrl: { pathname: string } };

/**
 * Why a request is refused before it reaches a page, a route or a server action, as a response; null when it may go
 * on. Refused:
 * - a path with a malformed percent escape (`%E0%A4%A`, `%ZZ`, a lone `%`, bytes that are not UTF-8) or one that
 *   decodes to text no database stores (NUL, a lone surrogate): Next fails to decode such a path (a 500), or hands
 *   the id to our queries, where PostgreSQL refuses it;
 * - a form post to a page (a server action: a Next-Action header, or a multipart body) whose body has no declared
 *   length (chunked) or declares more than MAX_ACTION_BODY_BYTES: Next reads an action's body before its own size
 *   check and answers that check with a 500; with a declared length within the limit, Node's parser delivers no more;
 * - such a post whose body is not what Next's client sends (JSON text, or multipart form data): Next's decoding
 *   throws, a 500. What decodes but is not the action's argument is the action's to refuse (lib/utils.ts formText).
 */
export async function refusal(request: GuardedRequest): Promise<Response | null> {
  const pathProblem = malformedPathProblem(request.nextUrl.pathname);
  if (pathProblem) return refusalResponse(request, "bad_request", pathProblem);
  const contentType = request.headers.get("content-type") ?? "";
  const isMultipart = /^multipart\/form-data/i.test(contentType);
  if (request.method !== "POST" || !(request.headers.has("next-action") || isMultipart)) return null;
  const length = request.headers.get("content-length");
  if (length === null || !/^\d+$/.test(length)) {
    return refusalResponse(request, "bad_request", { key: "errors.inputLengthRequired" }, 411);
  }
  if (Number(length) > MAX_ACTION_BODY_BYTES) {
    return refusalResponse(request, "payload_too_large", {
      key: "errors.bodyTooLarge",
      params: { limit: MAX_ACTION_BODY_BYTES },
    });
  }
  try {
    const root = isMultipart
      ? (await request.formData()).get("0")
      : new TextDecoder("utf-8", { fatal: true }).decode(await request.arrayBuffer());
    if (typeof root !== "string" || !isPlainArgumentList(JSON.parse(root))) throw new Error("not an argument list");
  } catch {
    return refusalResponse(request, "bad_request", { key: "errors.inputMalformedAction" });
  }
  return null;
}

/**
 * React's encoding of an action's arguments that the app's actions can receive: an array of JSON values whose
 * `$`-strings are only escapes, special numbers, dates, bigints and form data (`$K<id>`). Every other reference
 * (`$1` an outlined value, `$Q` a Map, `$B` a Blob, `$@` a promise, `$F` a server reference, …) is one no action of
 * the app takes, and React's decoder throws on a dangling one: Next would answer with a 500.
 */
function isPlainArgumentList(value: unknown): boolean {
  return Array.isArray(value) && value.every(isPlainReplyValue);
}

const PLAIN_REFERENCE = /^\$(\$.*|undefined|NaN|-?Infinity|-0|D.*|n-?\d+|K[0-9a-f]+)$/s;

function isPlainReplyValue(value: unknown): boolean {
  if (typeof value === "string") return !value.startsWith("$") || PLAIN_REFERENCE.test(value);
  if (Array.isArray(value)) return value.every(isPlainReplyValue);
  if (value !== null && typeof value === "object") return Object.values(value).every(isPlainReplyValue);
  return true;
}

/** Why a raw path cannot be decoded into text we can store, or null. */
export function malformedPathProblem(rawPathname: string): ErrorText | null {
  if (!rawPathname.includes("%")) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPathname);
  } catch {
    return { key: "errors.inputMalformedPath" };
  }
  return unstorableTextProblem(decoded);
}

/** A refusal in the visitor's language, for the proxy (which has no next-intl request context). */
export function refusalResponse(request: Request, code: ErrorCode, text: ErrorText, status?: number): Response {
  const error = appError(code, text);
  const message = localizedMessage(error, requestLocale(request.headers));
  return Response.json(error.toBody(message), {
    status: status ?? error.status,
    headers: { "cache-control": "no-store" },
  });
}

function requestLocale(headers: Headers): Locale {
  const cookie = (headers.get("cookie") ?? "")
    .split(/;\s*/)
    .find((pair) => pair.startsWith(`${LOCALE_COOKIE}=`))
    ?.slice(LOCALE_COOKIE.length + 1);
  return isLocale(cookie) ? cookie : negotiateLocale(headers.get("accept-language"));
}
