// Signed-in users for specs that talk to the API rather than click through pages (money under concurrency, faults):
// the user row is inserted directly (a cheap bcrypt cost), then signed in through Auth.js's real credentials endpoint,
// so the returned request context carries a genuine session cookie.
import { randomUUID } from "node:crypto";
import { type APIRequestContext, expect, request } from "@playwright/test";
import bcrypt from "bcryptjs";
import type { TestDatabase } from "./db";
import { uniqueEmail } from "./fixtures";

const PASSWORD = "api user 42";
const PASSWORD_HASH = bcrypt.hashSync(PASSWORD, 4);

export interface ApiUser {
  id: string;
  email: string;
  api: APIRequestContext;
}

/** `budgetUsd`: the user's own monthly limit in micro-USD; null for unlimited; undefined for the server default. */
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
  const id = randomUUID();
  const email = uniqueEmail(prefix);
  const mode = budgetMicros === undefined ? "default" : budgetMicros === null ? "unlimited" : "limited";
  await db.query(
    `INSERT INTO "User" ("id", "email", "passwordHash", "updatedAt", "budgetMode", "monthlyBudgetMicros") VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, email, PASSWORD_HASH, new Date().toISOString(), mode, budgetMicros ?? null],
  );
  const api = await request.newContext({ baseURL });
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const signIn = await api.post("/api/auth/callback/credentials", {
    form: { email, password: PASSWORD, csrfToken, callbackUrl: baseURL },
  });
  expect(signIn.ok(), `sign-in of ${email}`).toBe(true);
  const session = (await (await api.get("/api/auth/session")).json()) as { user?: { id?: string } } | null;
  expect(session?.user?.id, `session of ${email}`).toBe(id);
  return { id, email, api };
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
  };
}

/** Text deltas received so far in a UI message stream body. */
export function deltasIn(body: string): number {
  return (body.match(/"type":"text-delta"/g) ?? []).length;
}
