// Seeded pseudo-random text for tests and benchmarks, so every run counts the same characters.

/** A small seeded generator (mulberry32): numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `length` code points drawn from [from, from + span): e.g. CJK from 0x4e00, emoji from 0x1f300. */
export function randomRun(length: number, from: number, span: number, seed: number): string {
  const random = mulberry32(seed);
  return Array.from({ length }, () => String.fromCodePoint(from + Math.floor(random() * span))).join("");
}
