// `npm run bench:js`: how much JavaScript the browser downloads, on the production build (`npm run build` first;
// build with BROWSER_SOURCE_MAPS=1 to see which modules fill each chunk), a fresh SQLite database and the fake
// upstream, signed in, in Chromium. A benchmark, not a test: it prints figures.
//
//   page JS     every script the page fetched until the load event and the network went idle (idle prefetches
//               included, named apart): gzip as sent (`next start` compresses), and gzip -9 of each body as a check
//   keystroke   what the first keystroke in the composer then fetches (the token counter's worker and ranks)
//   chunks      the biggest chunks of each page, and the packages and files that fill them (from the source maps)
//
//   npm run bench:js -- --top 8 [--json FILE: each page's bytes, for scripts/bench.ts]
//                               [--modules FILE: each page's first-load source files, ≈ gzip bytes each]
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { type BrowserContext, chromium, type Page, type Response } from "@playwright/test";
import { createUser, runBench, withBenchApp, writeJson } from "./bench-app";

const { values } = parseArgs({
  options: { top: { type: "string", default: "6" }, json: { type: "string" }, modules: { type: "string" } },
});
const TOP = Number(values.top);
const NEXT_DIR = path.resolve(__dirname, "..", ".next");

/** A reply as replies are: a heading, emphasis, a list, a table (no code or math: their loaders are lazy anyway). */
const REPLY = [
  "## Costs",
  "The ledger keeps **one entry per call**, with the tokens and the _cost in micro-USD_.",
  "- the prompt, counted with the model's tokenizer\n- the reply, at the output price",
  "| model | input | output |\n| --- | --- | --- |\n| gpt-5-mini | $0.25 | $2.00 |",
].join("\n\n");

type Phase = "first load" | "after load" | "worker";

type Script = {
  url: string;
  /** Bytes on the wire (the encoded body), as Chromium reports them. */
  transfer: number;
  /** The decoded body's length. */
  raw: number;
  /** gzip -9 of the body. */
  gzip9: number;
  encoding: string;
  /** Requested before the page's load event, after it (lazy chunks, idle prefetches), or by a Web Worker. */
  phase: Phase;
};

/** Records every script response of `context` (pages and their workers) while `during` runs. */
async function scriptsFetched(context: BrowserContext, during: () => Promise<void>): Promise<Script[]> {
  const pending: Promise<Script | null>[] = [];
  const onResponse = (response: Response) => pending.push(describeScript(response));
  context.on("response", onResponse);
  try {
    await during();
  } finally {
    context.off("response", onResponse);
  }
  return (await Promise.all(pending)).filter((script): script is Script => script !== null);
}

async function describeScript(response: Response): Promise<Script | null> {
  const request = response.request();
  const url = new URL(response.url());
  if ((request.resourceType() !== "script" && !/\.m?js$/.test(url.pathname)) || response.status() !== 200) return null;
  const body = await response.body().catch(() => null);
  if (!body) return null;
  const sizes = await request.sizes().catch(() => null);
  return {
    url: url.pathname,
    // 0 (or a few bytes less) when the worker got it from the cache its page had just filled.
    transfer: Math.max(0, sizes?.responseBodySize ?? body.length),
    raw: body.length,
    gzip9: gzipSync(body, { level: 9 }).length,
    encoding: (await response.headerValue("content-encoding")) ?? "none",
    phase: "after load",
  };
}

/**
 * Sets each script's phase from the browser's own resource timing: the page's entries (matched in order, as the same
 * URL may be fetched by the page and again by a worker) against its load event, and the workers' entries.
 */
