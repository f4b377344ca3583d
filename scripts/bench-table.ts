// BENCHMARKS.md from the figures one `npm run bench` run measured (each benchmark's `--json` output): issue 10's table,
// each figure a ratio or a distribution from that run, beside its target, one column per database. Pure: the driver
// (scripts/bench.ts) gathers the results and the machine; this only formats them.

/** The value at or below which `p` percent of `values` lie (nearest rank); NaN for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

type Times = number[];

export type StreamResult = {
  bench: "stream";
  ttftMs: { app: Times; floor: Times; direct: Times };
  beforeUpstreamMs: { app: Times; floor: Times };
  longChunks: number;
  longMs: { app: Times; floor: Times; direct: Times };
  longEvents: { app: number; floor: number };
  concurrent: number;
  chunksPerSecond: { app: number; floor: number; direct: number; appFailed: number };
  alone: { firstTokenMs: number | null; totalMs: number };
  /** A paced chat alone through the floor route. */
  floorAlone?: { firstTokenMs: number; totalMs: number };
  crowds: {
    count: number;
    errors: number;
    firstTokenMs: (number | null)[];
    totalMs: number;
    beforeCallMs: Times;
    /** The same crowd through the floor route. */
    floor?: { firstTokenMs: Times; totalMs: number };
  }[];
};
export type PageResult = {
  bench: "page";
  messages: number;
  pageMs: Times;
  htmlBytes: number;
  rendered: number;
  olderMs: Times | null;
};
export type UsageResult = { bench: "usage"; entriesThisMonth: number; usageMs: Times };
export type ChatPageResult = { bench: "chat-page"; conversations: number; freshMs: Times; largeMs: Times };
type TypingFigures = {
  /** Messages in the page when measured. */
  shown: number;
  /** The longest task on the renderer's main thread while typing (Chrome's trace). */
  longestTaskMs: number;
  mainMs: number;
  longTasksMs: Times;
};
/** Measured with every page of the conversation loaded (the worst case), and as it opens. */
export type TypingResult = { bench: "typing"; messages: number; keys: number; asOpened: TypingFigures } & TypingFigures;
export type JsResult = { bench: "js"; gzipBytes: Record<string, number> };

/** One database's results; a benchmark that failed or did not run is missing, its error kept. */
export type DatabaseResults = {
  stream?: StreamResult;
  page?: PageResult;
  usage?: UsageResult;
  chatPage?: ChatPageResult;
  errors: Record<string, string>;
};

export type BenchRun = {
  date: string;
  commit: string;
  machine: {
    cpu: string;
    cores: number;
    /** 1, 5 and 15 minutes, at the start of the run and at its end. */
    loadAverage: [number, number, number];
    loadAverageEnd: [number, number, number];
    ramBytes: number;
    node: string;
  };
  quick: boolean;
  /** What was seeded for the large user. */
  seed: { conversations: number; messages: number; entries: number; seededMs: Record<string, number> };
  /** By database kind ("sqlite", "postgresql"), in the order they ran. */
  databases: Record<string, DatabaseResults>;
  /** The browser's figures (the database plays no part): typing and JavaScript. */
  browser: { typing?: TypingResult; js?: JsResult; errors: Record<string, string> };
  durationMs: number;
  steps: { name: string; ms: number }[];
};

/** A time; ∞ where a chat never got its first token, – where nothing was measured. */
const ms = (value: number) =>
  Number.isFinite(value)
    ? `${Math.abs(value) < 10 ? value.toFixed(1) : Math.round(value).toLocaleString("en-US")} ms`
    : value === Number.POSITIVE_INFINITY
      ? "∞"
      : "–";
const signed = (value: number) => `${value < 0 ? "−" : "+"}${ms(Math.abs(value))}`;
const ratio = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : "–");
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const count = (value: number) => Math.round(value).toLocaleString("en-US");
const p = (times: Times, at: number) => percentile(times, at);
const finite = (times: (number | null)[]) => times.map((time) => time ?? Number.POSITIVE_INFINITY);

/** A figure measured on each database; `bench` names the benchmark that measures it (its error when it failed). */
type Row = {
  bench: string;
  figure: string;
  target: string;
  cell: (results: DatabaseResults) => string | null;
};

