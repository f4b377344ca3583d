// `npm run bench:stream [-- --db sqlite|postgresql] [-- --profile DIR]`: what streaming a reply through the app costs,
// measured on the production build in .next (`npm run build` first) against the fake OpenAI upstream, each figure
// beside the same stream read straight from the upstream and through the floor route (app/api/bench/floor: the AI
// SDK's streamText and nothing else). A benchmark, not a test: it prints figures; it fails only when it cannot run.
//
//   ttft     time to first token with an upstream that takes 300 ms to its first token: through the app ÷ direct
//            (p50, p99 of 20 sequential chats), and how long after the request the upstream was called
//   long     one 4,000-chunk reply, no delay upstream: total time through the app ÷ direct (median of 5), and how many
//            SSE events the browser received for it
//   chunks/s 20 chats at once, each a 4,000-chunk reply with no delay: upstream chunks streamed per second by the app
//            (CPU-bound), and the same 20 read straight from the upstream
//   crowds   100 and 200 chats at once, each 500 chunks at 50 chunks/s, over 20 users: errors, the time to first
//            token each waited beyond a chat alone, and the whole wave's time ÷ a chat alone
//   --single  only the figures of one chat at a time (time to first token, the long reply), a minute instead of several
//   --profile DIR writes the server's V8 CPU profile there (read it with scripts/cpu-profile.ts)
//   --seeded FILE runs on the database scripts/bench.ts seeded (beside its large user); --json FILE writes the figures
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import {
  benchArg,
  chat,
  createUser,
  percentile,
  readSeeded,
  readStream,
  runBench,
  withBenchApp,
  writeJson,
} from "./bench-app";

const LONG_CHUNKS = 4_000;
const CONCURRENT = 20;
const PACED_CHUNKS = 500;
const PACED_RATE = 50;

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

/** The floor route (app/api/bench/floor): the same upstream through the AI SDK's streamText, nothing else. */
async function floor(baseUrl: string, text: string) {
  const start = performance.now();
  const response = await fetch(`${baseUrl}/api/bench/floor`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text }),
  });
  if (!response.ok || !response.body) throw new Error(`the floor route answered ${response.status}`);
  const { body, firstTokenMs } = await readStream(response.body, start, (text) => text.includes('"text-delta"'));
  const events = body.split("\n").filter((line) => line.startsWith("data:")).length;
  return { firstTokenMs: firstTokenMs ?? Number.NaN, totalMs: performance.now() - start, events };
}

/** When (ms after `start`) the upstream received the request whose prompt holds `tag`. */
async function upstreamArrival(upstreamUrl: string, tag: string, start: number, startedAt: number) {
  const response = await fetch(`${upstreamUrl.replace(/\/v1$/, "")}/__requests`);
  const requests = (await response.json()) as { body: unknown; time: string }[];
  const request = requests.find((candidate) => JSON.stringify(candidate.body).includes(tag));
  return request ? Date.parse(request.time) - startedAt - start : Number.NaN;
}

function printRows(rows: string[][]) {
  console.log("| Figure | Measured |\n|---|---|");
  for (const [figure, value] of rows) console.log(`| ${figure} | ${value} |`);
}

const median = (values: number[]) => percentile(values, 50);
const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : "–");

