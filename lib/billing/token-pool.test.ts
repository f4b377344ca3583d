import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32, randomRun } from "@/test/random-text";
import { countTokensOffThread, createTokenPool, JOB_CHARS, jobParts, type TokenPool } from "./token-pool";
import { countTextTokens, type Encoding, loadTokenizer } from "./tokens";

const ENCODINGS: readonly Encoding[] = ["o200k_base", "cl100k_base"];

// Workers start and load encodings of megabytes: patient, for a machine busy with other builds.
const PATIENT = { timeout: 120_000 };

const EMOJI_RUN = "😀".repeat(32_000);
const CJK_RUN = randomRun(32_000, 0x4e00, 20_000, 1);

const TEXTS = {
  English: "The quick brown fox jumps over the lazy dog. Budgets are reserved before anything is spent.",
  Chinese: "人工智能正在改变世界。机器学习是人工智能的一个重要分支，它让计算机能够从数据中学习规律。",
  emoji: "Launch day 🚀🎉 — the team 👩‍💻👨‍💻 shipped it ✅🇫🇷",
  mixed: "Prix: 12,50 € · 价格：十二元 · `const x = 42;` 😀\n\n- item\t<|endoftext|>",
  empty: "",
  "a long emoji run": "😀".repeat(1_000),
  "a long CJK run": randomRun(1_000, 0x4e00, 20_000, 2),
  "a long ASCII run": "a".repeat(3_000),
};

/** How many times the event loop went round (setImmediate callbacks ran) while `work` was pending. */
async function eventLoopTurnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let isPending = true;
  const turn = () => {
    if (!isPending) return;
    turns += 1;
    setImmediate(turn);
  };
  setImmediate(turn);
  try {
    await work();
  } finally {
    isPending = false;
  }
  return turns;
}

const WORKER_URL = new URL("./token-worker.mjs", import.meta.url).href;

/** The real worker, made to crash (throw, or exit with code 3) when a job contains `marker`. */
function startCrashingWorker(marker: string, how: "throw" | "exit"): () => Worker {
  const source = `
    const { parentPort, workerData } = require("node:worker_threads");
    import(workerData.url).then(() => {
      parentPort.on("message", (job) => {
        if (!JSON.stringify(job).includes(workerData.marker)) return;
        if (workerData.how === "exit") process.exit(3);
        throw new Error("crashed on cue");
      });
    });
  `;
  return () => new Worker(source, { eval: true, workerData: { url: WORKER_URL, marker, how } });
}

beforeAll(async () => {
  await Promise.all(ENCODINGS.map((encoding) => loadTokenizer(encoding)));
}, PATIENT.timeout);

describe("countTokensOffThread", PATIENT, () => {
  it.each(ENCODINGS)("counts as countTextTokens does (%s)", async (encoding) => {
    const texts = Object.values(TEXTS);
    const counts = await countTokensOffThread({ texts, encoding });
    expect(counts).toEqual(texts.map((text) => countTextTokens(text, encoding)));
    expect(counts[0]).toBeGreaterThan(10);
  });

  it("counts the pathological runs of issue 7 as countTextTokens does", async () => {
    const texts = [EMOJI_RUN, CJK_RUN, "a".repeat(100_000)];
    const counts = await countTokensOffThread({ texts, encoding: "o200k_base" });
    expect(counts).toEqual(texts.map((text) => countTextTokens(text, "o200k_base")));
  });

  it("resolves an empty list of texts to an empty list", async () => {
    await expect(countTokensOffThread({ texts: [], encoding: "o200k_base" })).resolves.toEqual([]);
  });

  // The regression test for the freeze: counting must leave the event loop free (health checks, other users' streams).
  // It counts event loop turns, not time, so a slow machine cannot make it fail. The same check of the synchronous
  // countTextTokens finds 0 turns. The texts are counted nowhere else: from the worker's merge cache a count could
  // come back before the loop turns once.
  it.each([
    ["32,000 emoji", randomRun(32_000, 0x1f300, 0x300, 4)],
    ["32,000 CJK characters", randomRun(32_000, 0x4e00, 20_000, 5)],
  ])("leaves the event loop running while it counts %s", async (_, text) => {
    // Warm first, so the turns counted happen during the count itself, not while the worker starts.
    await countTokensOffThread({ texts: ["warm up"], encoding: "o200k_base" });
    let counts: number[] = [];
    const turns = await eventLoopTurnsDuring(async () => {
      counts = await countTokensOffThread({ texts: [text], encoding: "o200k_base" });
    });
    expect(turns).toBeGreaterThan(0);
    expect(counts).toEqual([countTextTokens(text, "o200k_base")]);
  });
});

