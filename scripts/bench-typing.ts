// `npm run bench:typing`: what typing in the composer costs the browser's main thread beside a long conversation (300
// messages of a few thousand characters of Markdown), in Chromium against the production build (`npm run build`
// first), a fresh SQLite database and the fake upstream. A benchmark, not a test: it prints figures.
//
// Measured twice: as the conversation opens (its latest page, 50 messages), and again once the reader has loaded every
// older page ("Load older messages", as scrolling to the top does) so that all of them are in the page: the worst case.
// Keys are typed at a brisk human pace (--delay ms apart, above the estimate's debounce), so each one also runs the
// composer's token estimate (the worker's answer and the meter's re-render are inside the measured time).
//
//   longest task  the longest task on the renderer's main thread while typing (Chrome's trace, "RunTask"); the three
//                 longest, each with its three longest inner events (ms)
//   main thread   renderer task time per keystroke (Chrome's TaskDuration metric: script, style, layout, paint)
//   worker        the token worker's busy time per keystroke (its own thread; the main thread never waits for it)
//   long tasks    main-thread tasks over 50 ms while typing (PerformanceObserver "longtask")
//
//   npm run bench:typing -- --messages 300 --keys 20 --delay 160 [--json FILE: the figures, for scripts/bench.ts]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Browser, chromium, type Page } from "@playwright/test";
import { startApp, UNLIMITED_RATES } from "../e2e/app-server";
import { startFakeOpenAI } from "../e2e/fake-openai/server";
import { writeJson } from "./bench-app";

const { values } = parseArgs({
  options: {
    messages: { type: "string", default: "300" },
    keys: { type: "string", default: "20" },
    delay: { type: "string", default: "160" },
    json: { type: "string" },
  },
});
const MESSAGES = Number(values.messages);
const KEYS = Number(values.keys);
const DELAY_MS = Number(values.delay);

/** About 2,500 characters of Markdown: headings, emphasis, lists, a table and code, as replies have them. */
function longReply(turn: number): string {
  const paragraph =
    "The ledger keeps one entry per upstream call, with the tokens, the cost in micro-USD and a copy of the price, " +
    "so that history never changes when prices do. ";
  return [
    `## Part ${turn}`,
    `${paragraph.repeat(3)}**Reservations** hold the _worst case_ until the reply settles; \`settleReservation\` ends them.`,
    "- the prompt, counted with the model's tokenizer\n- up to 4,096 output tokens\n  - at the output price",
    "| model | input | output |\n| --- | --- | --- |\n| gpt-5-mini | $0.25 | $2.00 |\n| gpt-4o | $2.50 | $10.00 |",
    "```ts\nconst total = entries.reduce((sum, entry) => sum + entry.costMicros, 0n);\n```",
    paragraph.repeat(6),
  ].join("\n\n");
}

type Cdp = Awaited<ReturnType<ReturnType<Page["context"]>["newCDPSession"]>>;

type TraceEvent = {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string; data?: { functionName?: string; url?: string; type?: string } };
};

type Task = { ms: number; what: string };

/** How long after the last key its estimate may still be working: the debounce, the worker's count, the render. */
const SETTLE_MS = 800;

/**
 * The main thread's tasks in a Chrome trace that start from the task handling the first key to SETTLE_MS after the
 * last key, and the workers' busy time (their events merged where they nest or overlap), in ms. The window leaves out
 * the harness's own work: the first DevTools command after tracing starts runs on the page's main thread as a task of
 * 13–29 ms ("Receive mojo message", nothing inside; it shows the same with no key typed at all), and so does reading
 * the metrics at the end.
 */
