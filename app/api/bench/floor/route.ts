import { createOpenAI } from "@ai-sdk/openai";
import { streamText } from "ai";

export const dynamic = "force-dynamic";

/**
 * The floor of this stack, for `npm run bench:stream` only: the least a Next.js route can do to stream a reply — the
 * AI SDK's `openai.chat` → streamText → UI message stream, no sign-in, no budget, no storage — so the benchmark shows
 * what the app adds and what the stack costs. Off (404) unless the server runs with CHATLEDGER_BENCH_FLOOR=1, which
 * only the benchmark sets: it would spend the operator's key for anyone.
 */
export async function POST(request: Request) {
  const apiKey = process.env.OPENAI_API_KEY;
  if (process.env.CHATLEDGER_BENCH_FLOOR !== "1" || !apiKey) return new Response("Not found", { status: 404 });
  const { text } = (await request.json()) as { text: string };
  const openai = createOpenAI({ apiKey, baseURL: process.env.OPENAI_BASE_URL });
  const result = streamText({ model: openai.chat("gpt-5-mini"), messages: [{ role: "user", content: text }] });
  return result.toUIMessageStreamResponse();
}
