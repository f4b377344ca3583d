// `npm run bench:stream [-- --db sqlite|postgresql]`: what streaming a reply through the app costs, measured on the
// production build in .next (`npm run build` first) against the fake OpenAI upstream, each figure beside the same
// stream read straight from the upstream. A benchmark, not a test: it prints figures; it fails only when it cannot run.
//
//   ttft     time to first token with an upstream that takes 300 ms to its first token: through the app ÷ direct
//            (p50, p99 of 20 sequential chats)
//   long     one 4,000-chunk reply, no delay upstream: total time through the app ÷ direct (median of 5), and how many
//            SSE events the browser received for it
//   chunks/s 20 chats at once, each a 4,000-chunk reply with no delay: upstream chunks streamed per second by the app
//            (CPU-bound), and the same 20 read straight from the upstream
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { chat, createUser, percentile, readStream, runBench, withBenchApp } from "./bench-app";

const LONG_CHUNKS = 4_000;
const CONCURRENT = 20;

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** Reads one streamed completion straight from the upstream: time to first content delta and total time. */
async function direct(upstreamUrl: string, text: string) {
  const start = performance.now();
  const response = await fetch(`${upstreamUrl}/chat/completions`, {
    method: "POST",
    headers: { authorization: "Bearer sk-bench", "content-type": "application/json" },
    body: JSON.stringify({
      model: "gpt-5-mini",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: text }],
    }),
  });
  if (!response.ok || !response.body) throw new Error(`upstream answered ${response.status}`);
  // The first chunk names the role with an empty content: the first token is the first non-empty content.
  const { firstTokenMs } = await readStream(response.body, start, (text) => /"content":"[^"]/.test(text));
  return { firstTokenMs: firstTokenMs ?? Number.NaN, totalMs: performance.now() - start };
}

const median = (values: number[]) => percentile(values, 50);
const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : "–");

async function main() {
  const kind = arg("db") ?? "sqlite";
  await withBenchApp({ kind, name: "bench-stream" }, async ({ app, db, upstreamUrl }) => {
    const user = await createUser(app.url, db, null);
    const tag = () => randomUUID().slice(0, 8);
    // Warm-up: the first chat loads the route, the tokenizer and the database pool.
    for (let i = 0; i < 3; i++) await chat(app.url, user, `[[words:5]] warm ${tag()}`);

    const ttftApp: number[] = [];
    const ttftDirect: number[] = [];
    for (let i = 0; i < 20; i++) {
      const text = `[[words:2]][[slow:300]] ttft ${tag()}`;
      ttftDirect.push((await direct(upstreamUrl, text)).firstTokenMs);
      ttftApp.push((await chat(app.url, user, text)).firstTokenMs ?? Number.NaN);
    }

    const longApp: number[] = [];
    const longDirect: number[] = [];
    let events = 0;
    for (let i = 0; i < 5; i++) {
      const text = `[[words:${LONG_CHUNKS}]] long ${tag()}`;
      longDirect.push((await direct(upstreamUrl, text)).totalMs);
      const outcome = await chat(app.url, user, text);
      if (!outcome.ok) throw new Error(`a long reply failed: ${outcome.error}`);
      longApp.push(outcome.totalMs);
      events = outcome.events;
    }

    const users = await Promise.all(Array.from({ length: 4 }, () => createUser(app.url, db, null)));
    const wave = async (send: (i: number) => Promise<unknown>) => {
      const start = performance.now();
      await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => send(i)));
      return ((CONCURRENT * LONG_CHUNKS) / (performance.now() - start)) * 1000;
    };
    const directRate = await wave((i) => direct(upstreamUrl, `[[words:${LONG_CHUNKS}]] rate ${i} ${tag()}`));
    let failed = 0;
    const appRate = await wave(async (i) => {
      const outcome = await chat(
        app.url,
        users[i % users.length] ?? user,
        `[[words:${LONG_CHUNKS}]] rate ${i} ${tag()}`,
      );
      if (!outcome.ok) failed++;
    });

    const rows = [
      [
        "TTFT, upstream 300 ms: app ÷ direct",
        `p50 ${fixed(median(ttftApp) / median(ttftDirect))} (${Math.round(median(ttftApp))} vs ${Math.round(median(ttftDirect))} ms), ` +
          `p99 ${fixed(percentile(ttftApp, 99) / percentile(ttftDirect, 99))}`,
      ],
      [
        `${LONG_CHUNKS.toLocaleString("en")}-chunk reply, no delay: app ÷ direct`,
        `${fixed(median(longApp) / median(longDirect), 1)}× (${Math.round(median(longApp))} vs ${Math.round(median(longDirect))} ms), ${events.toLocaleString("en")} events to the browser`,
      ],
      [
        `Chunks/s, ${CONCURRENT} such replies at once`,
        `${Math.round(appRate).toLocaleString("en")}/s through the app (${failed} failed) vs ${Math.round(directRate).toLocaleString("en")}/s direct`,
      ],
    ];
    console.log(`\nbench:stream (${kind})\n`);
    console.log("| Figure | Measured |\n|---|---|");
    for (const [figure, value] of rows) console.log(`| ${figure} | ${value} |`);
  });
}

runBench(main);