function tasksOf(trace: Buffer): { main: Task[]; workerMs: number } {
  const { traceEvents } = JSON.parse(trace.toString("utf8")) as { traceEvents: TraceEvent[] };
  const threads = new Map<string, string>();
  for (const event of traceEvents) {
    if (event.ph === "M" && event.name === "thread_name") {
      threads.set(`${event.pid}:${event.tid}`, event.args?.name ?? "");
    }
  }
  const keys = traceEvents
    .filter((event) => event.name === "EventDispatch" && event.args?.data?.type === "keydown")
    .map((event) => event.ts);
  if (keys.length === 0) throw new Error("the trace has no keydown: the keys were not typed");
  const firstKey = Math.min(...keys);
  const isMainTask = (event: TraceEvent) =>
    event.name === "ThreadControllerImpl::RunTask" && threads.get(`${event.pid}:${event.tid}`) === "CrRendererMain";
  // From the task that handles the first key (a task running when it came was not the key's doing).
  const from = Math.max(
    firstKey,
    ...traceEvents
      .filter((event) => isMainTask(event) && event.ts <= firstKey && event.ts + (event.dur ?? 0) >= firstKey)
      .map((event) => event.ts),
  );
  const to = Math.max(...keys) + SETTLE_MS * 1000;
  const runs: TraceEvent[] = [];
  const inside: TraceEvent[] = [];
  const worker: { start: number; end: number }[] = [];
  for (const event of traceEvents) {
    if (event.ph !== "X" || event.dur === undefined) continue;
    if (event.ts < from || event.ts > to) continue;
    const thread = threads.get(`${event.pid}:${event.tid}`) ?? "";
    if (thread === "CrRendererMain") (event.name === "ThreadControllerImpl::RunTask" ? runs : inside).push(event);
    else if (thread.startsWith("DedicatedWorker")) worker.push({ start: event.ts, end: event.ts + event.dur });
  }
  // What a task spent its time on: its three longest inner events (a function called, an event, layout, paint…).
  const what = (run: TraceEvent) =>
    inside
      .filter((event) => event.pid === run.pid && event.ts >= run.ts && event.ts < run.ts + (run.dur ?? 0))
      .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
      .slice(0, 3)
      .map((event) => {
        const data = event.args?.data;
        const detail = data?.type ?? data?.functionName ?? data?.url?.split("/").at(-1) ?? "";
        return `${event.name}${detail ? ` ${detail}` : ""} ${((event.dur ?? 0) / 1000).toFixed(1)}`;
      })
      .join(", ");
  const main = runs.map((run) => ({ ms: (run.dur ?? 0) / 1000, what: what(run) }));
  let workerMs = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const span of worker.sort((a, b) => a.start - b.start)) {
    if (span.end <= end) continue;
    workerMs += (span.end - Math.max(span.start, end)) / 1000;
    end = span.end;
  }
  return { main, workerMs };
}

/** Types KEYS characters into the composer and prints what it cost; the composer is emptied afterwards. */
async function measureTyping({ browser, page, cdp, label }: { browser: Browser; page: Page; cdp: Cdp; label: string }) {
  const composer = page.getByRole("textbox", { name: "Message" });
  const shown = await page.locator("[data-message-id]").count();
  const chars = await page.evaluate(() =>
    [...document.querySelectorAll("[data-role]")].reduce((sum, element) => sum + (element.textContent?.length ?? 0), 0),
  );
  await composer.focus();
  // Let the page settle (hydration, Markdown, the tokenizer loaded on idle) before measuring.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 3_000)));
  await page.evaluate(() => {
    (window as unknown as { longTasks: number[] }).longTasks.length = 0;
  });
  const taskSeconds = async () => {
    const { metrics } = await cdp.send("Performance.getMetrics");
    return metrics.find((metric) => metric.name === "TaskDuration")?.value ?? Number.NaN;
  };

  const text = "how much did that cost?".repeat(5).slice(0, KEYS);
  await browser.startTracing(page, { categories: ["toplevel", "devtools.timeline"] });
  const before = await taskSeconds();
  await page.keyboard.type(text, { delay: DELAY_MS });
  // The last key's estimate: the debounce, the worker's count, the meter's re-render. Waited for here, without a
  // DevTools command: the first one after tracing starts is a task of its own on the page's main thread (13–29 ms).
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const mainMs = ((await taskSeconds()) - before) * 1000;
  const { main, workerMs } = tasksOf(await browser.stopTracing());
  const typed = await composer.inputValue();
  if (typed !== text) throw new Error(`the composer holds "${typed}", not the ${KEYS} keys typed`);
  const longest = [...main].sort((a, b) => b.ms - a.ms).slice(0, 3);
  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  const estimate =
    (await page
      .getByRole("complementary", { name: "Cost meter" })
      .getByRole("region", { name: "Next message" })
      .textContent()) ?? "";

  console.log(
    `${label}: ${shown} messages in the page (${chars.toLocaleString("en-US")} characters), ${KEYS} keystrokes ` +
      `${DELAY_MS} ms apart:\n` +
      `  longest task  ${longest[0]?.ms.toFixed(1) ?? 0} ms on the main thread (${main.filter((task) => task.ms > 16).length} over 16 ms)\n` +
      longest.map((task) => `                ${task.ms.toFixed(1)} ms: ${task.what}\n`).join("") +
      `  main thread   ${(mainMs / KEYS).toFixed(1)} ms per keystroke\n` +
      `  worker        ${(workerMs / KEYS).toFixed(1)} ms per keystroke (the token worker's own thread)\n` +
      `  long tasks    ${longTasks.length}, longest ${Math.max(0, ...longTasks).toFixed(0)} ms\n` +
      `  estimate      ${estimate.replace(/\s+/g, " ").trim()}`,
  );
  await composer.fill("");
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
  return { shown, longestTaskMs: longest[0]?.ms ?? 0, mainMs, longTasksMs: longTasks };
}

