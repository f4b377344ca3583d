// The table `npm run bench` writes to BENCHMARKS.md, from made-up results: each figure computed from its distribution,
// a failed benchmark named in its cells, the machine and the run's facts in the header. No timing is measured here.
import { describe, expect, it } from "vitest";
import { type BenchRun, benchmarksMarkdown, type DatabaseResults, percentile } from "./bench-table";

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const sqlite: DatabaseResults = {
  errors: {},
  chatPage: { bench: "chat-page", conversations: 10_000, freshMs: range(1, 100), largeMs: range(11, 110) },
  page: { bench: "page", messages: 1000, pageMs: [100, 120, 140], htmlBytes: 160 * 1024, rendered: 50, olderMs: [30] },
  usage: { bench: "usage", entriesThisMonth: 250_000, usageMs: [80, 90, 100] },
  stream: {
    bench: "stream",
    ttftMs: { app: [330, 340], floor: [310, 320], direct: [300, 300] },
    beforeUpstreamMs: { app: [30, 40], floor: [10, 20] },
    longChunks: 4000,
    longMs: { app: [200], floor: [2000], direct: [100] },
    longEvents: { app: 7, floor: 4007 },
    concurrent: 20,
    chunksPerSecond: { app: 12_345.6, floor: 1_000, direct: 20_000, appFailed: 0 },
    alone: { firstTokenMs: 100, totalMs: 10_000 },
    floorAlone: { firstTokenMs: 90, totalMs: 10_000 },
    crowds: [
      {
        count: 100,
        errors: 0,
        firstTokenMs: [150, 350],
        totalMs: 11_000,
        beforeCallMs: [5],
        floor: { firstTokenMs: [1_090, 2_090], totalMs: 30_000 },
      },
      { count: 200, errors: 2, firstTokenMs: [200, null], totalMs: 15_000, beforeCallMs: [5] },
    ],
  },
};

const run: BenchRun = {
  date: "2026-12-03 03:00 UTC",
  commit: "abc123def456",
  machine: {
    cpu: "Test CPU",
    cores: 2,
    loadAverage: [1.5, 1, 0.5],
    loadAverageEnd: [2, 1.5, 1],
    ramBytes: 8 * 2 ** 30,
    node: "v20.0.0",
  },
  quick: false,
  seed: {
    conversations: 10_000,
    messages: 500_000,
    entries: 500_000,
    seededMs: { sqlite: 90_000, postgresql: 120_000 },
  },
  databases: {
    postgresql: { errors: { stream: "exit 1, see the output above" }, chatPage: sqlite.chatPage },
    sqlite,
  },
  browser: {
    errors: { js: "exit 1, see the output above" },
    typing: {
      bench: "typing",
      messages: 300,
      keys: 20,
      shown: 300,
      longestTaskMs: 14.2,
      mainMs: 200,
      longTasksMs: [],
      asOpened: { shown: 50, longestTaskMs: 12.5, mainMs: 180, longTasksMs: [] },
    },
  },
  durationMs: 12 * 60_000,
  steps: [{ name: "seed (sqlite)", ms: 90_000 }],
};

const rowOf = (markdown: string, start: string) => markdown.split("\n").find((line) => line.startsWith(`| ${start}`));

describe("benchmarksMarkdown", () => {
  const markdown = benchmarksMarkdown(run);

  it("heads the table with the machine, the date, the commit and the sizes", () => {
    expect(markdown).toContain("2026-12-03 03:00 UTC, commit `abc123def456`");
    expect(markdown).toContain(
      "Test CPU, 2 cores, 8.0 GiB RAM; load average (1, 5, 15 min) 1.50, 1.00, 0.50 at the start, 2.00, 1.50, 1.00 at the end",
    );
    expect(markdown).toContain("10,000 conversations, 500,000 messages, 500,000 ledger entries");
    expect(markdown).toContain("The whole command took 12.0 min");
    expect(markdown).toMatch(/\| Figure +\| Target +\| PostgreSQL +\| SQLite \(embedded\) +\|/);
  });

  it("computes each figure from its distribution", () => {
    // Every large-user request 10 ms slower than the new user's.
    expect(rowOf(markdown, "Chat page")).toContain("p50 +10 ms, p99 +10 ms (60 ms vs 50 ms; 10,000 conversations)");
    expect(rowOf(markdown, "Time to first token")).toContain("p50 1.10, p99 1.13");
    expect(rowOf(markdown, "4,000-chunk")).toContain("2.0× (200 ms vs 100 ms, 7 events); floor route 20.0×");
    expect(rowOf(markdown, "Streamed chunks")).toContain("12,346/s (0 failed)");
    expect(rowOf(markdown, "100 concurrent")).toContain(
      "0 errors; added TTFT p50 +50 ms, p99 +250 ms; total 1.10× alone",
    );
    expect(rowOf(markdown, "100 concurrent")).toContain(
      "floor route: added TTFT p50 +1,000 ms, p99 +2,000 ms, total 3.00× alone",
    );
    expect(rowOf(markdown, "Open a 1,000")).toContain("p50 120 ms, p99 140 ms; HTML 160.0 KiB, 50 messages rendered");
    expect(rowOf(markdown, "`/usage`")).toContain("p50 90 ms, p99 100 ms (250,000 entries this month)");
    expect(rowOf(markdown, "Longest main-thread task")).toContain(
      "14 ms with all 300 messages loaded, 13 ms as opened (50); 10 ms of main-thread work per keystroke",
    );
  });

  it("names a failed or missing benchmark in its cells instead of a figure", () => {
    expect(rowOf(markdown, "Time to first token")).toMatch(/\| failed: exit 1, see the output above +\|/);
    expect(rowOf(markdown, "Open a 1,000")).toMatch(/\| not run +\| p50 120 ms/);
    expect(rowOf(markdown, "JavaScript `/usage`")).toContain("failed: exit 1");
  });

  it("a chat that never got a first token counts as the slowest", () => {
    expect(rowOf(markdown, "200 concurrent")).toContain("2 errors; added TTFT p50 +100 ms, p99 +∞");
  });
});

describe("percentile", () => {
  it("is the nearest rank, NaN for no values", () => {
    expect(percentile(range(1, 100), 50)).toBe(50);
    expect(percentile(range(1, 100), 99)).toBe(99);
    expect(percentile([3, 1, 2], 100)).toBe(3);
    expect(percentile([], 50)).toBeNaN();
  });
});