async function main() {
  const seeded = readSeeded(benchArg("seeded"));
  const kind = seeded?.kind ?? benchArg("db") ?? "sqlite";
  // --profile DIR: the app writes a V8 CPU profile there when it stops (node --cpu-prof), for scripts/cpu-profile.ts.
  const profileDir = benchArg("profile");
  const env = { CHATLEDGER_BENCH_FLOOR: "1" };
  await withBenchApp({ kind, name: "bench-stream", env, profileDir, seeded }, async ({ app, db, upstreamUrl }) => {
    const user = await createUser(app.url, db, null);
    const tag = () => randomUUID().slice(0, 8);
    // Warm-up: the first chat loads the route, the tokenizer and the database pool.
    for (let i = 0; i < 3; i++) {
      await chat(app.url, user, `[[words:5]] warm ${tag()}`);
      await floor(app.url, `[[words:5]] warm ${tag()}`);
    }
    // performance.now() is relative to this instant; the upstream logs wall-clock times.
    const startedAt = Date.now() - performance.now();

    const ttft = { app: [] as number[], floor: [] as number[], direct: [] as number[] };
    const beforeUpstream = { app: [] as number[], floor: [] as number[] };
    for (let i = 0; i < 20; i++) {
      ttft.direct.push((await direct(upstreamUrl, `[[words:2]][[slow:300]] ttft ${tag()}`)).firstTokenMs);
      const appTag = tag();
      const appStart = performance.now();
      ttft.app.push((await chat(app.url, user, `[[words:2]][[slow:300]] ttft ${appTag}`)).firstTokenMs ?? Number.NaN);
      beforeUpstream.app.push(await upstreamArrival(upstreamUrl, appTag, appStart, startedAt));
      const floorTag = tag();
      const floorStart = performance.now();
      ttft.floor.push((await floor(app.url, `[[words:2]][[slow:300]] ttft ${floorTag}`)).firstTokenMs);
      beforeUpstream.floor.push(await upstreamArrival(upstreamUrl, floorTag, floorStart, startedAt));
    }

    const long = { app: [] as number[], floor: [] as number[], direct: [] as number[] };
    const events = { app: 0, floor: 0 };
    for (let i = 0; i < 5; i++) {
      const text = () => `[[words:${LONG_CHUNKS}]] long ${tag()}`;
      long.direct.push((await direct(upstreamUrl, text())).totalMs);
      const outcome = await chat(app.url, user, text());
      if (!outcome.ok) throw new Error(`a long reply failed: ${outcome.error}`);
      long.app.push(outcome.totalMs);
      events.app = outcome.events;
      const floored = await floor(app.url, text());
      long.floor.push(floored.totalMs);
      events.floor = floored.events;
    }

    const ratio = (a: number[], b: number[], p: number) => percentile(a, p) / percentile(b, p);
    const singleRows = [
      [
        "TTFT, upstream 300 ms: app ÷ direct",
        `p50 ${fixed(ratio(ttft.app, ttft.direct, 50))} (${Math.round(median(ttft.app))} vs ${Math.round(median(ttft.direct))} ms), ` +
          `p99 ${fixed(ratio(ttft.app, ttft.direct, 99))}; floor route p50 ${fixed(ratio(ttft.floor, ttft.direct, 50))}, ` +
          `p99 ${fixed(ratio(ttft.floor, ttft.direct, 99))}`,
      ],
      [
        "Before the upstream call (p50)",
        `app ${Math.round(median(beforeUpstream.app))} ms, floor route ${Math.round(median(beforeUpstream.floor))} ms`,
      ],
      [
        `${LONG_CHUNKS.toLocaleString("en")}-chunk reply, no delay: app ÷ direct`,
        `${fixed(median(long.app) / median(long.direct), 1)}× (${Math.round(median(long.app))} vs ${Math.round(median(long.direct))} ms, ` +
          `${events.app.toLocaleString("en")} events); floor route ${fixed(median(long.floor) / median(long.direct), 1)}× ` +
          `(${Math.round(median(long.floor))} ms, ${events.floor.toLocaleString("en")} events)`,
      ],
    ];
    if (process.argv.includes("--single")) {
      console.log(`\nbench:stream --single (${kind})\n`);
      printRows(singleRows);
      return;
    }

    const users = await Promise.all(Array.from({ length: 20 }, () => createUser(app.url, db, null)));
    const wave = async (count: number, send: (i: number) => Promise<unknown>) => {
      const start = performance.now();
      await Promise.all(Array.from({ length: count }, (_, i) => send(i)));
      return performance.now() - start;
    };
    const rate = (ms: number) => ((CONCURRENT * LONG_CHUNKS) / ms) * 1000;
    const directRate = rate(
      await wave(CONCURRENT, (i) => direct(upstreamUrl, `[[words:${LONG_CHUNKS}]] rate ${i} ${tag()}`)),
    );
    let failed = 0;
    const appRate = rate(
      await wave(CONCURRENT, async (i) => {
        const outcome = await chat(
          app.url,
          users[i % users.length] ?? user,
          `[[words:${LONG_CHUNKS}]] rate ${i} ${tag()}`,
        );
        if (!outcome.ok) failed++;
      }),
    );
    const floorRate = rate(
      await wave(CONCURRENT, (i) => floor(app.url, `[[words:${LONG_CHUNKS}]] rate ${i} ${tag()}`)),
    );

    // Many chats at once, each paced as a real model writes: 500 chunks at 50 chunks/s, spread over 20 users.
    const paced = (label: string) => `[[words:${PACED_CHUNKS}]][[slow:${1000 / PACED_RATE}]] paced ${label}`;
    const alone = await chat(app.url, user, paced(tag()));
    const floorAlone = await floor(app.url, paced(tag()));
    const crowds = [];
    for (const count of [100, 200]) {
      const outcomes: { ok: boolean; firstTokenMs: number | null }[] = [];
      const sent: { label: string; start: number }[] = [];
      const totalMs = await wave(count, async (i) => {
        const label = tag();
        sent.push({ label, start: performance.now() });
        outcomes.push(await chat(app.url, users[i % users.length] ?? user, paced(label)));
      });
      // How long each chat took to reach the upstream: what the app spent before calling it, queueing included.
      const beforeCall = await Promise.all(
        sent.map(({ label, start }) => upstreamArrival(upstreamUrl, label, start, startedAt)),
      );
      // The same crowd through the floor route: what Next.js and the AI SDK alone make of it on this machine.
      const floorTtfts: number[] = [];
      const floorTotalMs = await wave(count, async () => {
        floorTtfts.push((await floor(app.url, paced(tag()))).firstTokenMs);
      });
      crowds.push({ count, outcomes, totalMs, beforeCall, floorTtfts, floorTotalMs });
    }

    const rows = [
      ...singleRows,
      [
        `Chunks/s, ${CONCURRENT} such replies at once`,
        `${Math.round(appRate).toLocaleString("en")}/s through the app (${failed} failed), ` +
          `${Math.round(floorRate).toLocaleString("en")}/s the floor route, ${Math.round(directRate).toLocaleString("en")}/s direct`,
      ],
      ...crowds.map(({ count, outcomes, totalMs, beforeCall, floorTtfts, floorTotalMs }) => {
        const errors = outcomes.filter((outcome) => !outcome.ok).length;
        const ttfts = outcomes.map((outcome) => outcome.firstTokenMs ?? Number.POSITIVE_INFINITY);
        const added = (values: number[], aloneMs: number, p: number) => Math.round(percentile(values, p) - aloneMs);
        const aloneTtft = alone.firstTokenMs ?? Number.NaN;
        return [
          `${count} chats at once, ${PACED_CHUNKS} chunks at ${PACED_RATE}/s, 20 users`,
          `${errors} errors; added TTFT p50 +${added(ttfts, aloneTtft, 50)} ms, p99 +${added(ttfts, aloneTtft, 99)} ms; ` +
            `total ${fixed(totalMs / alone.totalMs)}× alone (${(totalMs / 1000).toFixed(1)} vs ${(alone.totalMs / 1000).toFixed(1)} s); ` +
            `upstream called after p50 ${Math.round(median(beforeCall))} ms, p99 ${Math.round(percentile(beforeCall, 99))} ms; ` +
            `floor route: added TTFT p50 +${added(floorTtfts, floorAlone.firstTokenMs, 50)} ms, ` +
            `p99 +${added(floorTtfts, floorAlone.firstTokenMs, 99)} ms, total ${fixed(floorTotalMs / floorAlone.totalMs)}× alone`,
        ];
      }),
    ];
    writeJson(benchArg("json"), {
      bench: "stream",
      kind,
      ttftMs: ttft,
      beforeUpstreamMs: beforeUpstream,
      longChunks: LONG_CHUNKS,
      longMs: long,
      longEvents: events,
      concurrent: CONCURRENT,
      chunksPerSecond: { app: appRate, floor: floorRate, direct: directRate, appFailed: failed },
      alone: { firstTokenMs: alone.firstTokenMs, totalMs: alone.totalMs },
      floorAlone: { firstTokenMs: floorAlone.firstTokenMs, totalMs: floorAlone.totalMs },
      crowds: crowds.map(({ count, outcomes, totalMs, beforeCall, floorTtfts, floorTotalMs }) => ({
        count,
        errors: outcomes.filter((outcome) => !outcome.ok).length,
        firstTokenMs: outcomes.map((outcome) => outcome.firstTokenMs),
        totalMs,
        beforeCallMs: beforeCall,
        floor: { firstTokenMs: floorTtfts, totalMs: floorTotalMs },
      })),
    });
    console.log(`\nbench:stream (${kind})\n`);
    printRows(rows);
  });
}

runBench(main);
