import { describe, expect, it } from "vitest";
import { readNdjson } from "./ndjson";

/** A body delivered in these byte pieces, as a network may cut it. */
function bodyOf(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
}

async function all<T>(body: ReadableStream<Uint8Array>): Promise<T[]> {
  const events: T[] = [];
  for await (const event of readNdjson<T>(body)) events.push(event);
  return events;
}

describe("readNdjson", () => {
  it("parses lines cut anywhere, a character's UTF-8 bytes included, and skips blank lines", async () => {
    const bytes = new TextEncoder().encode('{"a":"中文"}\n\n{"b":2}\n');
    // Cut inside 中 (3 bytes) and inside the second line.
    const pieces = [bytes.slice(0, 8), bytes.slice(8, 15), bytes.slice(15)];
    expect(await all(bodyOf(pieces))).toEqual([{ a: "中文" }, { b: 2 }]);
  });

  it("keeps an unfinished last line back (the server ends every event with a newline)", async () => {
    const bytes = new TextEncoder().encode('{"a":1}\n{"b":');
    expect(await all(bodyOf([bytes]))).toEqual([{ a: 1 }]);
  });
});