async function main() {
  const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chatledger-bench-typing-"));
  const fake = await startFakeOpenAI({ port: 0 });
  const app = await startApp({
    name: "bench-typing",
    databaseUrl: `file:${path.join(dir, "app.db")}`,
    upstreamUrl: fake.url,
    // It seeds 150 turns in a few seconds, past a person's per-minute chat limit (RATE_LIMIT_CHAT).
    env: UNLIMITED_RATES,
  });
  const browser = await chromium.launch({
    executablePath: fs.existsSync(chromiumPath) ? chromiumPath : undefined,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  try {
    const page = await browser.newPage({ baseURL: app.url, viewport: { width: 1280, height: 720 } });
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill("bench@example.test");
    await page.getByLabel("Password").fill("bench typing 42");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("textbox", { name: "Message" }).waitFor();

    const conversationId = crypto.randomUUID();
    for (let turn = 0; turn < MESSAGES / 2; turn++) {
      // The user's message carries the reply's text too: both are long.
      const response = await page.request.post("/api/chat", {
        data: { conversationId, model: "gpt-5-mini", text: `[[reply:${longReply(turn)}]]` },
        timeout: 120_000,
      });
      if (!response.ok()) throw new Error(`seeding turn ${turn}: ${response.status()} ${await response.text()}`);
      await response.text();
    }

    await page.goto(`/c/${conversationId}`, { timeout: 120_000 });
    await page.getByRole("textbox", { name: "Message" }).waitFor();
    await page.evaluate(() => {
      const tasks: number[] = [];
      (window as unknown as { longTasks: number[] }).longTasks = tasks;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) tasks.push(entry.duration);
      }).observe({ type: "longtask" });
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const measure = (label: string) => measureTyping({ browser, page, cdp, label });

    // As opened: the latest page.
    await page.getByRole("region", { name: "Token usage" }).last().waitFor({ timeout: 120_000 });
    const asOpened = await measure("as opened");

    // The reader scrolls to the top until every older page is loaded: all the messages are in the page.
    const older = page.getByRole("button", { name: "Load older messages" });
    while ((await older.count()) > 0) {
      await older.click();
      await page
        .getByRole("button", { name: "Loading older messages…" })
        .waitFor({ state: "detached", timeout: 120_000 });
    }
    await page
      .locator('article[data-role="assistant"]')
      .nth(MESSAGES / 2 - 1)
      .waitFor({ state: "attached", timeout: 120_000 });
    const allLoaded = await measure("all loaded");
    writeJson(values.json, { bench: "typing", messages: MESSAGES, keys: KEYS, ...allLoaded, asOpened });
  } finally {
    await browser.close();
    await app.stop();
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