async function classify(page: Page, scripts: Script[]): Promise<void> {
  const timeline = await page.evaluate(() => {
    const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
    return {
      loadEventStart: navigation?.loadEventStart ?? Number.POSITIVE_INFINITY,
      entries: performance
        .getEntriesByType("resource")
        .map((entry) => ({ url: new URL(entry.name).pathname, start: entry.startTime })),
    };
  });
  const workerUrls = new Set<string>();
  for (const worker of page.workers()) {
    workerUrls.add(new URL(worker.url()).pathname);
    const urls = await worker.evaluate(() =>
      performance.getEntriesByType("resource").map((entry) => new URL(entry.name).pathname),
    );
    for (const url of urls) workerUrls.add(url);
  }
  const pageStarts = new Map<string, number[]>();
  for (const { url, start } of timeline.entries) pageStarts.set(url, [...(pageStarts.get(url) ?? []), start]);
  for (const script of scripts) {
    const start = pageStarts.get(script.url)?.shift();
    if (start !== undefined) script.phase = start < timeline.loadEventStart ? "first load" : "after load";
    else if (workerUrls.has(script.url)) script.phase = "worker";
  }
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);
const sum = (scripts: Script[], field: "transfer" | "raw" | "gzip9") =>
  scripts.reduce((total, script) => total + script[field], 0);

