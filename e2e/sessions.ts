// Signed-in API clients for specs that talk to the API rather than click through pages (money under concurrency,
// faults), and helpers to send chat messages and read their streams.
import { randomUUID } from "node:crypto";
import { type APIRequestContext, request } from "@playwright/test";
import { type Account, createAccount, signInAs } from "./accounts";
import type { TestDatabase } from "./db";

export interface ApiUser extends Account {
  api: APIRequestContext;
}

/** A new user with an API client signed in as them. `budgetMicros`: see createAccount. */
export async function createApiUser({
  baseURL,
  db,
  prefix = "api",
  budgetMicros,
}: {
  baseURL: string;
  db: TestDatabase;
  prefix?: string;
  budgetMicros?: number | null;
}): Promise<ApiUser> {
  const account = await createAccount(db, { prefix, budgetMicros });
  const api = await request.newContext({ baseURL });
  await signInAs(api, account);
  return { ...account, api };
}

/** What POST /api/chat answered: status, and for a stream every UI message chunk in order. */
export interface ChatResult {
  status: number;
  /** Error body of a refused request. */
  error?: { code: string; message: string };
  retryAfter?: string | null;
  chunks: { type: string; [key: string]: unknown }[];
  text: string;
}

export function parseChatStream(body: string): Pick<ChatResult, "chunks" | "text"> {
  const chunks = body
    .split("\n\n")
    .map((event) => event.trim())
    .filter((event) => event.startsWith("data: ") && event !== "data: [DONE]")
    .map((event) => JSON.parse(event.slice("data: ".length)) as ChatResult["chunks"][number]);
  const text = chunks
    .filter((chunk) => chunk.type === "text-delta")
    .map((chunk) => chunk.delta as string)
    .join("");
  return { chunks, text };
}

/** Sends one chat message through the real API and reads the whole answer. */
export async function sendChat(
  api: APIRequestContext,
  {
    conversationId = randomUUID(),
    text,
    model = "gpt-5-mini",
  }: { conversationId?: string; text: string; model?: string },
  { timeout = 120_000 }: { timeout?: number } = {},
): Promise<ChatResult & { conversationId: string }> {
  const response = await api.post("/api/chat", { data: { conversationId, model, text }, timeout });
  const body = await response.text();
  if (!response.ok()) {
    let error: ChatResult["error"];
    try {
      error = (JSON.parse(body) as { error: ChatResult["error"] }).error;
    } catch {
      error = { code: "unparsed", message: body.slice(0, 500) };
    }
    return {
      conversationId,
      status: response.status(),
      error,
      retryAfter: response.headers()["retry-after"] ?? null,
      chunks: [],
      text: "",
    };
  }
  return { conversationId, status: response.status(), ...parseChatStream(body) };
}

/** The context's cookies as a Cookie header, for requests that must read a response as it streams (fetch). */
export async function cookieHeader(api: APIRequestContext): Promise<string> {
  return (await api.storageState()).cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
}

/** POST /api/chat with fetch, returning the response unread, so a spec can act while the reply streams. */
export async function startChat(
  baseURL: string,
  user: ApiUser,
  {
    conversationId = randomUUID(),
    text,
    model = "gpt-5-mini",
  }: { conversationId?: string; text: string; model?: string },
) {
  const response = await fetch(`${baseURL}/api/chat`, {
    method: "POST",
    headers: { cookie: await cookieHeader(user.api), "content-type": "application/json" },
    body: JSON.stringify({ conversationId, model, text }),
  });
  const reader = response.body?.getReader();
  if (!reader) throw new Error(`POST /api/chat answered ${response.status} without a body`);
  const decoder = new TextDecoder();
  let body = "";
  return {
    conversationId,
    response,
    /** Reads until `until(body so far)` holds or the stream ends; returns whether it ended. */
    async readUntil(until: (body: string) => boolean): Promise<boolean> {
      while (!until(body)) {
        const { done, value } = await reader.read();
        if (done) return true;
        body += decoder.decode(value, { stream: true });
      }
      return false;
    },
    async readToEnd(): Promise<string> {
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return body;
        body += decoder.decode(value, { stream: true });
      }
    },
    body: () => body,
    /** Stops reading and closes the connection: the browser goes away. */
    cancel: () => reader.cancel().catch(() => {}),
  };
}

/**
 * How many of the fake upstream's words ("word1 word2 …", one per upstream chunk) a UI message stream body holds so
 * far. Words, not events: the app sends the text in frames of several chunks.
 */
export function wordsIn(body: string): number {
  return (body.match(/\bword\d+\b/g) ?? []).length;
}
