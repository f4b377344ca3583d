// `npm run bench:tokenizer`: how fast the composer's live prompt estimate is, through the code its Web Worker runs
// (components/chat/prompt-counter.ts), on a synthetic 300-message conversation of about 200k tokens in English and
// in Chinese, with each encoding. A benchmark, not a test: it prints timings and fails only if a count is wrong.
//
//   load      first `loadTokenizer` of the encoding in this process (module import + rank table)
//   cold      first estimate of the conversation: every message tokenized, BPE merge cache empty
//   keystroke one more character typed into a draft of that length, history cached (median of the runs)
//   no cache  the same keystroke if the whole history were tokenized again each time (what the cache saves)
//   reply     the history gained one ~1k-token reply (only that message is tokenized)
//
// Then the tokenizer page's request (/tokenizer, lib/billing/token-spans.ts) on 100,000 characters of each language,
// as the worker answers it: spans in one encoding, counts in both (encodings loaded, merge cache cleared first):
//   cold      the first request for the text
//   edited    the same text with one character more (merge cache warm), what typing costs after a pause
import { performance } from "node:perf_hooks";
import { createPromptCounter, type PromptMessage } from "../lib/billing/prompt-counter";
import { createTextTokenizer, loadTokenSpans, spanAt, type TokenizeResponse } from "../lib/billing/token-spans";
import {
  type ChatMessage,
  countChatPromptTokens,
  countTextTokens,
  type Encoding,
  loadTokenizer,
} from "../lib/billing/tokens";
import { MAX_MESSAGE_CHARS } from "../lib/input-rules";
import { mulberry32 } from "../test/random-text";

const MESSAGES = 300;
const TARGET_HISTORY_TOKENS = 200_000;
const KEYSTROKES = 40;
const MODELS: Record<Encoding, string> = { o200k_base: "gpt-4o-mini", cl100k_base: "gpt-4" };

type Language = "English" | "Chinese";

const ENGLISH_WORDS = (
  "the of and to in is that for it as with was on be by this are or from at an have not but which you they we can " +
  "all their has been one more will there would when what so if about into than its only other some could time " +
  "budget ledger token prompt reply model request conversation price invoice estimate streaming cache worker " +
  "tokenizer encoding history message draft upstream latency throughput migration database transaction schema " +
  "function variable interface component render state effect callback promise async await return const let " +
  "however therefore meanwhile although because whereas furthermore nevertheless consequently approximately " +
  "Kubernetes PostgreSQL TypeScript JavaScript Chromium OpenAI React Next.js Prisma SQLite Node.js WebAssembly"
).split(" ");
const ENGLISH_PUNCTUATION = [". ", ", ", "; ", ": ", "? ", "! ", " (", ") ", " — ", "\n\n", "\n- ", " `x = 42;` "];

const CHINESE_CHARACTERS =
  "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好" +
  "都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此" +
  "实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真" +
  "听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路" +
  "期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统" +
  "模型预算账单令牌请求回复缓存编码历史消息草稿延迟数据库事务组件渲染状态函数变量接口异步";
const CHINESE_PUNCTUATION = ["，", "。", "、", "；", "：", "？", "！", "“", "”", "（", "）", "\n\n"];

function generateText(language: Language, chars: number, random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    let piece: string;
    if (language === "English") {
      const roll = random();
      piece =
        roll < 0.06
          ? pick(ENGLISH_PUNCTUATION)
          : roll < 0.09
            ? `${Math.floor(random() * 100_000)} `
            : `${pick(ENGLISH_WORDS)} `;
    } else {
      const roll = random();
      piece =
        roll < 0.08
          ? pick(CHINESE_PUNCTUATION)
          : roll < 0.1
            ? ` ${pick(ENGLISH_WORDS)} `
            : (CHINESE_CHARACTERS[Math.floor(random() * CHINESE_CHARACTERS.length)] ?? "的");
    }
    parts.push(piece);
    length += piece.length;
  }
  return parts.join("").slice(0, chars);
}

/** A conversation of short user messages and long replies, sized to about TARGET_HISTORY_TOKENS in o200k_base. */
function generateHistory(language: Language): PromptMessage[] {
  const sample = generateText(language, 50_000, mulberry32(7));
  const charsPerToken = sample.length / countChatPromptTokens([{ role: "user", content: sample }], MODELS.o200k_base);
  const random = mulberry32(language === "English" ? 1 : 2);
  const meanTokens = TARGET_HISTORY_TOKENS / MESSAGES;
  return Array.from({ length: MESSAGES }, (_, index) => {
    const isUser = index % 2 === 0;
    // Users write ~1/8 of the mean, replies the rest; both vary ±50%.
    const tokens = (isUser ? meanTokens / 4 : (meanTokens * 7) / 4) * (0.5 + random());
    return {
      id: `m${index}`,
      role: isUser ? "user" : "assistant",
      content: generateText(language, Math.round(tokens * charsPerToken), random),
    };
  });
}