function streamRows(): Row[] {
  const ttft = (s: StreamResult) => {
    const { app, floor, direct } = s.ttftMs;
    return (
      `p50 ${ratio(p(app, 50) / p(direct, 50))}, p99 ${ratio(p(app, 99) / p(direct, 99))} ` +
      `(${ms(p(app, 50))} vs ${ms(p(direct, 50))}); floor route p50 ${ratio(p(floor, 50) / p(direct, 50))}, ` +
      `p99 ${ratio(p(floor, 99) / p(direct, 99))}; before the upstream call p50 app ${ms(p(s.beforeUpstreamMs.app, 50))}, ` +
      `floor ${ms(p(s.beforeUpstreamMs.floor, 50))}`
    );
  };
  const long = (s: StreamResult) => {
    const direct = p(s.longMs.direct, 50);
    return (
      `${ratio(p(s.longMs.app, 50) / direct, 1)}× (${ms(p(s.longMs.app, 50))} vs ${ms(direct)}, ` +
      `${count(s.longEvents.app)} events); floor route ${ratio(p(s.longMs.floor, 50) / direct, 1)}× ` +
      `(${count(s.longEvents.floor)} events)`
    );
  };
  const crowd = (s: StreamResult, size: number) => {
    const wave = s.crowds.find((c) => c.count === size);
    const aloneTtft = s.alone.firstTokenMs ?? Number.NaN;
    if (!wave) return null;
    const ttfts = finite(wave.firstTokenMs);
    return (
      `${wave.errors} errors; added TTFT p50 ${signed(p(ttfts, 50) - aloneTtft)}, p99 ${signed(p(ttfts, 99) - aloneTtft)}; ` +
      `total ${ratio(wave.totalMs / s.alone.totalMs)}× alone (${(wave.totalMs / 1000).toFixed(1)} vs ` +
      `${(s.alone.totalMs / 1000).toFixed(1)} s)` +
      (wave.floor && s.floorAlone
        ? `; floor route: added TTFT p50 ${signed(p(wave.floor.firstTokenMs, 50) - s.floorAlone.firstTokenMs)}, ` +
          `p99 ${signed(p(wave.floor.firstTokenMs, 99) - s.floorAlone.firstTokenMs)}, ` +
          `total ${ratio(wave.floor.totalMs / s.floorAlone.totalMs)}× alone`
        : "")
    );
  };
  return [
    {
      bench: "stream",
      figure: "Time to first token through the app ÷ direct to upstream (upstream TTFT 300 ms)",
      target: "p50 ≤ 1.05, p99 ≤ 1.15",
      cell: (r) => (r.stream ? ttft(r.stream) : null),
    },
    {
      bench: "stream",
      figure: "4,000-chunk reply, no delay: through the app ÷ direct",
      target: "≤ 3×",
      cell: (r) => (r.stream ? long(r.stream) : null),
    },
    {
      bench: "stream",
      figure: "Streamed chunks per second one server sustains (20 such replies at once)",
      target: "≥ 20k/s",
      cell: (r) =>
        r.stream
          ? `${count(r.stream.chunksPerSecond.app)}/s (${r.stream.chunksPerSecond.appFailed} failed); floor route ` +
            `${count(r.stream.chunksPerSecond.floor)}/s; direct ${count(r.stream.chunksPerSecond.direct)}/s`
          : null,
    },
    {
      bench: "stream",
      figure: "100 concurrent chats, 500 chunks at 50 chunks/s, 20 users",
      target: "added p99 TTFT ≤ 250 ms; total ≤ 1.1× alone",
      cell: (r) => (r.stream ? crowd(r.stream, 100) : null),
    },
    {
      bench: "stream",
      figure: "200 concurrent chats, as above",
      target: "added p99 TTFT ≤ 500 ms; total ≤ 1.2× alone",
      cell: (r) => (r.stream ? crowd(r.stream, 200) : null),
    },
  ];
}

function pageRows(): Row[] {
  return [
    {
      bench: "page",
      figure: "Open a 1,000-message conversation (server, to the last byte)",
      target: "p50 ≤ 150 ms",
      cell: ({ page }) =>
        page
          ? `p50 ${ms(p(page.pageMs, 50))}, p99 ${ms(p(page.pageMs, 99))}; HTML ${kib(page.htmlBytes)}, ` +
            `${page.rendered} messages rendered` +
            (page.olderMs ? `; an older page p50 ${ms(p(page.olderMs, 50))}` : "")
          : null,
    },
    {
      bench: "usage",
      figure: "`/usage` for a user with 250,000 ledger entries this month (server)",
      target: "p50 ≤ 150 ms",
      cell: ({ usage }) =>
        usage
          ? `p50 ${ms(p(usage.usageMs, 50))}, p99 ${ms(p(usage.usageMs, 99))} (${count(usage.entriesThisMonth)} entries this month)`
          : null,
    },
    {
      bench: "chat-page",
      figure: "Chat page `/` for a user with 10,000 conversations (server, added to a new user's)",
      target: "p50 ≤ 15 ms, p99 ≤ 30 ms",
      cell: ({ chatPage }) =>
        chatPage
          ? `p50 ${signed(p(chatPage.largeMs, 50) - p(chatPage.freshMs, 50))}, ` +
            `p99 ${signed(p(chatPage.largeMs, 99) - p(chatPage.freshMs, 99))} ` +
            `(${ms(p(chatPage.largeMs, 50))} vs ${ms(p(chatPage.freshMs, 50))}; ${count(chatPage.conversations)} conversations)`
          : null,
    },
  ];
}

