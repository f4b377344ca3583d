// Part of `npm run bench:tokenizer` (run with `--conditions=react-server`, as the pool is a server-only module): the inputs that
// froze the server in issue 7, long runs without a space. A benchmark, not a test: it prints timings and fails only
// if a count is wrong.
//
//   unbounded  gpt-tokenizer's countTokens on the whole text, as counting was before runs were sliced
//   sliced     countTextTokens (lib/billing/tokens.ts), the same count in slices of MAX_RUN_CODE_POINTS
//   event loop the main thread's event loop delay (perf_hooks.monitorEventLoopDelay) while three long random runs are
//              counted at once on the worker pool (countTokensOffThread); for comparison, counted synchronously
//              (sliced), and the machine's own noise with nothing counted
//
// Every timing starts with gpt-tokenizer's merge cache cleared: a run of one repeated character is cheap from the
// second slice on (its slices are all alike), so random runs show the cost of text that repeats nothing.
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { countTokensOffThread } from "../lib/billing/token-pool";
import { countTextTokens, loadTokenizer, MAX_RUN_CODE_POINTS, sliceLongRuns } from "../lib/billing/tokens";
import { mulberry32, randomRun } from "../test/random-text";

const ENCODING = "o200k_base";
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };
// The same specifier as lib/billing/tokens.ts, dynamically imported as there, so this is the module instance it
// counts with (a static import would load the CommonJS build under tsx) and clearing its merge cache matters.
const o200kModule = () => import("gpt-tokenizer/encoding/o200k_base");
type O200k = Awaited<ReturnType<typeof o200kModule>>;

function englishMessage(chars: number): string {
  const words = (
    "the budget of a conversation is reserved before the request goes upstream and settled when the reply ends " +
    "tokens prompt reply model price ledger estimate streaming worker history message draft however therefore"
  ).split(" ");
  const random = mulberry32(11);
  let text = "";
  while (text.length < chars) {
    text += `${words[Math.floor(random() * words.length)]}${random() < 0.08 ? ". " : " "}`;
  }
  return text.slice(0, chars);
}

const INPUTS: [label: string, text: string][] = [
  ["32,000 × 😀 (issue 7)", "😀".repeat(32_000)],
  ["32,000 random emoji", randomRun(32_000, 0x1f300, 0x300, 1)],
  ["32,000 random CJK", randomRun(32_000, 0x4e00, 20_000, 2)],
  ['100,000 × "a"', "a".repeat(100_000)],
  ["100,000 random a–z", randomRun(100_000, 0x61, 26, 3)],
  ["32,000-char English message", englishMessage(32_000)],
];

/** The three messages counted at once while the event loop is watched. */
const CONCURRENT = [INPUTS[1], INPUTS[2], INPUTS[4]].map((input) => input?.[1] ?? "");

/** The median of 5 runs, or the one run if it took over a second (the unbounded counts of long runs). */
function time<T>(o200k: O200k, run: () => T): { ms: number; result: T } {
  const samples: number[] = [];
  let result: T;
  do {
    o200k.clearMergeCache();
    const start = performance.now();
    result = run();
    samples.push(performance.now() - start);
  } while (samples.length < 5 && (samples[0] ?? 0) < 1_000);
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)] ?? Number.NaN, result };
}

const RESOLUTION_MS = 1;

/** Lets the histogram's timer fire (and record how late it is) at least once. */
const timerTurn = () => new Promise((resolve) => setTimeout(resolve, RESOLUTION_MS + 1));

async function eventLoopDelay(
  o200k: O200k,
  run: () => Promise<unknown>,
): Promise<{ maxMs: number; p99Ms: number; ms: number }> {
  o200k.clearMergeCache();
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  await timerTurn();
  const start = performance.now();
  await run();
  const ms = performance.now() - start;
  await timerTurn();
  histogram.disable();
  return { maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, ms };
}

async function main() {
  const started = performance.now();
  await loadTokenizer(ENCODING);
  const o200k = await o200kModule();
  let mismatches = 0;

  console.log(`Counting long runs, ${ENCODING}, slices of ${MAX_RUN_CODE_POINTS} code points (main thread)\n`);
  const header = ["input", "slices", "tokens unbounded", "tokens sliced", "unbounded ms", "sliced ms"];
  const rows: string[][] = [];
  for (const [label, text] of INPUTS) {
    const unbounded = time(o200k, () => o200k.countTokens(text, AS_PLAIN_TEXT));
    const sliced = time(o200k, () => countTextTokens(text, ENCODING));
    const slices = sliceLongRuns(text);
    const sumOfSlices = slices.reduce((sum, slice) => sum + o200k.countTokens(slice, AS_PLAIN_TEXT), 0);
    if (sliced.result !== sumOfSlices) mismatches += 1;
    if (slices.length === 1 && sliced.result !== unbounded.result) mismatches += 1;
    rows.push([
      label,
      String(slices.length),
      String(unbounded.result),
      String(sliced.result),
      unbounded.ms.toFixed(0),
      sliced.ms.toFixed(1),
    ]);
  }
  printTable(header, rows);

  // Warm the pool (start a worker, load the encoding in it), so what is measured next is the counting.
  const coldStart = performance.now();
  await countTokensOffThread({ texts: ["warm up"], encoding: ENCODING });
  const coldMs = performance.now() - coldStart;
  const expected = CONCURRENT.map((text) => countTextTokens(text, ENCODING));
  const onPool = await eventLoopDelay(o200k, async () => {
    const counts = await Promise.all(
      CONCURRENT.map((text) => countTokensOffThread({ texts: [text], encoding: ENCODING })),
    );
    if (counts.flat().join() !== expected.join()) mismatches += 1;
  });
  // The machine's own noise (other processes, the garbage collector) over as long, with nothing counted.
  const idle = await eventLoopDelay(o200k, async () => {
    const until = performance.now() + onPool.ms;
    while (performance.now() < until) await timerTurn();
  });
  const onMainThread = await eventLoopDelay(o200k, async () => {
    for (const text of CONCURRENT) countTextTokens(text, ENCODING);
  });
  console.log(
    `\nEvent loop delay while counting random emoji, random CJK and random a–z (${CONCURRENT.length} at once)\n`,
  );
  printTable(
    ["where", "max ms", "p99 ms", "all counted in ms"],
    [
      ["worker pool", onPool.maxMs.toFixed(1), onPool.p99Ms.toFixed(1), onPool.ms.toFixed(0)],
      ["main thread", onMainThread.maxMs.toFixed(1), onMainThread.p99Ms.toFixed(1), onMainThread.ms.toFixed(0)],
      ["nothing (idle)", idle.maxMs.toFixed(1), idle.p99Ms.toFixed(1), "–"],
    ],
  );

  console.log(`\nFirst count on the pool (starts a worker, loads the encoding in it): ${coldMs.toFixed(0)} ms`);
  console.log(
    `\nnode ${process.version}; sliced counts equal to the sum of their slices' counts, and to the unbounded count ` +
      `when nothing was sliced: ${mismatches === 0 ? "all" : `${mismatches} MISMATCHES`}; ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  if (mismatches > 0) process.exitCode = 1;
}

function printTable(header: string[], rows: string[][]) {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)));
  console.log(line(header).join("  "));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows) console.log(line(row).join("  "));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