function time<T>(run: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = run();
  return { ms: performance.now() - start, result };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const clearMergeCaches: Record<Encoding, () => Promise<void>> = {
  // The same specifiers as lib/billing/tokens.ts, so these are the module instances it counts with.
  o200k_base: async () => (await import("gpt-tokenizer/encoding/o200k_base")).clearMergeCache(),
  cl100k_base: async () => (await import("gpt-tokenizer/encoding/cl100k_base")).clearMergeCache(),
};

function expectedTokens(history: readonly PromptMessage[], draft: string, model: string): number {
  const chat: ChatMessage[] = history.map(({ role, content }) => ({ role, content }));
  return countChatPromptTokens([...chat, { role: "user", content: draft }], model);
}

async function main() {
  const started = performance.now();
  const loads: string[] = [];
  for (const encoding of ["o200k_base", "cl100k_base"] as const) {
    const start = performance.now();
    await loadTokenizer(encoding);
    loads.push(`${encoding} ${(performance.now() - start).toFixed(0)} ms`);
  }
  console.log(`Encoding load (first in process): ${loads.join(", ")}\n`);

  const rows: string[][] = [];
  let mismatches = 0;
  for (const language of ["English", "Chinese"] as const) {
    const history = generateHistory(language);
    const chars = history.reduce((sum, message) => sum + message.content.length, 0);
    const reply = generateText(language, language === "English" ? 4_500 : 1_100, mulberry32(3));
    const longDraftBase = generateText(language, MAX_MESSAGE_CHARS - KEYSTROKES - 1, mulberry32(5));
    for (const encoding of ["o200k_base", "cl100k_base"] as const) {
      const model = MODELS[encoding];
      const check = (promptTokens: number, historyUsed: readonly PromptMessage[], draft: string) => {
        if (promptTokens !== expectedTokens(historyUsed, draft, model)) mismatches += 1;
      };
      await clearMergeCaches[encoding]();
      const countPrompt = createPromptCounter();
      const cold = time(() => countPrompt({ model, history, draft: "H" }));
      check(cold.result.promptTokens, history, "H");

      const keystroke = (draftBase: string) => {
        const samples: number[] = [];
        for (let typed = 1; typed <= KEYSTROKES; typed += 1) {
          const draft = draftBase + "Hello, how are you doing today?".repeat(2).slice(0, typed);
          const run = time(() => countPrompt({ model, history, draft }));
          samples.push(run.ms);
          if (typed === KEYSTROKES) check(run.result.promptTokens, history, draft);
        }
        return median(samples);
      };
      const shortDraft = keystroke("");
      const longDraft = keystroke(longDraftBase);
      const noCache = median(
        Array.from({ length: 5 }, (_, index) => time(() => expectedTokens(history, `draft ${index}`, model)).ms),
      );
      const grown = [...history, { id: "reply", role: "assistant", content: reply }];
      const withReply = time(() => countPrompt({ model, history: grown, draft: "H" }));
      check(withReply.result.promptTokens, grown, "H");

      rows.push([
        language,
        encoding,
        String(history.length),
        `${(chars / 1000).toFixed(0)}k`,
        `${(cold.result.promptTokens / 1000).toFixed(1)}k`,
        cold.ms.toFixed(0),
        shortDraft.toFixed(2),
        longDraft.toFixed(1),
        noCache.toFixed(0),
        withReply.ms.toFixed(1),
      ]);
    }
  }

  const header = [
    "language",
    "encoding",
    "messages",
    "chars",
    "tokens",
    "cold ms",
    "keystroke ms (≤40 ch)",
    `keystroke ms (${MAX_MESSAGE_CHARS / 1000}k ch)`,
    "no cache ms",
    "reply ms",
  ];
  printTable(header, rows);
  console.log(
    `\nnode ${process.version}, ${KEYSTROKES} keystrokes per median; every estimate checked against countChatPromptTokens: ` +
      `${mismatches === 0 ? "all equal" : `${mismatches} MISMATCHES`}; ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  if (mismatches > 0) process.exitCode = 1;
  await benchTokenizerPage();
}

const PAGE_CHARS = 100_000;

/** The tokenizer page's worker request on 100,000 characters, checked against countTextTokens and the text. */
async function benchTokenizerPage() {
  await Promise.all([loadTokenSpans("o200k_base"), loadTokenSpans("cl100k_base")]);
  const tokenize = createTextTokenizer();
  let requestId = 0;
  let problems = 0;
  const answer = async (text: string, encoding: Encoding) => {
    requestId += 1;
    const start = performance.now();
    const response: TokenizeResponse | null = await tokenize({ tokenize: { requestId, text, encoding } });
    const ms = performance.now() - start;
    const tokenized = response?.tokenized;
    if (!tokenized || "error" in tokenized) throw new Error(`no answer: ${JSON.stringify(tokenized)}`);
    const { spans, counts } = tokenized;
    let joined = "";
    for (let index = 0; index < spans.spanEnds.length; index += 1) joined += spanAt(text, spans, index).text;
    if (joined !== text) problems += 1;
    for (const each of ["o200k_base", "cl100k_base"] as const) {
      if (counts[each] !== countTextTokens(text, each)) problems += 1;
    }
    return { ms, tokens: counts[encoding], spans: spans.spanEnds.length };
  };
  const rows: string[][] = [];
  for (const language of ["English", "Chinese"] as const) {
    const text = generateText(language, PAGE_CHARS, mulberry32(11));
    for (const encoding of ["o200k_base", "cl100k_base"] as const) {
      await clearMergeCaches.o200k_base();
      await clearMergeCaches.cl100k_base();
      const cold = await answer(text, encoding);
      const edited = await answer(`${text}.`, encoding);
      rows.push([
        language,
        encoding,
        `${(PAGE_CHARS / 1000).toFixed(0)}k`,
        cold.tokens.toLocaleString("en-US"),
        cold.spans.toLocaleString("en-US"),
        cold.ms.toFixed(0),
        edited.ms.toFixed(0),
      ]);
    }
  }
  console.log("\nTokenizer page: one request as the worker answers it (spans in the encoding, counts in both)\n");
  printTable(["language", "spans in", "chars", "tokens", "spans", "cold ms", "edited ms"], rows);
  console.log(
    `\nspans joined equal the text and counts equal countTextTokens: ${problems === 0 ? "all" : `${problems} PROBLEMS`}`,
  );
  if (problems > 0) process.exitCode = 1;
}

function printTable(header: string[], rows: string[][]) {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)));
  console.log(line(header).join("  "));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows) console.log(line(row).join("  "));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