/** Raw (minified) bytes per source file of a chunk, from its source map; null without one. */
function bytesBySource(chunkPath: string): Map<string, number> | null {
  const file = path.join(NEXT_DIR, chunkPath.replace(/^\/_next\//, ""));
  if (!fs.existsSync(file)) return null;
  const text = fs.readFileSync(file, "utf8");
  // Turbopack names a chunk's map after its content, not after the chunk: the comment at its end says which.
  const mapName = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
  const mapFile = mapName ? path.join(path.dirname(file), mapName) : `${file}.map`;
  if (!fs.existsSync(mapFile)) return null;
  const map = JSON.parse(fs.readFileSync(mapFile, "utf8")) as {
    sources?: string[];
    mappings?: string;
    sections?: { offset: { line: number; column: number }; map: { sources: string[]; mappings: string } }[];
  };
  const lines = text.split("\n");
  const bytes = new Map<string, number>();
  const sections = map.sections ?? [
    { offset: { line: 0, column: 0 }, map: { sources: map.sources ?? [], mappings: map.mappings ?? "" } },
  ];
  // Sections are in order: each one covers the generated text up to the next one's offset.
  const ends = sections.map((_, index) => sections[index + 1]?.offset ?? { line: lines.length, column: 0 });
  sections.forEach((section, index) => {
    const end = ends[index] ?? { line: lines.length, column: 0 };
    attribute(section.map, section.offset, end, lines, bytes);
  });
  return bytes;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** Adds each mapped span's length (up to the next mapping, or the line's or the section's end) to its source. */
function attribute(
  map: { sources: string[]; mappings: string },
  offset: { line: number; column: number },
  end: { line: number; column: number },
  lines: string[],
  bytes: Map<string, number>,
) {
  let source = 0;
  map.mappings.split(";").forEach((lineMappings, index) => {
    const line = offset.line + index;
    if (line > end.line) return;
    const text = lines[line] ?? "";
    const lineEnd = line === end.line ? end.column : text.length + 1;
    let column = index === 0 ? offset.column : 0;
    const segments = lineMappings ? lineMappings.split(",").map(decodeVlq) : [];
    const starts: { column: number; source: number | null }[] = [];
    for (const fields of segments) {
      column += fields[0] ?? 0;
      if (fields.length >= 4) {
        source += fields[1] ?? 0;
        starts.push({ column, source });
      } else {
        starts.push({ column, source: null });
      }
    }
    starts.forEach((start, i) => {
      if (start.source === null) return;
      const stop = Math.min(starts[i + 1]?.column ?? lineEnd, lineEnd);
      const name = map.sources[start.source] ?? "?";
      bytes.set(name, (bytes.get(name) ?? 0) + Math.max(0, stop - start.column));
    });
  });
}

/** A package for anything under node_modules, else the project's file. */
function owner(source: string): string {
  const clean = decodeURIComponent(source)
    .replace(/^turbopack:\/\/\/?/, "")
    .replace(/^\[project\]\//, "");
  const at = clean.lastIndexOf("node_modules/");
  if (at === -1) return clean.replace(/\?.*$/, "");
  const [first = "", second = "", third = "", fourth = ""] = clean.slice(at + "node_modules/".length).split("/");
  // Next ships React, React DOM and its other dependencies precompiled inside itself.
  if (first === "next" && second === "dist" && third === "compiled") return `${fourth} (in next)`;
  return first.startsWith("@") ? `${first}/${second}` : first;
}

/** Where a script's gzip bytes come from, shared out by each owner's (or, `bySourceFile`, file's) share of the raw bytes. */
function owners(script: Script, bySourceFile = false): Map<string, number> | null {
  const bySource = bytesBySource(script.url);
  if (!bySource) return null;
  const mapped = [...bySource.values()].reduce((a, b) => a + b, 0);
  const result = new Map<string, number>();
  if (mapped === 0) return result;
  for (const [source, bytes] of bySource) {
    const name = bySourceFile
      ? decodeURIComponent(source).replace(/^turbopack:\/\/\/?(\[project\]\/)?/, "")
      : owner(source);
    result.set(name, (result.get(name) ?? 0) + (bytes / mapped) * script.transfer);
  }
  return result;
}

/** For --modules: each page's first-load source files, ≈ gzip bytes each, largest first. */
const modulesByPage: Record<string, Record<string, number>> = {};

function top(entries: Map<string, number>, count: number): string {
  return [...entries]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => `${name} ${kib(bytes)}`)
    .join(", ");
}

/** Prints where a page's JavaScript comes from; returns its gzip bytes as sent until the load event. */
function report(label: string, scripts: Script[]): number {
  const inPhase = (phase: Phase) => scripts.filter((script) => script.phase === phase);
  const first = inPhase("first load");
  const encodings = [...new Set(first.map((script) => script.encoding))].join("/");
  console.log(
    `\n${label}: ${kib(sum(first, "transfer"))} KiB gzip as sent until the load event (${kib(sum(first, "gzip9"))} KiB ` +
      `gzip -9, ${kib(sum(first, "raw"))} KiB raw) in ${first.length} scripts; encoding ${encodings}`,
  );
  for (const phase of ["after load", "worker"] as const) {
    const later = inPhase(phase);
    if (later.length === 0) continue;
    const what =
      phase === "worker" ? "then by the token worker" : "then after the load event (lazy chunks, idle prefetch)";
    console.log(
      `  + ${what}: ${kib(sum(later, "transfer"))} KiB gzip (${kib(sum(later, "gzip9"))} KiB gzip -9) in ${later.length} scripts`,
    );
  }
  const byOwner = new Map<string, number>();
  let hasMaps = false;
  for (const script of [...scripts].sort((a, b) => b.transfer - a.transfer).slice(0, TOP)) {
    const shares = owners(script);
    hasMaps ||= shares !== null;
    const where = script.phase === "first load" ? "" : ` (${script.phase})`;
    console.log(
      `  ${kib(script.transfer).padStart(6)} KiB  ${script.url}${where}${shares ? `  ← ${top(shares, 4)}` : ""}`,
    );
  }
  for (const script of first) {
    for (const [name, bytes] of owners(script) ?? []) byOwner.set(name, (byOwner.get(name) ?? 0) + bytes);
  }
  if (hasMaps) console.log(`  first load by package or file (≈ KiB gzip): ${top(byOwner, Math.max(12, TOP))}`);
  if (values.modules) {
    const files = new Map<string, number>();
    for (const script of first) {
      for (const [name, bytes] of owners(script, true) ?? []) files.set(name, (files.get(name) ?? 0) + bytes);
    }
    modulesByPage[label] = Object.fromEntries(
      [...files].sort((a, b) => b[1] - a[1]).map(([name, bytes]) => [name, Math.round(bytes)]),
    );
    fs.writeFileSync(values.modules, JSON.stringify(modulesByPage, null, 1));
  }
  return sum(first, "transfer");
}

async function visit(context: BrowserContext, page: Page, url: string): Promise<Script[]> {
  const scripts = await scriptsFetched(context, async () => {
    await page.goto(url, { waitUntil: "load" });
    await page.waitForLoadState("networkidle");
    // An idle callback's prefetch starts after the first quiet moment: give it one, then wait for quiet again.
    await page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => setTimeout(resolve, 500))));
    await page.waitForLoadState("networkidle");
  });
  await classify(page, scripts);
  return scripts;
}