describe("jobParts", () => {
  it("groups consecutive slices into jobs of about JOB_CHARS, never cutting a slice, losing nothing", () => {
    const slices = Array.from({ length: 100 }, (_, i) => "x".repeat(i % 7 === 0 ? JOB_CHARS + 5 : 256));
    const parts = jobParts(slices);
    expect(parts.flat()).toEqual(slices);
    for (const part of parts) {
      const length = part.reduce((sum, slice) => sum + slice.length, 0);
      expect(part.length === 1 || length <= JOB_CHARS).toBe(true);
    }
    expect(jobParts(["hello"])).toEqual([["hello"]]);
  });
});

describe("createTokenPool", PATIENT, () => {
  const pools: TokenPool[] = [];
  const poolOf = (options: Parameters<typeof createTokenPool>[0]) => {
    const pool = createTokenPool(options);
    pools.push(pool);
    return pool;
  };

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.close()));
  });

  it("resolves many concurrent counts, each with its own text's count, in any encoding", async () => {
    const pool = poolOf({ size: 2 });
    const random = mulberry32(3);
    const jobs = Array.from({ length: 60 }, (_, index) => {
      const encoding = ENCODINGS[index % 2] as Encoding;
      const texts = Array.from({ length: 1 + (index % 3) }, (_, part) =>
        part % 2 === 0
          ? `${"word ".repeat(Math.floor(random() * 50))}${index}`
          : randomRun(Math.floor(random() * 600), 0x4e00, 20_000, index * 10 + part),
      );
      return { encoding, texts };
    });
    const results = await Promise.all(jobs.map((job) => pool.countTokens(job)));
    results.forEach((counts, index) => {
      const job = jobs[index];
      expect(counts).toEqual(job?.texts.map((text) => countTextTokens(text, job.encoding)));
    });
  });

  it.each(["throw", "exit"] as const)(
    "rejects only the job of a worker that crashes (%s), and counts on with a new worker",
    async (how) => {
      const marker = `crash here (${how})`;
      const pool = poolOf({ size: 1, startWorker: startCrashingWorker(marker, how) });
      const before = pool.countTokens({ texts: ["before"], encoding: "o200k_base" });
      const crashing = pool.countTokens({ texts: [marker], encoding: "o200k_base" });
      const after = pool.countTokens({ texts: ["hello world", "你好，世界！"], encoding: "cl100k_base" });
      await expect(before).resolves.toEqual([1]);
      await expect(crashing).rejects.toThrow(how === "exit" ? /exited with code 3/ : /crashed on cue/);
      await expect(after).resolves.toEqual([2, 7]);
    },
  );

  it("rejects a job that fails inside the worker without losing the worker", async () => {
    const pool = poolOf({ size: 1 });
    await expect(pool.countTokens({ texts: ["x"], encoding: "p50k_base" as Encoding })).rejects.toThrow(
      /Unknown encoding "p50k_base"/,
    );
    await expect(pool.countTokens({ texts: ["hello world"], encoding: "o200k_base" })).resolves.toEqual([2]);
  });

  it("rejects what is pending or asked for once closed", async () => {
    const pool = createTokenPool({ size: 1 });
    const pending = expect(pool.countTokens({ texts: [CJK_RUN, "queued"], encoding: "o200k_base" })).rejects.toThrow(
      /closed/,
    );
    await pool.close();
    await pending;
    await expect(pool.countTokens({ texts: ["later"], encoding: "o200k_base" })).rejects.toThrow(/closed/);
  });

  it("counts an ordinary message before the rest of a long one queued earlier", async () => {
    const pool = poolOf({ size: 1 });
    await pool.countTokens({ texts: ["warm up"], encoding: "o200k_base" });
    const finished: string[] = [];
    const long = pool.countTokens({ texts: [CJK_RUN], encoding: "o200k_base" }).then((counts) => {
      finished.push("long");
      return counts;
    });
    const short = pool.countTokens({ texts: ["hello world"], encoding: "o200k_base" }).then((counts) => {
      finished.push("short");
      return counts;
    });
    expect(await Promise.all([long, short])).toEqual([[countTextTokens(CJK_RUN, "o200k_base")], [2]]);
    expect(finished).toEqual(["short", "long"]);
  });

  it("needs at least one worker", () => {
    expect(() => createTokenPool({ size: 0 })).toThrow(/at least one worker/);
  });
});