function browserRows(run: BenchRun): { figure: string; target: string; value: string }[] {
  const { typing, js, errors } = run.browser;
  const failed = (name: string) => (errors[name] ? `failed: ${errors[name]}` : "not run");
  return [
    {
      figure: `Longest main-thread task while typing in a ${typing?.messages ?? 300}-message conversation`,
      target: "≤ 16 ms",
      value: typing
        ? `${ms(typing.longestTaskMs)} with all ${count(typing.shown)} messages loaded, ${ms(typing.asOpened.longestTaskMs)} ` +
          `as opened (${count(typing.asOpened.shown)}); ${ms(typing.mainMs / typing.keys)} of main-thread work per ` +
          `keystroke (${typing.keys} keys)`
        : failed("typing"),
    },
    {
      figure: "JavaScript the chat page loads (gzip as sent, until the load event)",
      target: "≤ 150 KiB; tokenizer data ≤ 300 KiB or fetched before the user types",
      value: js
        ? `${kib(js.gzipBytes["/"] ?? Number.NaN)}; the first keystroke fetches ${kib(js.gzipBytes["first keystroke"] ?? 0)}`
        : failed("js"),
    },
    {
      figure: "JavaScript `/usage` loads (gzip)",
      target: "≤ 180 KiB",
      value: js ? kib(js.gzipBytes["/usage"] ?? Number.NaN) : failed("js"),
    },
  ];
}

const loads = (average: number[]) => average.map((load) => load.toFixed(2)).join(", ");
const cellText = (text: string) => text.replace(/\|/g, "\\|");

/** A Markdown table with its columns padded to one width, as the formatter (Biome) writes them. */
function alignedTable(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows].map((row) => row.map(cellText));
  const widths = header.map((_, column) => Math.max(3, ...all.map((row) => row[column]?.length ?? 0)));
  const line = (row: string[]) => `| ${widths.map((width, column) => (row[column] ?? "").padEnd(width)).join(" | ")} |`;
  const [head = [], ...body] = all;
  return [line(head), `| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`, ...body.map(line)];
}

/** BENCHMARKS.md for one run. */
export function benchmarksMarkdown(run: BenchRun): string {
  const kinds = Object.keys(run.databases);
  const names: Record<string, string> = { sqlite: "SQLite (embedded)", postgresql: "PostgreSQL" };
  const { machine, seed } = run;
  const lines = [
    "# Benchmarks",
    "",
    `Written by \`npm run bench${run.quick ? " -- --quick" : ""}\` (scripts/bench.ts) on ${run.date}, commit \`${run.commit}\`;` +
      " every figure below was measured in that one run. Figures depend on the machine and on what else it runs:" +
      " compare the ratios, and the same figure across runs on one machine. See docs/performance.md.",
    "",
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${(machine.ramBytes / 2 ** 30).toFixed(1)} GiB RAM; load` +
      ` average (1, 5, 15 min) ${loads(machine.loadAverage)} at the start, ${loads(machine.loadAverageEnd)} at the end;` +
      ` Node ${machine.node}`,
    `- Large user${run.quick ? " (--quick: a tenth of the issue's sizes)" : ""}: ${count(seed.conversations)} conversations,` +
      ` ${count(seed.messages)} messages, ${count(seed.entries)} ledger entries (half this month); seeded in ` +
      Object.entries(seed.seededMs)
        .map(([kind, time]) => `${(time / 1000).toFixed(0)} s (${names[kind] ?? kind})`)
        .join(", "),
    `- The whole command took ${(run.durationMs / 60_000).toFixed(1)} min: ` +
      run.steps.map((step) => `${step.name} ${(step.ms / 1000).toFixed(0)} s`).join(", "),
    "",
  ];
  const rows: string[][] = [];
  for (const row of [...streamRows(), ...pageRows()]) {
    const cells = kinds.map((kind) => {
      const results = run.databases[kind] ?? { errors: {} };
      const error = results.errors[row.bench];
      return row.cell(results) ?? (error ? `failed: ${error}` : "not run");
    });
    rows.push([row.figure, row.target, ...cells]);
  }
  for (const row of browserRows(run)) {
    // The browser's figures do not depend on the database: one value, across the columns.
    rows.push([row.figure, row.target, row.value, ...kinds.slice(1).map(() => "″")]);
  }
  lines.push(
    ...alignedTable(["Figure", "Target", ...kinds.map((kind) => names[kind] ?? kind)], rows),
    "",
    "The stream figures: 20 sequential chats for time to first token, the median of 5 long replies, 20 replies at once" +
      " for chunks per second, then the waves of 100 and 200 chats (added TTFT: each chat's beside one chat alone)." +
      " The page figures: 20 (conversation, usage) or 40 (chat page, in turns with a new user) requests after warm-up." +
      " The browser's: Chromium on a fresh SQLite database.",
    "",
  );
  return lines.join("\n");
}