async function main() {
  const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  const buildId = fs.readFileSync(path.join(NEXT_DIR, "BUILD_ID"), "utf8").trim();
  const maps = fs.readdirSync(path.join(NEXT_DIR, "static", "chunks")).filter((name) => name.endsWith(".map"));
  console.log(
    `build ${buildId}; ${maps.length > 0 ? "with source maps" : "no source maps (BROWSER_SOURCE_MAPS=1 npm run build for module shares)"}`,
  );
  await withBenchApp({ kind: "sqlite", name: "bench-js" }, async ({ app, db }) => {
    const user = await createUser(app.url, db, null);
    const conversationId = crypto.randomUUID();
    const seeded = await fetch(`${app.url}/api/chat`, {
      method: "POST",
      headers: { cookie: user.cookie, "content-type": "application/json" },
      body: JSON.stringify({ conversationId, model: "gpt-5-mini", text: `What does it cost? [[reply:${REPLY}]]` }),
    });
    if (!seeded.ok) throw new Error(`seeding the conversation: ${seeded.status} ${await seeded.text()}`);
    await seeded.text();

    const browser = await chromium.launch({
      executablePath: fs.existsSync(chromiumPath) ? chromiumPath : undefined,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    });
    const bytes: Record<string, number> = {};
    try {
      const cookies = user.cookie.split("; ").map((pair) => {
        const [name = "", ...value] = pair.split("=");
        return { name, value: value.join("="), url: app.url };
      });
      // A fresh context per page: nothing cached from the page before.
      const fresh = async () => {
        const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
        await context.addCookies(cookies);
        return { context, page: await context.newPage() };
      };

      {
        const { context, page } = await fresh();
        bytes["/"] = report("chat page /", await visit(context, page, `${app.url}/`));
        const composer = page.getByRole("textbox", { name: "Message" });
        await composer.focus();
        const started = performance.now();
        const fetched = await scriptsFetched(context, async () => {
          await page.keyboard.type("h");
          await page.waitForFunction(() => /\d prompt tokens/.test(document.body.textContent ?? ""), null, {
            timeout: 120_000,
          });
          await page.waitForLoadState("networkidle");
        });
        const shownMs = performance.now() - started;
        bytes["first keystroke"] = sum(fetched, "transfer");
        console.log(
          `\nfirst keystroke on /: ${kib(sum(fetched, "transfer"))} KiB gzip fetched in ${fetched.length} scripts` +
            `${fetched.map((s) => `\n  ${kib(s.transfer).padStart(6)} KiB  ${s.url}  ← ${top(owners(s) ?? new Map(), 3)}`).join("")}` +
            `\n  the estimate showed ${shownMs.toFixed(0)} ms after the key`,
        );
        await context.close();
      }
      for (const [label, url] of [
        ["conversation page /c/[id]", `/c/${conversationId}`],
        ["usage page /usage", "/usage"],
      ] as const) {
        const { context, page } = await fresh();
        bytes[url.startsWith("/c/") ? "/c/[id]" : url] = report(label, await visit(context, page, `${app.url}${url}`));
        await context.close();
      }
    } finally {
      await browser.close();
    }
    writeJson(values.json, { bench: "js", gzipBytes: bytes });
  });
}

runBench(main);
