import "server-only";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type Encoding, sliceLongRuns } from "./tokens";

// Token counts for the server, on a small pool of worker threads, so a long message never blocks the event loop
// (health checks, other users' streams). The counts are those of `countTextTokens` in tokens.ts: the text is cut by
// its `sliceLongRuns` here, and the worker sums gpt-tokenizer's counts of the slices.
//
// Hand-written rather than piscina or tinypool: those take the worker's file name at run time, and Turbopack bundles
// a worker_threads entry (and its imports) only when it sees `new Worker(new URL("./file", import.meta.url))` written
// literally, so with them the production build would ship no worker.

export type CountTokensInput = { texts: readonly string[]; encoding: Encoding };

export type TokenPool = {
  /** Each text's tokens (no chat framing), as `countTextTokens(text, encoding)` counts them. */
  countTokens(input: CountTokensInput): Promise<number[]>;
  /** Stops the workers; pending and later counts reject. */
  close(): Promise<void>;
};

type Job = {
  encoding: Encoding;
  slices: string[];
  resolve: (tokens: number) => void;
  reject: (error: Error) => void;
};

type Slot = { worker: Worker; job: Job | null };

type WorkerReply = { tokens: number } | { error: string };

/** The worker, in the one form Turbopack bundles. */
function startTokenWorker(): Worker {
  return new Worker(new URL("./token-worker.mjs", import.meta.url));
}

/**
 * A pool of at most `size` workers, started when there is work. A text is one job, or, when long, parts of about
 * JOB_CHARS queued behind every one-job text, so neither a long history nor a huge message holds the workers while
 * another user's message waits. An idle worker does
 * not keep the process alive (a script or a test can exit). A worker that fails rejects only the job it was running
 * and is replaced by the next job. `startWorker` exists for tests (a worker that crashes on cue).
 */
export function createTokenPool({
  size,
  startWorker = startTokenWorker,
}: {
  size: number;
  startWorker?: () => Worker;
}): TokenPool {
  if (!Number.isInteger(size) || size < 1) throw new Error(`A token pool needs at least one worker, not ${size}.`);
  // Texts that fit in one job (every ordinary message) go first; the parts of long texts queue behind them, so a few
  // huge messages delay another user's count by one part at most, not by the whole of theirs.
  const urgent: Job[] = [];
  const bulk: Job[] = [];
  const slots = new Set<Slot>();
  let isClosed = false;

  function settle(slot: Slot): Job | null {
    const { job } = slot;
    slot.job = null;
    slot.worker.unref();
    return job;
  }

  function retire(slot: Slot, error: Error) {
    if (!slots.delete(slot)) return;
    settle(slot)?.reject(error);
    void slot.worker.terminate();
    dispatch();
  }

  function spawn(): Slot {
    const slot: Slot = { worker: startWorker(), job: null };
    const { worker } = slot;
    worker.on("message", (reply: WorkerReply) => {
      const job = settle(slot);
      if (!job) return;
      if ("error" in reply) job.reject(new Error(`Counting tokens failed: ${reply.error}`));
      else job.resolve(reply.tokens);
      dispatch();
    });
    const fail = (error: unknown) =>
      retire(slot, new Error(`The token counting worker failed: ${String(error)}`, { cause: error }));
    worker.on("error", fail);
    worker.on("messageerror", fail);
    worker.on("exit", (code) => retire(slot, new Error(`The token counting worker exited with code ${code}.`)));
    slots.add(slot);
    return slot;
  }

  function dispatch() {
    while (urgent.length + bulk.length > 0) {
      let slot = [...slots].find((candidate) => candidate.job === null);
      if (!slot) {
        if (slots.size >= size) return;
        slot = spawn();
      }
      const job = (urgent.shift() ?? bulk.shift()) as Job;
      slot.job = job;
      // Busy workers keep the process alive until they answer; idle ones (settle) do not.
      slot.worker.ref();
      slot.worker.postMessage({ encoding: job.encoding, slices: job.slices });
    }
  }

  function enqueue(queue: Job[], encoding: Encoding, slices: string[]): Promise<number> {
    return new Promise((resolve, reject) => {
      if (isClosed) throw new Error("The token pool is closed.");
      queue.push({ encoding, slices, resolve, reject });
      dispatch();
    });
  }

  async function count(encoding: Encoding, text: string): Promise<number> {
    const parts = jobParts(sliceLongRuns(text));
    if (parts.length === 1) return enqueue(urgent, encoding, parts[0] ?? []);
    const counts = await Promise.all(parts.map((slices) => enqueue(bulk, encoding, slices)));
    return counts.reduce((sum, tokens) => sum + tokens, 0);
  }

  return {
    countTokens: ({ texts, encoding }) => Promise.all(texts.map((text) => count(encoding, text))),
    async close() {
      isClosed = true;
      const closed = new Error("The token pool is closed.");
      for (const job of [...urgent.splice(0), ...bulk.splice(0)]) job.reject(closed);
      const running = [...slots];
      for (const slot of running) retire(slot, closed);
      await Promise.all(running.map((slot) => slot.worker.terminate()));
    },
  };
}

/** A job is at most about this many UTF-16 code units of slices (one slice can be longer: it is never cut). */
export const JOB_CHARS = 2_048;

/** Consecutive slices grouped into jobs of about JOB_CHARS; counts add up across slices, so any grouping counts alike. */
export function jobParts(slices: readonly string[]): string[][] {
  const parts: string[][] = [];
  let part: string[] = [];
  let length = 0;
  for (const slice of slices) {
    if (part.length > 0 && length + slice.length > JOB_CHARS) {
      parts.push(part);
      part = [];
      length = 0;
    }
    part.push(slice);
    length += slice.length;
  }
  parts.push(part);
  return parts;
}

// One core stays free for the event loop (an ordinary message waits for one part of a long one at most); four
// workers count a burst faster than it can arrive.
const POOL_SIZE = Math.min(4, Math.max(1, availableParallelism() - 1));

// One pool per process, on globalThis: Next may load this module once per route bundle.
const holder = globalThis as { __chatledgerTokenPool?: TokenPool };

/**
 * Each text's token count (no chat framing), with the rules of `countTextTokens` in tokens.ts, counted on a worker
 * thread. Frame a chat prompt from the counts with `chatPromptTokensFromCounts`.
 */
export function countTokensOffThread(input: CountTokensInput): Promise<number[]> {
  holder.__chatledgerTokenPool ??= createTokenPool({ size: POOL_SIZE });
  return holder.__chatledgerTokenPool.countTokens(input);
}
